import re

import pytest
from django.urls import reverse

from states import page_selectors
from tests.states.pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def actor_url(actor, **params):
    url = reverse("actor-detail", kwargs={"code": actor.code})
    return url + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


def session_url(world, number):
    return reverse(
        "session-detail", kwargs={"treaty": world.treaty.slug, "number": number}
    )


def test_actor_page_shows_groups_positions_and_statements(client, world):
    actor = world.states[5]
    response = client.get(actor_url(actor))
    assert response.status_code == 200
    body = response.content.decode()
    assert actor.name in body
    assert "Western group" in body
    assert 'data-testid="actor-positions"' in body
    assert "Chapter I. Chapter I title" in body
    statements = body.split('data-testid="actor-statements"')[1]
    assert f"{actor.name} in Session 2" in statements
    assert f"{actor.name} in Session 1" in statements


def test_member_sees_inherited_group_statement_in_timeline(client, world):
    body = client.get(actor_url(world.states[0])).content.decode()
    assert "EU and its member states" in body
    assert "via EU member states" in body


def test_agreement_lists_only_pairs_with_enough_shared_provisions(client, world):
    body = client.get(actor_url(world.states[5])).content.decode()
    most = body.split('data-testid="agrees-most"')[1].split("</div>")[0]
    shared = [int(n) for n in re.findall(r"/(\d+)</span>", most)]
    assert shared and min(shared) >= page_selectors.MIN_SHARED_PROVISIONS
    # The NGO shares one provision only: never listed.
    assert "Rights Watch" not in most


def test_agreement_is_share_of_equal_stances_among_shared_provisions():
    class View:
        actors = [
            {"code": "A", "name": "A"},
            {"code": "B", "name": "B"},
            {"code": "C", "name": "C"},
        ]
        cells = {
            ("A", 1): {"stance": "support"},
            ("A", 2): {"stance": "oppose"},
            ("A", 3): {"stance": "oppose"},
            ("A", 4): {"stance": "undecided"},
            ("B", 1): {"stance": "support"},
            ("B", 2): {"stance": "oppose"},
            ("B", 3): {"stance": "support"},
            ("B", 4): {"stance": "undecided"},
            ("C", 1): {"stance": "oppose"},
            ("C", 2): {"stance": "support"},
        }

    most, least = page_selectors.agreement(View, "A", minimum=3)
    assert most == [{"code": "B", "name": "B", "shared": 4, "same": 3, "share": 75}]
    assert least == []  # C shares only two provisions; B is listed already
    most, least = page_selectors.agreement(View, "A", minimum=2, limit=1)
    assert [r["code"] for r in most] == ["B"]
    assert least == [{"code": "C", "name": "C", "shared": 2, "same": 0, "share": 0}]


def test_actor_page_bad_treaty_is_400_and_unknown_actor_404(client, world):
    response = client.get(actor_url(world.states[1], treaty="nope"))
    assert response.status_code == 400
    assert "treaty" in response.content.decode()
    assert (
        client.get(reverse("actor-detail", kwargs={"code": "ZZZ"})).status_code == 404
    )


def test_actor_page_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(11):
        response = client.get(actor_url(world.states[7]))
    assert response.status_code == 200


def test_session_page_lists_statements_and_who_moved_by_provision(client, world):
    response = client.get(session_url(world, 2))
    assert response.status_code == 200
    body = response.content.decode()
    statements = body.split('data-testid="session-statements"')[1]
    assert "State S05 in Session 2" in statements
    assert "State S05 in Session 1" not in statements
    moved = body.split('data-testid="who-moved"')[1].split("session-statements")[0]
    assert "since Session 1" in moved
    # State S05 shifts every stance by 5 % 3 = 2 in session 2: it moved.
    assert "State S05" in moved
    # State S06 (6 % 3 = 0) says the same again: it did not move.
    assert "State S06" not in moved
    assert "Provision 1" in moved


def test_first_and_scheduled_sessions(client, world):
    body = client.get(session_url(world, 1)).content.decode()
    assert "first session on record" in body
    assert f'href="{session_url(world, 2)}">Session 2 →' in body
    response = client.get(session_url(world, 3))
    assert response.status_code == 200
    assert "has not started" in response.content.decode()
    assert client.get(session_url(world, 42)).status_code == 404


def test_session_page_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(12):
        response = client.get(session_url(world, 2))
    assert response.status_code == 200
