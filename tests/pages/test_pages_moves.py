import csv
import io
import re

import pytest
from django.urls import reverse

from states import stances
from tests.factories import SessionFactory, StatementFactory
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def moves(client, world, **params):
    url = reverse("treaty-moves", kwargs={"treaty": world.treaty.slug})
    return client.get(url, params)


def shown_by_provision(body):
    """{(actor, provision slug, before label, after label)} as the page lists them."""
    shown = set()
    section = body.split('data-testid="moves"')[1]
    for block in re.split(r"<h3>", section)[1:]:
        slug = re.search(r"/provisions/([\w-]+)/", block).group(1)
        for item in re.findall(r"<li>(.*?)</li>", block, re.S):
            labels = re.findall(r'<span class="sym"[^>]*>[^<]*</span>\s*([^<]+)<', item)
            for code in re.findall(r'/actors/(\w+)/">', item):
                shown.add((code, slug, labels[0].strip(), labels[1].strip()))
    return shown


def label(stance):
    return stances.LABELS[stance or stances.NO_POSITION]


def api_changes(client, href):
    return client.get(href.replace("&amp;", "&")).json()["changes"]


def test_moves_page_lists_exactly_the_apis_changes_by_provision(client, world):
    response = moves(client, world, **{"from": 1, "to": 2})
    assert response.status_code == 200
    body = response.content.decode()
    json_href = re.search(r'href="([^"]+)" data-testid="moves-json"', body).group(1)
    changes = api_changes(client, json_href)
    assert len(changes) > 10
    slugs = {p.pk: p.slug for p in world.provisions}
    assert shown_by_provision(body) == {
        (c["actor"], slugs[c["provision"]], label(c["before"]), label(c["after"]))
        for c in changes
    }
    assert f"{len(changes)} changes of stance" in body
    csv_href = re.search(r'href="([^"]+)" data-testid="moves-csv"', body).group(1)
    rows = list(
        csv.DictReader(io.StringIO(client.get(csv_href.replace("&amp;", "&")).text))
    )
    assert len(rows) == len(changes)


def test_moves_by_change_groups_the_same_changes_by_stance_to_stance(client, world):
    body = moves(client, world, **{"from": 1, "to": 2, "by": "change"}).text
    by_provision = moves(client, world, **{"from": 1, "to": 2}).text
    section = body.split('data-testid="moves"')[1]
    shown = set()
    for block in section.split('<h3 class="transition">')[1:]:
        labels = re.findall(r'<span class="sym"[^>]*>[^<]*</span>\s*([^<]+)<', block)
        before, after = labels[0].strip(), labels[1].strip()
        for item in re.findall(r"<li>(.*?)</li>", block, re.S):
            slug = re.search(r"/provisions/([\w-]+)/", item).group(1)
            for code in re.findall(r'/actors/(\w+)/">', item):
                shown.add((code, slug, before, after))
    assert shown == shown_by_provision(by_provision)
    # Each stance → stance heading once.
    headings = re.findall(r'<h3 class="transition">(.*?)</h3>', section, re.S)
    assert len(headings) == len(set(headings))


def test_moves_with_all_actors_adds_the_non_parties(client, world):
    parties = moves(client, world, **{"from": 1, "to": 2}).text
    everyone = moves(client, world, **{"from": 1, "to": 2, "kind": "all"}).text
    assert "/actors/NGO/" not in parties.split('data-testid="moves"')[1]
    assert "/actors/NGO/" in everyone.split('data-testid="moves"')[1]
    assert "kind=all" in re.search(
        r'href="([^"]+)" data-testid="moves-json"', everyone
    ).group(1)


def test_moves_defaults_to_the_last_two_sessions_with_a_matrix(client, world):
    body = moves(client, world).text
    assert '<option value="1" selected>' in body
    assert '<option value="2" selected>' in body
    assert "/api/v1/matrix/changes/?treaty=un-test&amp;from=1&amp;to=2" in body


def test_moves_compares_any_two_sessions(client, world):
    third = world.sessions[2]
    third.status = "closed"
    third.save()
    StatementFactory(session=third, actor=world.states[6], title="Late")
    body = moves(client, world, **{"from": 1, "to": 3}).text
    assert 'data-testid="moves"' in body
    assert "/matrix/changes/?treaty=un-test&amp;from=1&amp;to=3" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": 2, "to": 1}, "before"),
        ({"from": 2, "to": 2}, "before"),
        ({"from": "x", "to": 2}, "not a session number"),
        ({"from": 1, "to": 3}, "scheduled"),
        ({"from": 1, "to": 9}, "no session 9"),
        ({"by": "actor"}, "by"),
        ({"kind": "planet"}, "kind"),
    ],
)
def test_moves_bad_choice_is_a_400(client, world, params, message):
    response = moves(client, world, **params)
    assert response.status_code == 400
    assert message in response.text


def test_moves_of_a_treaty_with_one_session_says_so(client):
    session = SessionFactory()
    response = client.get(
        reverse("treaty-moves", kwargs={"treaty": session.treaty.slug})
    )
    assert response.status_code == 200
    assert "needs two sessions" in response.text


def test_moves_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(12):
        response = moves(client, world, **{"from": 1, "to": 2})
    assert response.status_code == 200
