"""common.api.Pagination: pages that cost the same at any depth, with `count` exact
where that is cheap and the planner's estimate above EXACT_COUNT_BELOW."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.api import Pagination, _estimated_rows
from states.models import Statement
from tests.factories import SessionFactory, StatementFactory

pytestmark = pytest.mark.django_db

STATEMENTS = "/api/v1/statements/"
ROWS = 35
# Statements list: the page, its co-signers, supporters and sources; the planner's
# estimate; nothing grows.
KEYSET_PAGE_QUERIES = 5


@pytest.fixture
def statements():
    session = SessionFactory()
    made = StatementFactory.create_batch(ROWS, session=session)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE states_statement")
    return sorted(s.id for s in made)


def walk(anon, url, direction="next"):
    """The ids of every page from `url` on, following the links; the pages."""
    ids, pages = [], []
    while url:
        response = anon.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body)
        ids += [row["id"] for row in body["results"]]
        url = body[direction]
    return ids, pages


def test_next_links_walk_every_row_once_in_id_order(anon, statements):
    ids, pages = walk(anon, f"{STATEMENTS}?page_size=10")
    assert ids == statements
    assert len(pages) == 4
    assert all(page["count"] == ROWS for page in pages)
    assert "after=" in pages[0]["next"] and "page=2" in pages[0]["next"]
    assert pages[-1]["next"] is None


def test_previous_links_walk_back(anon, statements):
    _, pages = walk(anon, f"{STATEMENTS}?page_size=10")
    back, _ = walk(anon, pages[-1]["previous"], "previous")
    # From page 3 back to page 1, each page in id order.
    assert sorted(back) == statements[:30]
    assert back[:10] == statements[20:30]


def test_a_page_by_number_still_works_and_past_the_end_is_404(anon, statements):
    third = anon.get(STATEMENTS, {"page_size": 10, "page": 3}).json()
    assert [row["id"] for row in third["results"]] == statements[20:30]
    assert anon.get(STATEMENTS, {"page_size": 10, "page": 5}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"after": "x"},
        {"after": "0"},
        {"before": "-3"},
        {"after": "1", "ordering": "title"},
        {"after": "1", "before": "9"},
    ],
)
def test_bad_keysets_are_400(anon, statements, query):
    response = anon.get(STATEMENTS, query)
    assert response.status_code == 400
    assert set(response.json()) & {"after", "before"}


@pytest.mark.usefixtures("require_postgresql")
def test_above_the_threshold_count_is_the_estimate_and_no_count_runs(
    anon, statements, monkeypatch
):
    monkeypatch.setattr(Pagination, "EXACT_COUNT_BELOW", 10)
    estimate = _estimated_rows(Statement.objects.published())
    with CaptureQueriesContext(connection) as queries:
        first = anon.get(STATEMENTS, {"page_size": 10}).json()
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert first["count"] == max(estimate, 11)
    # The last page knows every row: exact again.
    _, pages = walk(anon, f"{STATEMENTS}?page_size=10")
    assert pages[-1]["count"] == ROWS


@pytest.mark.usefixtures("require_postgresql")
def test_a_deep_keyset_page_costs_the_queries_of_the_first(
    anon, statements, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(Pagination, "EXACT_COUNT_BELOW", 10)
    with django_assert_max_num_queries(KEYSET_PAGE_QUERIES):
        first = anon.get(STATEMENTS, {"page_size": 5}).json()
    deep = f"{STATEMENTS}?page_size=5&page=6&after={statements[24]}"
    with django_assert_max_num_queries(KEYSET_PAGE_QUERIES):
        page = anon.get(deep).json()
    assert first["results"]
    assert [row["id"] for row in page["results"]] == statements[25:30]


def test_a_deep_page_by_number_skips_ids_only_and_gives_the_same_rows(
    anon, statements, monkeypatch
):
    shallow = {
        number: anon.get(STATEMENTS, {"page_size": 10, "page": number}).json()
        for number in (2, 3, 4)
    }
    monkeypatch.setattr(Pagination, "SKIP_IDS_FROM", 10)
    for number, expected in shallow.items():
        with CaptureQueriesContext(connection) as queries:
            deep = anon.get(STATEMENTS, {"page_size": 10, "page": number}).json()
        assert deep == expected
        page_reads = [q["sql"] for q in queries if "OFFSET" in q["sql"]]
        # Only the ids are read past the offset.
        assert len(page_reads) == 1
        assert page_reads[0].startswith('SELECT "states_statement"."id" AS "pk" FROM')
    assert [row["id"] for row in shallow[3]["results"]] == statements[20:30]
    assert anon.get(STATEMENTS, {"page_size": 10, "page": 5}).status_code == 404


def test_a_deep_page_by_number_keeps_a_requested_order(anon, statements, monkeypatch):
    query = {"page_size": 10, "page": 2, "ordering": "-id"}
    expected = anon.get(STATEMENTS, query).json()
    monkeypatch.setattr(Pagination, "SKIP_IDS_FROM", 10)
    deep = anon.get(STATEMENTS, query).json()
    assert deep == expected
    assert [row["id"] for row in deep["results"]] == statements[::-1][10:20]


@pytest.mark.usefixtures("require_postgresql")
def test_a_deep_page_by_number_costs_one_query_more_than_the_first(
    anon, statements, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(Pagination, "EXACT_COUNT_BELOW", 10)
    monkeypatch.setattr(Pagination, "SKIP_IDS_FROM", 10)
    with django_assert_max_num_queries(KEYSET_PAGE_QUERIES + 1):
        page = anon.get(STATEMENTS, {"page_size": 5, "page": 6}).json()
    assert [row["id"] for row in page["results"]] == statements[25:30]
