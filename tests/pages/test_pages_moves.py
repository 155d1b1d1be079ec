import csv
import io
import re

import pytest
from django.urls import reverse

from states import stances
from states.models import Position
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
    api_href = re.search(r'href="(/api/v1/matrix/changes/[^"]+)"', body).group(1)
    changes = api_changes(client, api_href)
    assert len(changes) > 10
    slugs = {p.pk: p.slug for p in world.provisions}
    assert shown_by_provision(body) == {
        (c["actor"], slugs[c["provision"]], label(c["before"]), label(c["after"]))
        for c in changes
    }
    # First stances ("no information" before) are counted apart from changes.
    assert f"{len(changes)} changes of stance" in body
    # The page's own JSON and CSV: exactly the changes shown, with `wants`.
    json_href = re.search(r'href="([^"]+)" data-testid="moves-json"', body).group(1)
    url = reverse("treaty-moves", kwargs={"treaty": world.treaty.slug})
    twin = client.get(url + json_href.replace("&amp;", "&")).json()["changes"]
    assert [(c["actor"], c["provision"], c["before"], c["after"]) for c in twin] == [
        (c["actor"], c["provision"], c["before"], c["after"]) for c in changes
    ]
    assert all(c["before_wants"] == c["after_wants"] == "" for c in twin)
    csv_href = re.search(r'href="([^"]+)" data-testid="moves-csv"', body).group(1)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(url + csv_href.replace("&amp;", "&")).text)
        )
    )
    assert [r["actor"] for r in rows] == [c["actor"] for c in twin]
    assert {"before_wants", "after_wants", "wants_only"} <= set(rows[0])


def test_moves_show_wants_and_changes_of_wants_alone(client, world):
    """A party that keeps its stance but changes what it wants has moved; one that
    changes stance shows what it wants now."""
    second = world.sessions[1]
    kept, moved = None, None
    api = client.get(
        "/api/v1/matrix/changes/",
        {"treaty": world.treaty.slug, "from": 1, "to": 2},
    ).json()["changes"]
    changed = {(c["actor"], c["provision"]) for c in api}
    for position in Position.objects.filter(
        statement__session=second, statement__actor__in=world.states
    ).select_related("statement__actor"):
        key = (position.statement.actor.code, position.provision_id)
        if key in changed and moved is None:
            moved = position
        elif key not in changed and kept is None and position.stance:
            first = Position.objects.filter(
                statement__session=world.sessions[0],
                statement__actor=position.statement.actor,
                provision=position.provision,
                stance=position.stance,
            )
            if first.exists():
                kept = position
    assert kept is not None and moved is not None
    Position.objects.filter(pk=kept.pk).update(wants="delete 'without right'")
    Position.objects.filter(pk=moved.pk).update(wants="keep paragraph 3")
    body = moves(client, world, **{"from": 1, "to": 2}).content.decode()
    first = sum(1 for c in api if not c["before"])
    assert f"{len(api) - first} change" in body and "and 1 of what they want" in body
    assert "(wants: nothing said → “delete &#x27;without right&#x27;”)" in body
    assert "(wants: “keep paragraph 3”)" in body
    twin = moves(client, world, **{"from": 1, "to": 2, "format": "json"}).json()
    only = [c for c in twin["changes"] if c["wants_only"]]
    assert [(c["actor"], c["provision"], c["after_wants"]) for c in only] == [
        (kept.statement.actor.code, kept.provision_id, "delete 'without right'")
    ]
    assert only[0]["before"] == only[0]["after"] == kept.stance


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


def test_a_first_stance_is_counted_apart_from_changes_of_stance(client, world):
    from states import services
    from tests.factories import ActorFactory, PositionFactory, StatementFactory

    before = moves(client, world, **{"from": 1, "to": 2}).content.decode()
    changed = int(re.search(r'<h2 id="h-moves">(\d+) change', before).group(1))
    newcomer = ActorFactory(code="NEW", name="Newcomer", kind="member_state")
    second = next(s for s in world.sessions if s.number == 2)
    statement = StatementFactory(session=second, actor=newcomer, status="published")
    PositionFactory(
        statement=statement,
        provision=world.provisions[0],
        stance="support",
        status="published",
    )
    services.matrix_rebuild(treaty_id=world.treaty.pk, full=True)
    body = moves(client, world, **{"from": 1, "to": 2}).content.decode()
    heading = re.search(r'<h2 id="h-moves">(.*?)</h2>', body, re.S).group(1)
    assert heading.startswith(f"{changed} change")  # not one more change of mind
    assert "1 first stance on record" in heading
    assert 'data-testid="first-stances"' in body
