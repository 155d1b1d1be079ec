"""The admin keeps the matrix honest: saves mark it stale, publishing is an action."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse

from provisions.models import Session
from states import services
from states.models import MatrixState, Position, Statement
from tests.factories import (
    PositionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def staff(name, role):
    user = get_user_model().objects.create_user(name, password="x", is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=role))
    return user


def stale_from(treaty_id):
    state = MatrixState.objects.filter(treaty_id=treaty_id).first()
    return state.stale_from if state else None


def test_admin_pages_of_the_matrix_inputs_load(admin_client):
    position = PositionFactory()
    for url in [
        reverse("admin:states_statement_changelist"),
        reverse("admin:states_statement_change", args=[position.statement_id]),
        reverse("admin:states_position_changelist"),
        reverse("admin:states_membership_changelist"),
        reverse("admin:provisions_session_changelist"),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_editing_a_published_statement_in_the_admin_marks_the_matrix_stale(
    admin_client,
):
    position = PositionFactory()
    statement = position.statement
    original = statement.session.number
    later = SessionFactory(treaty=statement.session.treaty, number=9)
    url = reverse("admin:states_statement_change", args=[statement.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
    }
    data.update(
        {
            "session": later.pk,
            "co_signers": [],
            "positions-TOTAL_FORMS": 0,
            "positions-INITIAL_FORMS": 0,
            "sources-TOTAL_FORMS": 0,
            "sources-INITIAL_FORMS": 0,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    statement.refresh_from_db()
    assert statement.session == later
    assert stale_from(statement.session.treaty_id) == min(original, 9)


def test_publish_action_needs_the_publish_permission(client):
    statement = StatementFactory(status="draft")
    url = reverse("admin:states_statement_changelist")
    client.force_login(staff("editor", "Editors"))
    actions = client.get(url).context["action_form"].fields["action"].choices
    assert "publish" not in dict(actions)
    client.force_login(staff("reviewer", "Reviewers"))
    response = client.post(
        url, {"action": "publish", "_selected_action": [statement.pk]}
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "published"
    assert stale_from(statement.session.treaty_id) == statement.session.number


def test_unpublish_action_withdraws_positions(admin_client):
    position = PositionFactory()
    url = reverse("admin:states_statement_changelist")
    admin_client.post(
        url, {"action": "unpublish", "_selected_action": [position.statement_id]}
    )
    position.refresh_from_db()
    assert position.status == "draft"
    assert Statement.objects.get(pk=position.statement_id).status == "draft"


def test_close_session_action_closes_and_owes_a_rebuild(admin_client):
    session = SessionFactory(status=Session.Status.IN_PROGRESS, number=4)
    services.matrix_rebuild(treaty_id=session.treaty_id)
    url = reverse("admin:provisions_session_changelist")
    response = admin_client.post(
        url, {"action": "close_sessions", "_selected_action": [session.pk]}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CLOSED
    assert stale_from(session.treaty_id) == 4
    assert "rebuilding" in admin_client.get(url).content.decode()


def test_deleting_a_published_position_in_the_admin_marks_stale(admin_client):
    position = PositionFactory()
    url = reverse("admin:states_position_delete", args=[position.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Position.objects.filter(pk=position.pk).exists()
    assert stale_from(position.statement.session.treaty_id) is not None


def test_publish_with_positions_from_the_draft_filtered_list_publishes_both(
    client,
):
    statement = StatementFactory(status="draft")
    positions = PositionFactory.create_batch(3, statement=statement, status="draft")
    client.force_login(staff("reviewer", "Reviewers"))
    url = reverse("admin:states_statement_changelist") + "?status__exact=draft"
    response = client.post(
        url,
        {"action": "publish_with_positions", "_selected_action": [statement.pk]},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "published"
    assert {
        p.status for p in Position.objects.filter(pk__in=[p.pk for p in positions])
    } == {"published"}


def _form_data(admin_client, url, formset_prefixes=()):
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
    }
    for prefix in formset_prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_a_session_renumbered_in_the_admin_owes_a_rebuild_from_the_lower_number(
    admin_client,
):
    session = SessionFactory(status=Session.Status.CLOSED, number=5)
    services.matrix_rebuild(treaty_id=session.treaty_id)
    url = reverse("admin:provisions_session_change", args=[session.pk])
    data = _form_data(admin_client, url)
    data["number"] = 3
    assert admin_client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.number == 3
    assert stale_from(session.treaty_id) == 3


def test_a_membership_added_inline_goes_through_the_services(admin_client):
    from states.models import Membership
    from tests.factories import ActorFactory, GroupFactory

    position = PositionFactory()
    treaty_id = position.statement.session.treaty_id
    services.matrix_rebuild(treaty_id=treaty_id)
    actor, group = ActorFactory(), GroupFactory()
    url = reverse("admin:states_actor_change", args=[actor.pk])
    data = _form_data(admin_client, url)
    data.update(
        {
            "memberships-TOTAL_FORMS": 1,
            "memberships-INITIAL_FORMS": 0,
            "memberships-0-group": group.pk,
            "memberships-0-start_date": "2000-01-01",
            "memberships-0-end_date": "",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    assert Membership.objects.filter(actor=actor, group=group).exists()
    # The service owes every treaty a rebuild from its first session after the start.
    assert stale_from(treaty_id) is not None


def test_an_inline_position_added_in_the_admin_is_attributed_and_marks_stale(
    admin_client,
):
    from tests.factories import ProvisionFactory

    statement = StatementFactory()
    services.matrix_rebuild(treaty_id=statement.session.treaty_id)
    provision = ProvisionFactory(treaty=statement.session.treaty)
    url = reverse("admin:states_statement_change", args=[statement.pk])
    data = _form_data(admin_client, url)
    data.update(
        {
            "co_signers": [],
            "positions-TOTAL_FORMS": 1,
            "positions-INITIAL_FORMS": 0,
            "sources-TOTAL_FORMS": 0,
            "sources-INITIAL_FORMS": 0,
            "positions-0-provision": provision.pk,
            "positions-0-stance": "oppose",
            "positions-0-quote": "We cannot accept it.",
            "positions-0-note": "",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    position = Position.objects.get(statement=statement, provision=provision)
    assert position.created_by.username == "admin"
    assert position.status == "draft"
