import datetime

import pytest

from states.models import Position
from tests.api_helpers import api
from tests.factories import (
    ActorFactory,
    GroupFactory,
    MembershipFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_actor_filter_returns_direct_and_inherited_positions(anon):
    session = SessionFactory(
        start_date=datetime.date(2023, 1, 9), end_date=datetime.date(2023, 1, 20)
    )
    member, former = ActorFactory(code="JAM"), ActorFactory(code="OLD")
    caricom = GroupFactory(slug="caricom")
    MembershipFactory(actor=member, group=caricom, start_date=datetime.date(2000, 1, 1))
    MembershipFactory(
        actor=former,
        group=caricom,
        start_date=datetime.date(2000, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    spoken = PositionFactory(statement__session=session, statement__actor=member)
    on_behalf = PositionFactory(
        statement__session=session, statement__on_behalf_of=caricom
    )
    joint = PositionFactory(statement__session=session)
    joint.statement.co_signers.add(member)
    # Dated after the former member left: inherited by the member only.
    later = PositionFactory(
        statement__session=session,
        statement__on_behalf_of=caricom,
        statement__date=datetime.date(2023, 1, 12),
    )
    PositionFactory(statement__session=session)  # someone else's

    expected_member = {spoken.pk, on_behalf.pk, joint.pk, later.pk}
    assert ids(anon.get(api("position-list"), {"actor": "JAM"})) == expected_member
    assert ids(anon.get(api("position-list"), {"actor": "OLD"})) == set()


def test_inherited_membership_counts_on_the_effective_date(anon):
    session = SessionFactory(
        start_date=datetime.date(2023, 1, 9), end_date=datetime.date(2023, 1, 20)
    )
    joiner = ActorFactory(code="NEW")
    group = GroupFactory()
    MembershipFactory(actor=joiner, group=group, start_date=datetime.date(2023, 1, 15))
    before = PositionFactory(
        statement__session=session,
        statement__on_behalf_of=group,
        statement__date=datetime.date(2023, 1, 10),
    )
    undated = PositionFactory(statement__session=session, statement__on_behalf_of=group)
    after = PositionFactory(
        statement__session=session,
        statement__on_behalf_of=group,
        statement__date=datetime.date(2023, 1, 16),
    )
    found = ids(anon.get(api("position-list"), {"actor": "NEW"}))
    assert found == {after.pk}
    assert before.pk not in found and undated.pk not in found


def test_editor_creates_draft_position_but_cannot_publish(editor_client):
    statement = StatementFactory(status="published")
    provision = ProvisionFactory(treaty=statement.session.treaty)
    payload = {
        "statement": statement.pk,
        "provision": provision.pk,
        "stance": "oppose",
        "quote": "We cannot accept this.",
    }
    created = editor_client.post(api("position-list"), payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    assert created.json()["actor"] == statement.actor.code
    pk = created.json()["id"]
    refused = editor_client.patch(
        api("position-detail", pk=pk), {"status": "published"}, format="json"
    )
    assert refused.status_code == 403
    assert editor_client.post(api("position-publish", pk=pk)).status_code == 403
    assert Position.objects.get(pk=pk).status == "draft"


def test_reviewer_publishes_a_position(reviewer_client):
    position = PositionFactory(status="draft")
    response = reviewer_client.post(api("position-publish", pk=position.pk))
    assert response.status_code == 200
    position.refresh_from_db()
    assert position.status == "published"


def test_position_on_another_treatys_provision_is_400(editor_client):
    statement = StatementFactory(status="draft")
    elsewhere = ProvisionFactory()
    response = editor_client.post(
        api("position-list"),
        {"statement": statement.pk, "provision": elsewhere.pk, "stance": "support"},
        format="json",
    )
    assert response.status_code == 400
    assert "provision" in response.json()
    assert not Position.objects.exists()


def test_duplicate_position_is_400_not_500(editor_client):
    position = PositionFactory(status="draft", statement__status="draft")
    response = editor_client.post(
        api("position-list"),
        {
            "statement": position.statement_id,
            "provision": position.provision_id,
            "stance": "oppose",
        },
        format="json",
    )
    assert response.status_code == 400
    assert Position.objects.count() == 1


def test_public_sees_published_positions_of_published_statements_only(anon):
    shown = PositionFactory()
    PositionFactory(status="draft")
    PositionFactory(statement__status="draft", status="draft")
    assert ids(anon.get(api("position-list"))) == {shown.pk}


def test_filters_by_stance_provision_and_updated_since(anon):
    support = PositionFactory(stance="support")
    oppose = PositionFactory(stance="oppose")
    assert ids(anon.get(api("position-list"), {"stance": "oppose"})) == {oppose.pk}
    assert ids(anon.get(api("position-list"), {"provision": support.provision_id})) == {
        support.pk
    }
    response = anon.get(api("position-list"), {"updated_since": "2999-01-01T00:00:00Z"})
    assert ids(response) == set()


# A page of positions, the positions attributed to an actor, one position.
LIST_QUERIES, ATTRIBUTED_LIST_QUERIES, DETAIL_QUERIES = 4, 5, 3


def test_list_queries_do_not_grow_with_positions(anon, django_assert_max_num_queries):
    session = SessionFactory()
    group = GroupFactory()
    actor = ActorFactory()
    MembershipFactory(actor=actor, group=group)
    for _ in range(40):
        statement = StatementFactory(session=session, on_behalf_of=group)
        PositionFactory(statement=statement)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = anon.get(api("position-list"), {"page_size": 1000})
    assert response.json()["count"] == 40
    with django_assert_max_num_queries(ATTRIBUTED_LIST_QUERIES):
        response = anon.get(
            api("position-list"), {"actor": actor.code, "treaty": session.treaty.slug}
        )
    assert response.json()["count"] == 40
    position = Position.objects.first()
    with django_assert_max_num_queries(DETAIL_QUERIES):
        anon.get(api("position-detail", pk=position.pk))
