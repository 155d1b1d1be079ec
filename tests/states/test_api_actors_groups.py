import datetime

import pytest
from django.utils import timezone

from states.models import Membership
from tests.api_helpers import api
from tests.factories import (
    ActorFactory,
    GroupFactory,
    MembershipFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def test_group_lists_its_current_members_by_code(anon):
    eu = GroupFactory(slug="eu")
    MembershipFactory(actor=ActorFactory(code="FRA"), group=eu)
    MembershipFactory(actor=ActorFactory(code="DEU"), group=eu)
    MembershipFactory(
        actor=ActorFactory(code="GBR"),
        group=eu,
        start_date=datetime.date(1973, 1, 1),
        end_date=datetime.date(2020, 1, 31),
    )
    body = anon.get(api("group-detail", slug="eu")).json()
    assert body["members"] == ["DEU", "FRA"]


def test_actor_filter_by_group_selects_current_members(anon):
    g77 = GroupFactory(slug="g77")
    MembershipFactory(actor=ActorFactory(code="BRA"), group=g77)
    MembershipFactory(
        actor=ActorFactory(code="OLD"),
        group=g77,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    ActorFactory(code="USA")
    rows = anon.get(api("actor-list"), {"group": "g77"}).json()["results"]
    assert [row["code"] for row in rows] == ["BRA"]


def test_actor_is_looked_up_by_code(anon, editor_client):
    ActorFactory(code="CHN", name="China")
    assert anon.get(api("actor-detail", code="CHN")).json()["name"] == "China"
    response = editor_client.patch(
        api("actor-detail", code="CHN"),
        {"name": "People's Republic of China"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["code"] == "CHN"


def test_membership_references_use_code_and_slug(editor_client):
    ActorFactory(code="JAM")
    GroupFactory(slug="caricom")
    response = editor_client.post(
        api("membership-list"),
        {"actor": "JAM", "group": "caricom", "start_date": "1973-08-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["actor"] == "JAM"
    assert Membership.objects.get().group.slug == "caricom"


def test_membership_ending_before_it_starts_is_400(editor_client):
    ActorFactory(code="JAM")
    GroupFactory(slug="caricom")
    response = editor_client.post(
        api("membership-list"),
        {
            "actor": "JAM",
            "group": "caricom",
            "start_date": "2000-01-01",
            "end_date": "1999-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Membership.objects.exists()


def test_group_with_statements_cannot_be_deleted(reviewer_client):
    group = GroupFactory(slug="caricom")
    StatementFactory(on_behalf_of=group)
    response = reviewer_client.delete(api("group-detail", slug="caricom"))
    assert response.status_code in (400, 409)
    assert response.json()


def test_actor_with_statements_cannot_be_deleted(reviewer_client):
    statement = StatementFactory()
    response = reviewer_client.delete(api("actor-detail", code=statement.actor.code))
    assert response.status_code == 409
    assert "statements" in response.json()["detail"]


# A page of actors, groups or memberships; actors of a group; a group with members.
LIST_QUERIES, GROUP_FILTER_QUERIES, GROUP_DETAIL_QUERIES = 3, 4, 3


def test_list_and_detail_queries_do_not_grow(anon, django_assert_max_num_queries):
    groups = GroupFactory.create_batch(5)
    for index in range(50):
        MembershipFactory(group=groups[index % 5])
    for name in ["actor-list", "group-list", "membership-list"]:
        with django_assert_max_num_queries(LIST_QUERIES):
            response = anon.get(api(name), {"page_size": 1000})
        assert response.status_code == 200
    with django_assert_max_num_queries(GROUP_FILTER_QUERIES):
        response = anon.get(api("actor-list"), {"group": groups[0].slug})
    assert response.json()["count"] == 10
    with django_assert_max_num_queries(GROUP_DETAIL_QUERIES):
        response = anon.get(api("group-detail", slug=groups[0].slug))
    assert len(response.json()["members"]) == 10
