"""Query budgets of the data twins (pages/twins.py): each page kind's `?format=json`
answers in a fixed number of queries, the same on a small and on a large
negotiation (no N+1), within its named budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db

HOME_TWIN_QUERIES = 4  # its counts cached after the warm-up (pages.selectors.home)
METHODOLOGY_TWIN_QUERIES = 0
TREATY_TWIN_QUERIES = 5
MATRIX_TWIN_QUERIES = 5
PROVISION_TWIN_QUERIES = 11
ACTOR_TWIN_QUERIES = 14
SESSION_TWIN_QUERIES = 7
COMPARE_TWIN_QUERIES = 7
SEARCH_TWIN_QUERIES = 7
CHANGES_TWIN_QUERIES = 10
MOVES_TWIN_QUERIES = 12
ACTORS_TWIN_QUERIES = 1
GROUP_TWIN_QUERIES = 11

SMALL = {"states": 6, "provisions": 4}
LARGE = {"states": 60, "provisions": 12}


def _twins(world):
    treaty = world.treaty.slug
    state = world.states[4].code  # a speaker (0–3 speak through the EU)
    codes = ",".join(s.code for s in world.states[:6])
    return {
        "home": (reverse("home"), HOME_TWIN_QUERIES),
        "methodology": (reverse("methodology"), METHODOLOGY_TWIN_QUERIES),
        "treaty": (
            reverse("treaty-detail", kwargs={"treaty": treaty}),
            TREATY_TWIN_QUERIES,
        ),
        "matrix": (
            reverse("treaty-matrix", kwargs={"treaty": treaty}),
            MATRIX_TWIN_QUERIES,
        ),
        "provision": (world.provisions[1].get_absolute_url(), PROVISION_TWIN_QUERIES),
        "actor": (reverse("actor-detail", kwargs={"code": state}), ACTOR_TWIN_QUERIES),
        "session": (world.sessions[1].get_absolute_url(), SESSION_TWIN_QUERIES),
        "compare": (
            reverse("treaty-compare", kwargs={"treaty": treaty}) + f"?actors={codes}",
            COMPARE_TWIN_QUERIES,
        ),
        "search": (reverse("search") + "?q=support", SEARCH_TWIN_QUERIES),
        "changes": (reverse("changes"), CHANGES_TWIN_QUERIES),
        "actors": (reverse("actor-list") + "?kind=member_state", ACTORS_TWIN_QUERIES),
        "group": (
            reverse("group-detail", kwargs={"slug": world.groups["west"].slug}),
            GROUP_TWIN_QUERIES,
        ),
        "moves": (
            reverse("treaty-moves", kwargs={"treaty": treaty}) + "?from=1&to=2",
            MOVES_TWIN_QUERIES,
        ),
    }


def _queries(client, url):
    url += ("&" if "?" in url else "?") + "format=json"
    client.get(url)  # warm-up: caches that fill once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json", url
    return len(captured)


TWINS = [
    "home",
    "methodology",
    "treaty",
    "matrix",
    "provision",
    "actor",
    "session",
    "compare",
    "search",
    "changes",
    "moves",
    "actors",
    "group",
]


def test_every_twin_has_a_budget():
    from pages.twins import BUILDERS

    assert len(BUILDERS) == len(TWINS)


@pytest.mark.parametrize("twin", TWINS)
def test_twin_queries_are_fixed(client, twin):
    small = build_world(**SMALL, slug="small", prefix="A")
    url, budget = _twins(small)[twin]
    few = _queries(client, url)
    large = build_world(**LARGE, slug="large", prefix="B")
    url, budget = _twins(large)[twin]
    many = _queries(client, url)
    assert many == few, f"{twin}: {few} queries on the small world, {many} on the large"
    assert many == budget
