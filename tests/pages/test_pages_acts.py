"""The status page, the vote page and the actor's formal acts, on the demo data and
on a hand-made case for the who-moved table."""

import datetime
import json
import re

import pytest

from demo.loader import demo_load
from pages.selectors.status import cross
from pages.tilemap import grid_positions

pytestmark = pytest.mark.django_db

STATUS = "/t/un-cybercrime/status/"


@pytest.fixture
def demo():
    return demo_load()


def test_cross_on_a_hand_made_case():
    choices = {1: "no", 2: "no", 3: "abstain", 4: "yes"}
    statuses = {1: "signed", 2: "none", 3: "signed", 4: "party", 5: "signed"}
    names = {1: "Bravo", 2: "Alpha", 3: "Charlie", 4: "Delta", 5: "Echo"}
    table = cross(choices, statuses, names)
    assert table["no"] == {
        "party": [],
        "approved": [],
        "signed": ["Bravo"],
        "none": ["Alpha"],
    }
    assert table["abstain"]["signed"] == ["Charlie"]
    assert table["yes"]["party"] == ["Delta"]
    assert table["not_listed"]["signed"] == ["Echo"]
    assert "non_voting" not in table  # empty rows are left out


def test_every_member_has_its_own_tile():
    positions = grid_positions()
    assert len(positions) == 193
    assert len(set(positions.values())) == 193


def test_status_page_counts_map_chart_and_who_moved(client, demo):
    response = client.get(STATUS)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="count-signatories">71<' in html
    assert 'data-testid="count-counted">0 of 40<' in html
    assert 'data-testid="projected-none"' in html
    assert "40 more needed" in html
    # One tile per member state, coloured by status.
    assert html.count('class="tile tile-') == 193
    assert html.count('class="tile tile-approved"') == 1  # Azerbaijan
    assert 'data-code="AZE" data-status="approved"' in html
    assert 'data-code="USA" data-status="none"' in html
    assert 'data-code="GBR" data-status="signed"' in html
    assert "<desc" in html and 'data-testid="map-text"' in html
    assert 'class="series series-signed"' in html
    # Who moved, 2019 vote × today (ahc-facts-2.md §2.6, with Mauritius and Canada
    # signing later): 18 voted no and signed, 14 abstained and signed.
    cell = re.search(
        r'data-cell="no-signed"[^>]*><span class="cell-count">(\d+)<', html
    )
    assert cell and cell.group(1) == "18"
    cell = re.search(
        r'data-cell="abstain-signed"[^>]*><span class="cell-count">(\d+)<', html
    )
    assert cell and cell.group(1) == "14"
    cell = re.search(
        r'data-cell="non_voting-signed"[^>]*><span class="cell-count">(\d+)<', html
    )
    assert cell and cell.group(1) == "4"
    assert "style=" not in html
    assert "<script" not in html


def test_status_table_filters_csv_and_json(client, demo):
    html = client.get(STATUS, {"group": "western-european-and-other-states"}).content
    assert b'id="state-GBR"' in html and b'id="state-CHN"' not in html
    signed = client.get(STATUS, {"status": "approved"}).content.decode()
    assert re.findall(r'<tr id="state-(\w+)"', signed) == ["AZE"]
    csv = client.get(STATUS, {"format": "csv", "status": "approved"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("code,name,kind,group,status,signature_date")
    assert len(lines) == 2 and lines[1].startswith("AZE,Azerbaijan")
    body = json.loads(
        client.get(STATUS, {"format": "json", "group": "african-states"}).content
    )
    assert len(body["rows"]) == 54
    mus = next(r for r in body["rows"] if r["code"] == "MUS")
    assert mus["signature_date"] == "2025-11-19"
    assert mus["sources"]


@pytest.mark.parametrize(
    "query",
    [
        {"group": "atlantis"},
        {"status": "ratified-maybe"},
        {"format": "xml"},
        {"vote": "abc"},
        {"vote": "99999"},
        {"vote": "99999999999999999999999"},
        {"vote": "-1"},
        {"colour": "red"},
    ],
)
def test_status_page_bad_parameters_are_400(client, demo, query):
    assert client.get(STATUS, query).status_code == 400


def test_status_page_404_for_an_unknown_treaty(client):
    assert client.get("/t/nope/status/").status_code == 404


def test_status_page_query_budget(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get(STATUS).status_code == 200


def _vote_url(symbol):
    from states.models import Vote

    vote = Vote.objects.get(document_symbol=symbol)
    return f"/t/un-cybercrime/votes/{vote.pk}/"


def test_vote_page_result_groups_sponsors_and_today(client, demo):
    html = client.get(_vote_url("A/RES/74/247")).content.decode()
    assert '<dd data-choice="yes">79</dd>' in html
    assert '<dd data-choice="no">60</dd>' in html
    assert '<dd data-choice="abstain">33</dd>' in html
    assert '<dd data-choice="non_voting">21</dd>' in html
    assert html.count('class="bar-row"') == 5
    assert "Co-sponsor (47)" in html and "Sponsor (as first tabled) (8)" in html
    cell = re.search(
        r'data-cell="no-signed"[^>]*><span class="cell-count">(\d+)<', html
    )
    assert cell and cell.group(1) == "18"
    assert "style=" not in html


def test_vote_page_query_budget_and_404(client, demo, django_assert_max_num_queries):
    url = _vote_url("A/RES/73/187")
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    assert client.get("/t/un-cybercrime/votes/99999/").status_code == 404
    huge = "/t/un-cybercrime/votes/99999999999999999999999/"
    assert client.get(huge).status_code == 404


def test_actor_timeline_of_formal_acts(client, demo):
    html = client.get("/actors/AZE/").content.decode()
    kinds = re.findall(r'class="act act-([\w-]+)"', html)
    assert kinds == [
        "ballot-yes",  # 2018
        "sponsor",  # of the 2019 text, listed before its vote
        "ballot-yes",  # 2019
        "adoption",
        "signature",
        "domestic_approval",
        "domestic_approval",
    ]
    canada = client.get("/actors/CAN/").content.decode()
    assert "July 2026" in canada  # a month-precision date
    assert "Partly verified" in canada


# The actor page on the demo data, with its formal acts, its statements' sources and
# supporters and its positions' notes (wants, verification, whose statement), and
# the agreement's cache key.
ACTOR_PAGE_WITH_ACTS_QUERIES = 19


def test_actor_page_query_budget_with_formal_acts(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(ACTOR_PAGE_WITH_ACTS_QUERIES):
        assert client.get("/actors/RUS/").status_code == 200


def test_treaty_action_feed(client, demo):
    response = client.get("/feeds/t/un-cybercrime/treaty-actions/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 50
    assert "Azerbaijan: Domestic approval" in body
    assert client.get("/feeds/t/nope/treaty-actions/").status_code == 404


def test_days_left_while_signature_is_open(client, demo):
    from django.utils import timezone

    html = client.get(STATUS).content.decode()
    left = (datetime.date(2026, 12, 31) - timezone.localdate()).days + 1
    shown = re.search(r'data-testid="days-left">(\d+)<', html)
    assert shown and int(shown.group(1)) == max(left, 0)


@pytest.mark.parametrize(
    ("source", "href"),
    [
        (
            "https://treaties.un.org/doc/Volume II/x.xml",
            "https://treaties.un.org/doc/Volume%20II/x.xml",
        ),
        ("report.az", ""),  # a site name, no address
        ("mid.ru/en/…/content/id/3449030", ""),  # shortened by the notes
        (
            "trend.az/azerbaijan/politics/4151684.html",
            "https://trend.az/azerbaijan/politics/4151684.html",
        ),
        ("javascript:alert(1)", ""),
    ],
)
def test_source_links(source, href):
    from pages.templatetags.acts_tags import source_href

    assert source_href(source) == href
