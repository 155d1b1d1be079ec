"""Published records are locked for editors; their edits become change proposals
that a reviewer accepts (through the services) or rejects."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from states import history, proposals, revisions, services
from states.models import ChangeProposal, MatrixState, Position, Statement
from tests.api_helpers import api, make_user
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
)

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


# A whole statement proposed: speaker, session, actors, sources, positions ----------


@pytest.fixture
def published():
    """A published joint statement of Japan, co-signed by Chile, with positions on
    two provisions; a later session, France and a third provision to propose."""
    first = SessionFactory(title="Fourth session")
    later = SessionFactory(treaty=first.treaty, title="Fifth session")
    japan, chile = ActorFactory(name="Japan"), ActorFactory(name="Chile")
    statement = services.statement_create(
        user=None,
        session=first,
        actor=japan,
        co_signers=[chile],
        title="Joint statement",
        text="We support a narrow scope.",
        sources=[{"url": "https://example.org/record", "kind": "official_record"}],
        status="published",
    )
    kept, removed, added = (
        ProvisionFactory(treaty=first.treaty, title=title)
        for title in ("Illegal access", "Respect for human rights", "Signature")
    )
    for provision in (kept, removed):
        services.position_create(
            user=None,
            statement=statement,
            provision=provision,
            stance="support",
            status="published",
        )
    return {
        "statement": statement,
        "later": later,
        "chile": chile,
        "removed": statement.positions.get(provision=removed),
        "added": added,
    }


def _whole_change(world, **overrides):
    later = world["later"]
    return {
        "session": later,
        "date": later.start_date,
        "actor": ActorFactory(name="Australia"),
        "co_signers": [ActorFactory(name="France")],
        "supporters": [world["chile"]],
        "also_for": "and several other delegations",
        "verification": "partly_verified",
        "title": "Joint statement (corrected)",
        "text": "We support a narrow scope, with safeguards.",
        "language": "fr",
        "document_symbol": "A/AC.291/CRP.1",
        "sources": [
            {"url": "https://example.org/record", "kind": "official_record"},
            {"url": "https://ngo.example.org/report", "kind": "ngo_report"},
        ],
        "positions_added": [
            {"provision": world["added"], "stance": "oppose", "wants": "delete it"}
        ],
        "positions_removed": [world["removed"]],
        **overrides,
    }


def test_a_whole_statement_proposal_is_applied_in_one_accept_and_one_matrix_mark(
    editor, reviewer, published
):
    statement = published["statement"]
    change = _whole_change(published)
    proposal = proposals.change_propose(user=editor, record=statement, **change)
    statement.refresh_from_db()
    assert statement.title == "Joint statement" and statement.positions.count() == 2
    treaty = statement.session.treaty
    before = MatrixState.objects.get(treaty=treaty).dirty_version

    proposals.change_accept(proposal=proposal, user=reviewer)

    statement.refresh_from_db()
    assert (statement.session, statement.date) == (change["session"], change["date"])
    assert statement.actor == change["actor"]
    assert list(statement.co_signers.all()) == change["co_signers"]
    assert list(statement.supporters.all()) == [published["chile"]]
    assert [s.url for s in statement.sources.all()] == [
        s["url"] for s in change["sources"]
    ]
    assert (statement.language, statement.document_symbol) == ("fr", "A/AC.291/CRP.1")
    assert statement.verification == "partly_verified"
    assert statement.updated_by == reviewer
    positions = {p.provision: p for p in statement.positions.all()}
    assert published["removed"].provision not in positions
    added = positions[published["added"]]
    assert (added.stance, added.wants, added.status) == (
        "oppose",
        "delete it",
        "published",
    )
    assert added.created_by == reviewer
    # Every service's mark was collected into one for the treaty.
    assert MatrixState.objects.get(treaty=treaty).dirty_version == before + 1
    proposal.refresh_from_db()
    assert (proposal.proposed_by, proposal.reviewed_by) == (editor, reviewer)
    # Each record it changed names it in its history: by the reviewer, as proposed.
    for entity, pk in [
        ("statement", statement.pk),
        ("position", added.pk),
        ("position", published["removed"].pk),
    ]:
        latest = history.entries(entity, pk)[0]
        assert (latest.revision.user, latest.proposal) == (reviewer, proposal), entity


def test_a_proposal_is_checked_when_made_by_the_rules_of_entry_and_leaves_nothing(
    editor, published
):
    statement = published["statement"]
    revisions_before = revisions.history_of(statement).count()
    state_before = MatrixState.objects.get(treaty=statement.session.treaty)
    other_treaty = ProvisionFactory(title="Elsewhere")
    refusals = {
        "date": {"date": published["later"].end_date + datetime.timedelta(days=1)},
        "co_signers": {"actor": published["chile"]},
        "title": {"title": "x" * 301},
        "positions_added": {
            "positions_added": [{"provision": other_treaty, "stance": "support"}]
        },
    }
    for field, change in refusals.items():
        with pytest.raises(ValidationError) as refused:
            proposals.change_propose(
                user=editor, record=statement, **_whole_change(published, **change)
            )
        assert field in refused.value.message_dict, (field, refused.value)
    with pytest.raises(ValidationError, match="has a position on Illegal access"):
        proposals.change_propose(
            user=editor,
            record=statement,
            positions_added=[
                {
                    "provision": statement.positions.exclude(pk=published["removed"].pk)
                    .get()
                    .provision
                }
            ],
        )
    assert not ChangeProposal.objects.exists()
    # The trial run was rolled back: no revision, no mark, nothing changed.
    assert revisions.history_of(statement).count() == revisions_before
    state = MatrixState.objects.get(treaty=statement.session.treaty)
    assert state.dirty_version == state_before.dirty_version
    assert statement.positions.count() == 2


def test_proposals_of_different_parts_are_both_accepted_and_both_changes_kept(
    editor, reviewer, published
):
    statement = published["statement"]
    france = ActorFactory(name="France")
    first = proposals.change_propose(
        user=editor, record=statement, title="First", co_signers=[france]
    )
    second = proposals.change_propose(
        user=editor,
        record=statement,
        text="Second",
        sources=[{"url": "https://ngo.example.org/report", "kind": "ngo_report"}],
        positions_removed=[published["removed"]],
    )
    proposals.change_accept(proposal=first, user=reviewer)
    proposals.change_accept(proposal=second, user=reviewer)

    statement = Statement.objects.get(pk=statement.pk)
    assert (statement.title, statement.text) == ("First", "Second")
    assert list(statement.co_signers.all()) == [france]
    assert statement.source_url == "https://ngo.example.org/report"
    assert not statement.positions.filter(pk=published["removed"].pk).exists()
    assert statement.updated_by == reviewer
    statuses = ChangeProposal.objects.values_list("status", flat=True)
    assert set(statuses) == {"accepted"}


def test_a_proposal_of_a_part_changed_since_is_refused_naming_it_and_changes_nothing(
    editor, reviewer, published
):
    statement = published["statement"]
    first = proposals.change_propose(
        user=editor,
        record=statement,
        title="First",
        sources=[{"url": "https://example.org/other", "kind": "news"}],
        supporters=[ActorFactory(name="France")],
    )
    second = proposals.change_propose(
        user=editor,
        record=statement,
        text="Second",
        title="Second",
        sources=[{"url": "https://ngo.example.org/report", "kind": "ngo_report"}],
        supporters=[ActorFactory(name="Peru")],
    )
    proposals.change_accept(proposal=first, user=reviewer)
    revisions_before = revisions.history_of(statement).count()
    with pytest.raises(ValidationError) as refused:
        proposals.change_accept(proposal=second, user=reviewer)
    message = refused.value.messages[0]
    assert "conflicts with a later change of the statement" in message
    assert "(title, sources, supporters)" in message
    assert "Reject it; the editor can propose again on the current version" in message
    statement = Statement.objects.get(pk=statement.pk)
    assert (statement.title, statement.text) == ("First", "We support a narrow scope.")
    assert [s.url for s in statement.sources.all()] == ["https://example.org/other"]
    assert [a.name for a in statement.supporters.all()] == ["France"]
    assert revisions.history_of(statement).count() == revisions_before
    assert ChangeProposal.objects.get(pk=second.pk).status == "pending"


def test_the_positions_of_a_statement_are_one_part(editor, reviewer, published):
    statement = published["statement"]
    removing = proposals.change_propose(
        user=editor, record=statement, positions_removed=[published["removed"]]
    )
    adding = proposals.change_propose(
        user=editor,
        record=statement,
        positions_added=[{"provision": published["added"], "stance": "oppose"}],
    )
    retitling = proposals.change_propose(user=editor, record=statement, title="New")
    # A reviewer's own edit of one of its positions changes the statement's
    # positions since both position proposals were made; not its title.
    services.position_update(
        position=published["removed"], user=reviewer, wants="keep it"
    )
    for proposal in (removing, adding):
        with pytest.raises(ValidationError, match=r"statement \(positions\)"):
            proposals.change_accept(proposal=proposal, user=reviewer)
    proposals.change_accept(proposal=retitling, user=reviewer)
    statement.refresh_from_db()
    assert statement.title == "New"
    assert statement.positions.count() == 2
    assert statement.positions.get(pk=published["removed"].pk).wants == "keep it"


def test_a_change_since_to_just_what_is_proposed_is_no_conflict(
    editor, reviewer, published
):
    statement = published["statement"]
    first = proposals.change_propose(user=editor, record=statement, title="Same")
    second = proposals.change_propose(
        user=editor, record=statement, title="Same", text="Also"
    )
    proposals.change_accept(proposal=first, user=reviewer)
    proposals.change_accept(proposal=second, user=reviewer)
    statement.refresh_from_db()
    assert (statement.title, statement.text) == ("Same", "Also")


def test_a_record_unpublished_since_conflicts_with_any_proposal(
    editor, reviewer, published
):
    statement = published["statement"]
    proposal = proposals.change_propose(user=editor, record=statement, title="New")
    services.statement_unpublish(statement=statement, user=reviewer)
    with pytest.raises(ValidationError, match=r"\(status\)"):
        proposals.change_accept(proposal=proposal, user=reviewer)
    statement.refresh_from_db()
    assert statement.title == "Joint statement"


def test_position_proposals_of_different_fields_both_apply_of_the_same_are_refused(
    editor, reviewer, position
):
    quote = position.quote
    stance = proposals.change_propose(user=editor, record=position, stance="oppose")
    wants = proposals.change_propose(
        user=editor, record=position, wants="delete 'without right'"
    )
    other_stance = proposals.change_propose(
        user=editor, record=position, stance="support_with_changes", quote="Q"
    )
    proposals.change_accept(proposal=stance, user=reviewer)
    proposals.change_accept(proposal=wants, user=reviewer)
    with pytest.raises(
        ValidationError, match=r"later change of the position \(stance\)"
    ):
        proposals.change_accept(proposal=other_stance, user=reviewer)
    position.refresh_from_db()
    assert (position.stance, position.wants, position.quote) == (
        "oppose",
        "delete 'without right'",
        quote,
    )
    assert ChangeProposal.objects.get(pk=other_stance.pk).status == "pending"


def test_a_proposal_is_checked_again_on_accept(editor, reviewer, published):
    statement = published["statement"]
    session = statement.session
    proposal = proposals.change_propose(
        user=editor, record=statement, date=session.end_date
    )
    # The session's dates are corrected: the proposed date now falls outside them.
    session.end_date = session.start_date
    session.save()
    with pytest.raises(ValidationError) as refused:
        proposals.change_accept(proposal=proposal, user=reviewer)
    assert "date" in refused.value.message_dict
    statement.refresh_from_db()
    assert statement.date is None
    assert ChangeProposal.objects.get(pk=proposal.pk).status == "pending"


def test_api_proposal_may_change_the_speaker_by_code(editor_client, published):
    statement = published["statement"]
    australia = ActorFactory(code="AUS", name="Australia")
    response = editor_client.post(
        api("statement-propose", pk=statement.pk),
        {"actor": "AUS", "session": published["later"].pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["data"] == {
        "actor_id": australia.pk,
        "session_id": published["later"].pk,
    }
    response = editor_client.post(
        api("statement-propose", pk=statement.pk),
        {"actor": statement.co_signers.get().code},
        format="json",
    )
    assert response.status_code == 400
    assert "co_signers" in response.json()
