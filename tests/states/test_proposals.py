"""Published records are locked for editors; their edits become change proposals
that a reviewer accepts (through the services) or rejects."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from states import proposals, revisions, services
from states.models import ChangeProposal, MatrixState, Position, Statement
from tests.api_helpers import api, make_user
from tests.factories import ActorFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def position():
    return PositionFactory(status="published", stance="support")


def test_an_editor_cannot_change_or_delete_a_published_record_through_services(
    editor, position
):
    with pytest.raises(PermissionDenied):
        services.position_update(position=position, user=editor, stance="oppose")
    with pytest.raises(PermissionDenied):
        services.statement_update(
            statement=position.statement, user=editor, title="Other"
        )
    with pytest.raises(PermissionDenied):
        services.position_delete(position=position, user=editor)
    position.refresh_from_db()
    assert position.stance == "support"


def test_a_proposal_is_held_until_a_reviewer_accepts_it(editor, reviewer, position):
    proposal = proposals.change_propose(
        user=editor, record=position, stance="oppose", wants="keep paragraph 3"
    )
    position.refresh_from_db()
    assert position.stance == "support"
    assert proposal.status == "pending" and proposal.proposed_by == editor

    state_before = MatrixState.objects.filter(
        treaty=position.statement.session.treaty
    ).first()
    proposals.change_accept(proposal=proposal, user=reviewer)

    position.refresh_from_db()
    proposal.refresh_from_db()
    assert (position.stance, position.wants) == ("oppose", "keep paragraph 3")
    assert position.updated_by == reviewer
    assert (proposal.status, proposal.reviewed_by) == ("accepted", reviewer)
    assert revisions.history_of(position).first().user == reviewer
    state = MatrixState.objects.get(treaty=position.statement.session.treaty)
    assert state.stale_from is not None
    assert state_before is None or state.dirty_version > state_before.dirty_version


def test_a_rejected_proposal_changes_nothing_and_keeps_the_comment(
    editor, reviewer, position
):
    proposal = proposals.change_propose(user=editor, record=position, stance="oppose")
    proposals.change_reject(proposal=proposal, user=reviewer, comment="Not in source")
    position.refresh_from_db()
    proposal.refresh_from_db()
    assert position.stance == "support"
    assert (proposal.status, proposal.comment) == ("rejected", "Not in source")
    with pytest.raises(ValidationError):
        proposals.change_accept(proposal=proposal, user=reviewer)


def test_a_proposal_of_a_statement_changes_its_supporters(editor, reviewer, position):
    statement = position.statement
    supporter = ActorFactory()
    proposal = proposals.change_propose(
        user=editor, record=statement, supporters=[supporter], title="Corrected"
    )
    assert proposal.data == {"supporters": [supporter.pk], "title": "Corrected"}
    proposals.change_accept(proposal=proposal, user=reviewer)
    statement.refresh_from_db()
    assert statement.title == "Corrected"
    assert list(statement.supporters.all()) == [supporter]


def test_an_invalid_or_empty_proposal_is_refused(editor, position):
    with pytest.raises(ValidationError):
        proposals.change_propose(user=editor, record=position, stance="maybe")
    with pytest.raises(ValidationError):
        proposals.change_propose(user=editor, record=position, stance="support")
    assert not ChangeProposal.objects.exists()


def test_api_still_refuses_an_editors_direct_edit_and_takes_a_proposal(
    editor_client, position
):
    url = api("position-detail", pk=position.pk)
    assert (
        editor_client.patch(url, {"stance": "oppose"}, format="json").status_code == 403
    )
    response = editor_client.post(
        api("position-propose", pk=position.pk),
        {"stance": "oppose", "wants": "delete 'without right'"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["proposed_by"] == "edith"
    assert Position.objects.get().stance == "support"


def test_api_proposal_with_a_bad_value_is_400(editor_client, position):
    response = editor_client.post(
        api("statement-propose", pk=position.statement.pk),
        {"title": "x" * 301},
        format="json",
    )
    assert response.status_code == 400
    assert "title" in response.json()
    assert not ChangeProposal.objects.exists()


def test_admin_is_read_only_for_editors_on_published_rows(position):
    editor = make_user("eddie", "Editors")
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)
    statement = position.statement
    change = reverse("admin:states_statement_change", args=[statement.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(change, {"title": "Changed"})
    assert response.status_code == 403
    delete = reverse("admin:states_position_delete", args=[position.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Statement.objects.get().title == statement.title
    assert Position.objects.filter(pk=position.pk).exists()


def test_admin_restore_of_a_published_row_is_refused_for_an_editor(
    editor, reviewer, position
):
    first = revisions.history_of(position).last()
    services.position_update(position=position, user=reviewer, stance="oppose")
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)
    response = client.post(
        reverse("admin:states_revision_changelist"),
        {"action": "restore", "_selected_action": [first.pk]},
        follow=True,
    )
    assert b"propose a change" in response.content
    position.refresh_from_db()
    assert position.stance == "oppose"
