"""CSV that works in a spreadsheet: neutralised formulas in every export, the long
and labelled shapes of the matrix, file names that say what they hold, BOM on demand."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from common import spreadsheet
from provisions.models import ProvisionText
from states import services
from states.models import Position
from tests.formula_world import EVIL, formula_cells, formula_treaty

pytestmark = pytest.mark.django_db

MATRIX = reverse("api:matrix")
CHANGES = reverse("api:matrix-changes")
LISTS = [
    "treaty",
    "session",
    "draft",
    "chapter",
    "provision",
    "provisiontext",
    "actor",
    "group",
    "membership",
    "statement",
    "position",
]


def rows_of(response):
    assert response.status_code == 200, response.content[:300]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def world():
    return formula_treaty()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        (-1, -1),
        (None, None),
    ],
)
def test_safe_cell_quotes_only_text_that_starts_like_a_formula(value, expected):
    assert spreadsheet.safe_cell(value) == expected


@pytest.mark.parametrize("name", LISTS)
def test_every_list_csv_neutralises_formula_cells(client, world, name):
    rows = rows_of(client.get(reverse(f"api:{name}-list"), {"format": "csv"}))
    assert len(rows) > 1
    assert formula_cells(rows) == []


def test_actor_named_like_a_formula_is_text_in_the_actor_csv(client, world):
    rows = rows_of(client.get(reverse("api:actor-list"), {"format": "csv"}))
    names = [dict(zip(rows[0], row, strict=True))["name"] for row in rows[1:]]
    assert "'" + EVIL in names and EVIL not in names


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"header": "labels"},
        {"shape": "long"},
        {"shape": "long", "kind": "all", "bom": "1"},
        {"group": "evil-bloc", "session": 2},
    ],
)
def test_every_matrix_csv_neutralises_formula_cells(client, world, query):
    response = client.get(
        MATRIX, {"treaty": world.treaty.slug, "format": "csv", **query}
    )
    text = response.content.decode("utf-8").removeprefix(spreadsheet.BOM)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    assert formula_cells(rows) == []


def test_changes_csv_neutralises_and_names_its_sessions(client, world):
    response = client.get(
        CHANGES, {"treaty": world.treaty.slug, "format": "csv", "from": 1, "to": 2}
    )
    rows = rows_of(response)
    assert rows[0] == ["actor", "provision", "before", "after"]
    assert formula_cells(rows) == []
    assert (
        "csv-convention-changes-session-1-to-2.csv" in (response["Content-Disposition"])
    )


def test_default_matrix_csv_is_unchanged_for_programs(client, world):
    response = client.get(MATRIX, {"treaty": world.treaty.slug, "format": "csv"})
    assert response.content.startswith(b"actor_code,actor_name,offence,safeguards\r\n")
    rows = rows_of(response)
    assert sorted(rows[1:]) == [
        ["EVL", "'" + EVIL, "oppose", "support"],
        ["PLN", "Côte d'Ivoire", "", "support"],
    ]
    json_etag = client.get(MATRIX, {"treaty": world.treaty.slug})["ETag"]
    assert response["ETag"] == json_etag


def test_wide_csv_with_labels_heads_columns_by_the_latest_drafts_label(client, world):
    response = client.get(
        MATRIX, {"treaty": world.treaty.slug, "format": "csv", "header": "labels"}
    )
    header = rows_of(response)[0]
    # Article 7 in the final draft (Art. 5 before); no text at all: the title alone.
    assert header == ["actor_code", "actor_name", "Article 7: =1+1", "Safeguards"]


def test_labelled_csv_etag_changes_when_a_label_does(client, world):
    query = {"treaty": world.treaty.slug, "format": "csv", "header": "labels"}
    before = client.get(MATRIX, query)["ETag"]
    assert client.get(MATRIX, query, HTTP_IF_NONE_MATCH=before).status_code == 304
    ProvisionText.objects.filter(label="Article 7").update(label="Article 8")
    after = client.get(MATRIX, query, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before
    assert "Article 8: '=1+1" not in after.content.decode()  # label first, no quote
    assert "Article 8: =1+1" in after.content.decode()


def test_long_csv_has_one_line_per_present_cell(client, world):
    response = client.get(
        MATRIX,
        {"treaty": world.treaty.slug, "format": "csv", "shape": "long", "kind": "all"},
    )
    rows = rows_of(response)
    header, lines = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header == [
        "actor_code",
        "actor_name",
        "provision_slug",
        "provision_label",
        "provision_title",
        "stance",
        "wants",
        "since",
        "via",
        "statement",
        "verification",
        "source_url",
    ]
    by_cell = {(line["actor_code"], line["provision_slug"]): line for line in lines}
    assert set(by_cell) == {
        ("PLN", "safeguards"),
        ("EVL", "offence"),
        ("EVL", "safeguards"),
    }
    evil_offence = by_cell[("EVL", "offence")]
    assert evil_offence["actor_name"] == "'" + EVIL
    assert evil_offence["provision_label"] == "Article 7"
    assert evil_offence["provision_title"] == "'=1+1"
    assert evil_offence["stance"] == "oppose"
    assert evil_offence["since"] == "1"
    assert evil_offence["via"] == ""
    assert evil_offence["source_url"] == "https://example.org/evil"
    assert evil_offence["verification"] == "verified"
    assert evil_offence["wants"] == ""
    inherited = by_cell[("PLN", "safeguards")]
    assert inherited["via"] == "evil-bloc"
    assert inherited["since"] == "2"
    assert inherited["provision_label"] == ""
    assert "-long.csv" in response["Content-Disposition"]


def test_long_csv_carries_the_positions_wants_and_the_statements_verification(
    client, world
):
    position = Position.objects.get(provision=world.offence)
    services.position_update(position=position, user=None, wants="-delete it")
    services.statement_update(
        statement=position.statement, user=None, verification="partly_verified"
    )
    services.matrix_rebuild(treaty_id=world.treaty.id)
    response = client.get(
        MATRIX,
        {"treaty": world.treaty.slug, "format": "csv", "shape": "long", "kind": "all"},
    )
    rows = rows_of(response)
    lines = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    (line,) = [x for x in lines if x["provision_slug"] == "offence"]
    assert line["wants"] == "'-delete it"  # neutralised like every cell
    assert line["verification"] == "partly_verified"


def test_matrix_file_name_says_treaty_session_group_and_chapter(client, world):
    response = client.get(
        MATRIX,
        {
            "treaty": world.treaty.slug,
            "format": "csv",
            "session": 1,
            "group": "evil-bloc",
            "chapter": world.chapter.pk,
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="csv-convention-matrix-session-1-group-evil-bloc-'
        'chapter-ii.csv"'
    )


def test_list_csv_file_name_says_resource_and_filters(client, world):
    response = client.get(
        reverse("api:statement-list"),
        {"format": "csv", "actor": "EVL", "page": 1},
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="statements-actor-evl-page-1.csv"'
    )


def test_bom_only_where_asked(client, world):
    plain = client.get(MATRIX, {"treaty": world.treaty.slug, "format": "csv"})
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    marked = client.get(
        MATRIX, {"treaty": world.treaty.slug, "format": "csv", "bom": "1"}
    )
    assert marked.content.startswith(b"\xef\xbb\xbfactor_code,")
    assert marked["ETag"] != plain["ETag"]
    actors = reverse("api:actor-list")
    assert not client.get(actors, {"format": "csv"}).content.startswith(b"\xef")
    assert client.get(actors, {"format": "csv", "bom": "1"}).content.startswith(
        b"\xef\xbb\xbfid,"
    )
    changes = {"treaty": world.treaty.slug, "format": "csv", "bom": "1"}
    assert client.get(CHANGES, changes).content.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("url", "query", "param"),
    [
        (MATRIX, {"format": "csv", "bom": "yes"}, "bom"),
        (MATRIX, {"bom": "1"}, "bom"),
        (MATRIX, {"shape": "long"}, "shape"),
        (MATRIX, {"format": "csv", "shape": "tall"}, "shape"),
        (MATRIX, {"format": "csv", "header": "names"}, "header"),
        (MATRIX, {"format": "csv", "shape": "long", "header": "labels"}, "header"),
        (CHANGES, {"bom": "1"}, "bom"),
        (CHANGES, {"format": "csv", "bom": "0"}, "bom"),
        (reverse("api:actor-list"), {"bom": "1"}, "bom"),
        (reverse("api:actor-list"), {"format": "csv", "bom": "true"}, "bom"),
    ],
)
def test_bad_csv_options_are_a_400_naming_them(client, world, url, query, param):
    treaty = {"treaty": world.treaty.slug} if url in (MATRIX, CHANGES) else {}
    response = client.get(url, {**treaty, **query})
    assert response.status_code == 400
    assert param in response.json()


def test_matrix_page_links_to_the_spreadsheet_forms(client, world):
    body = client.get(
        reverse("treaty-matrix", kwargs={"treaty": world.treaty.slug})
    ).content.decode()
    links = {}
    for testid in ("export-csv", "export-csv-long", "export-json"):
        link = re.search(rf'href="([^"]+)" data-testid="{testid}"', body).group(1)
        links[testid] = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert links["export-csv"]["header"] == ["labels"]
    assert links["export-csv"]["bom"] == ["1"]
    assert links["export-csv-long"]["shape"] == ["long"]
    assert links["export-csv-long"]["bom"] == ["1"]
    assert "bom" not in links["export-json"] and "format" not in links["export-json"]
    for testid in ("export-csv", "export-csv-long"):
        url = f"{MATRIX}?{'&'.join(f'{k}={v[0]}' for k, v in links[testid].items())}"
        assert client.get(url).content.startswith(b"\xef\xbb\xbf")
