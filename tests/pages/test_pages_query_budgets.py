"""Query budgets of the pages that had none: the same number of queries on a small
and on a large negotiation (no N+1), within a named budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db

HOME_QUERIES = 4  # its counts cached after the warm-up (pages.selectors.home)
TREATY_QUERIES = 5
COMPARE_QUERIES = 9  # with the position notes (wants)
SEARCH_QUERIES = 7
FEED_QUERIES = 1

SMALL = {"states": 6, "provisions": 4}
LARGE = {"states": 60, "provisions": 12}


def _pages(world):
    treaty = world.treaty.slug
    codes = ",".join(s.code for s in world.states[:6])
    return {
        "home": (reverse("home"), HOME_QUERIES),
        "treaty": (reverse("treaty-detail", kwargs={"treaty": treaty}), TREATY_QUERIES),
        "compare": (
            reverse("treaty-compare", kwargs={"treaty": treaty}) + f"?actors={codes}",
            COMPARE_QUERIES,
        ),
        "search": (reverse("search") + "?q=support", SEARCH_QUERIES),
        "feed": (reverse("feed-statements"), FEED_QUERIES),
    }


def _queries(client, url):
    client.get(url)  # warm-up: caches that fill once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", ["home", "treaty", "compare", "search", "feed"])
def test_page_queries_do_not_grow_with_the_negotiation(client, page):
    small = build_world(**SMALL, slug="small", prefix="A")
    url, budget = _pages(small)[page]
    few = _queries(client, url)
    large = build_world(**LARGE, slug="large", prefix="B")
    url, budget = _pages(large)[page]
    many = _queries(client, url)
    assert many == few, f"{page}: {few} queries on the small world, {many} on the large"
    assert many <= budget
