"""The home page's counts stay cheap at UN scale (issue 10, item 1).

A query joining sessions × statements × positions × provisions with DISTINCT counts
multiplies the rows it handles (~180 M at UN scale). These tests run every query of
the page through EXPLAIN ANALYZE and bound the rows any plan node handles by the
rows of the largest table, and they fix the number of queries.
"""

import json

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.selectors import home as home_page
from provisions.models import Provision, Treaty
from states import services
from states.models import Position, Statement, Status
from tests.factories import ProvisionFactory, StatementFactory, TreatyFactory
from tests.pages.pages_world import build_world

pytestmark = [pytest.mark.services, pytest.mark.django_db]

# GET /: the treaties (with their matrix state), their sessions (prefetched),
# provisions, statements and positions grouped by treaty or session, the actors by
# kind — however many treaties. The published counts are cached while no treaty's
# matrix is owed a change: then 4.
HOME_PAGE_QUERIES = 6
HOME_PAGE_CACHED_QUERIES = 4


def _world():
    world = build_world(states=8, provisions=6)
    # A second treaty with provisions and no statements, and a third with nothing.
    other = TreatyFactory(slug="other", title="Another convention")
    ProvisionFactory.create_batch(3, treaty=other)
    TreatyFactory(slug="empty", title="A convention without anything")
    return world


def _max_rows_of_any_plan_node(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()[0]
    if isinstance(plan, str):  # pragma: no cover - the driver may not decode json
        plan = json.loads(plan)[0]

    def walk(node):
        rows = node["Actual Rows"] * node.get("Actual Loops", 1)
        return max([rows, *(walk(child) for child in node.get("Plans", []))])

    return walk(plan["Plan"])


def test_no_query_of_the_home_page_handles_more_rows_than_a_table_holds(client):
    _world()
    largest_table = max(
        Position.objects.count(), Statement.objects.count(), Provision.objects.count()
    )
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    selects = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")
    ]
    assert selects
    for sql in selects:
        # The captured SQL has its parameters inlined already.
        assert _max_rows_of_any_plan_node(sql, None) <= largest_table, sql


def test_the_home_page_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    _world()
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_num_queries(HOME_PAGE_CACHED_QUERIES):
        assert client.get(reverse("home")).status_code == 200
    for n in range(4):
        ProvisionFactory(treaty=TreatyFactory(slug=f"more-{n}", title=f"More {n}"))
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_num_queries(HOME_PAGE_CACHED_QUERIES):
        assert client.get(reverse("home")).status_code == 200


def _counted(treaty):
    (overview,) = [t for t in home_page.treaty_overviews() if t.pk == treaty.pk]
    return overview.statement_count, overview.position_count


def _published(treaty):
    statements = Statement.objects.published().filter(session__treaty=treaty)
    positions = Position.objects.published().filter(statement__session__treaty=treaty)
    return statements.count(), positions.count()


def test_a_publish_or_withdrawal_is_counted_on_the_next_read():
    world = _world()
    treaty = world.treaty
    assert _counted(treaty) == _published(treaty)
    statement = services.statement_create(
        user=None,
        session=world.sessions[1],
        actor=world.states[0],
        kind="oral",
        title="Counted at once",
        text="We support it.",
        source_url="https://example.org/counted",
        status=Status.PUBLISHED,
    )
    services.position_create(
        user=None,
        statement=statement,
        provision=world.provisions[0],
        stance="support",
        status=Status.PUBLISHED,
    )
    before = _published(treaty)
    assert _counted(treaty) == before
    services.statement_unpublish(statement=statement, user=None)
    after = _published(treaty)
    assert after == (before[0] - 1, before[1] - 1)
    assert _counted(treaty) == after


def _joined_overviews():
    """The home page's former query (one join, DISTINCT counts): the reference."""
    return (
        Treaty.objects.annotate(
            statement_count=Count(
                "sessions__statements",
                filter=Q(sessions__statements__status=Status.PUBLISHED),
                distinct=True,
            ),
            position_count=Count(
                "sessions__statements__positions",
                filter=Q(
                    sessions__statements__positions__status=Status.PUBLISHED,
                    sessions__statements__status=Status.PUBLISHED,
                ),
                distinct=True,
            ),
            provision_count=Count("provisions", distinct=True),
        )
        .prefetch_related("sessions")
        .order_by("title")
    )


def test_the_home_page_shows_what_the_joined_counts_showed(client, monkeypatch):
    world = _world()
    # Drafts and unpublished positions must not count.
    StatementFactory(session=world.sessions[0], actor=world.states[0], status="draft")
    Position.objects.filter(pk=Position.objects.order_by("pk").last().pk).update(
        status=Status.DRAFT
    )
    page = client.get(reverse("home")).content.decode()
    monkeypatch.setattr(home_page, "treaty_overviews", _joined_overviews)
    reference = client.get(reverse("home")).content.decode()
    assert page == reference
    assert page.count('data-testid="treaty-card"') == 3
