import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from pages.selectors import matrix as matrix_page
from states.models import MatrixStance, StatementSource
from states.services import matrix_mark_stale
from tests.factories import ActorFactory
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def matrix_url(world, **params):
    url = reverse("treaty-matrix", kwargs={"treaty": world.treaty.slug})
    if params:
        from django.utils.http import urlencode

        url += "?" + urlencode(params, doseq=True)
    return url


def row_codes(body):
    return re.findall(r'<tr data-actor="([A-Z0-9-]+)"', body)


def cells(body):
    """(actor code, cell) for every cell of the matrix: a stance's link or an empty
    td.n (no information), each under its row's actor."""
    found = []
    for code, row in re.findall(r'<tr data-actor="([^"]+)">(.*?)</tr>', body, re.S):
        found += [(code, cell) for cell in re.findall(r"<td[ >].*?</td>", row)]
    return found


def test_default_matrix_shows_parties_of_current_session_and_all_chapters(
    client, world
):
    response = client.get(matrix_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="matrix-table"' in body
    rows = row_codes(body)
    assert "EU" in rows and "S05" in rows
    assert "NGO" not in rows  # civil society is not a default row
    assert len(rows) == len(world.states) + 1
    assert "As of" in body and "Session 2" in body
    for chapter in world.chapters:
        assert chapter.title in body
    assert len(cells(body)) == len(rows) * len(world.provisions)
    assert 'data-testid="built-at"' in body and "Matrix built" in body
    assert 'data-testid="stale-notice"' not in body


def test_cells_show_stance_by_colour_and_symbol_and_no_information_distinctly(
    client, world
):
    body = client.get(matrix_url(world)).content.decode()
    assert re.search(r'class="cell s-support[^"]*"[^>]*>✚</a>', body)
    assert re.search(r'class="cell s-oppose[^"]*"[^>]*>✖</a>', body)
    assert re.search(r'class="cell s-undecided[^"]*"[^>]*>\?</a>', body)
    # No information is not a link and not the undecided symbol: an empty td.n,
    # its dot drawn by the style sheet, and the legend says what it means.
    assert re.search(r'<td class="n[^"]*"></td>', body)
    assert "No information" in body


def test_inherited_cell_names_its_group_and_evidence_has_the_quote(client, world):
    body = client.get(matrix_url(world, session=1)).content.decode()
    row = re.search(r'<tr data-actor="S00">(.*?)</tr>', body, re.S)
    inherited = row and re.search(r'data-via="eu-members"', row[1])
    assert inherited, "S00 inherits the EU statement in session 1"
    evidence = json.loads(
        re.search(
            r'<script id="matrix-evidence" type="application/json">(.*?)</script>',
            body,
            re.S,
        ).group(1)
    )
    quotes = {quote for _, quote, *_ in evidence["positions"].values()}
    assert "Quote of S05 on prov-1." in quotes
    assert evidence["groups"]["eu-members"] == "EU member states"
    stance, _, statement, wants = next(iter(evidence["positions"].values()))
    assert stance in {"support", "support_with_changes", "undecided", "oppose"}
    assert isinstance(wants, str)
    details = evidence["statements"][str(statement)]
    assert {
        "title",
        "source",
        "source_kind",
        "session",
        "speaker",
        "date",
        "verification",
    } <= set(details)
    # The kind of the first source, as readers read it ("" for a statement whose
    # source the factories wrote without a source row).
    kinds = {s["source_kind"] for s in evidence["statements"].values() if s["source"]}
    assert "Official record" in kinds
    assert kinds <= {"", *dict(StatementSource.Kind.choices).values()}
    # Exactly the positions of the cells shown, no more.
    shown = set(re.findall(r'data-position="(\d+)"', body))
    assert shown == set(evidence["positions"])
    assert 'data-testid="evidence-panel"' in body


def test_provision_headers_state_the_proposition(client, world):
    body = client.get(matrix_url(world)).content.decode()
    assert 'role="tooltip"' in body
    assert "Support means: Keep provision 3 in the convention." in body


def test_totals_row_counts_each_provision(client, world):
    response = client.get(matrix_url(world))
    body = response.content.decode()
    assert 'data-testid="matrix-totals"' in body
    provision = world.provisions[0]
    support = (
        MatrixStance.objects.filter(
            provision_id=provision.pk, stance="support", to_number__isnull=True
        )
        .exclude(actor_id=world.ngo.pk)
        .count()
    )
    match = re.search(
        rf'<td class="[^"]*" data-provision="{provision.pk}" title="Provision 0: '
        rf"Support {support};",
        body,
    )
    assert match


def test_filters_chapter_group_kind_and_session(client, world):
    chapter = world.chapters[1]
    body = client.get(matrix_url(world, chapter=chapter.pk)).content.decode()
    shown = {
        int(p) for p in re.findall(r'<th scope="col"[^>]*data-provision="(\d+)"', body)
    }
    assert shown == {p.pk for p in world.provisions if p.chapter_id == chapter.pk}
    assert len(cells(body)) == len(row_codes(body)) * len(shown)

    body = client.get(matrix_url(world, group="weog")).content.decode()
    assert set(row_codes(body)) == {a.code for i, a in enumerate(world.states) if i % 2}

    body = client.get(matrix_url(world, kind="civil_society")).content.decode()
    assert row_codes(body) == ["NGO"]

    body = client.get(matrix_url(world, session=1)).content.decode()
    assert 'value="1" selected' in body


def test_stance_filter_keeps_rows_with_that_stance_and_exports_exactly_them(
    client, world
):
    body = client.get(matrix_url(world, stance="oppose")).content.decode()
    rows = row_codes(body)
    assert rows and "EU" not in rows  # the EU only supports
    csv_link = re.search(r'href="([^"]+)" data-testid="export-csv"', body).group(1)
    query = parse_qs(urlsplit(csv_link.replace("&amp;", "&")).query)
    assert query["format"] == ["csv"]
    assert query["treaty"] == [world.treaty.slug]
    assert sorted(query["actor"]) == sorted(rows)
    assert "stance" not in query


def test_only_coded_hides_actors_without_any_stance_and_exports_the_rest(client, world):
    silent = ActorFactory(code="SIL", name="Silent state")
    body = client.get(matrix_url(world)).content.decode()
    assert silent.code in row_codes(body)
    body = client.get(matrix_url(world, coded=1)).content.decode()
    rows = row_codes(body)
    assert silent.code not in rows and "S05" in rows
    csv_link = re.search(r'href="([^"]+)" data-testid="export-csv"', body).group(1)
    query = parse_qs(urlsplit(csv_link.replace("&amp;", "&")).query)
    assert sorted(query["actor"]) == sorted(rows)
    assert "coded" not in query
    assert client.get(matrix_url(world, coded="yes")).status_code == 400


def test_export_links_carry_the_same_filters(client, world):
    chapter = world.chapters[0]
    body = client.get(
        matrix_url(world, chapter=chapter.pk, session=1, kind="member_state")
    ).content.decode()
    for testid, fmt in (("export-csv", ["csv"]), ("export-json", None)):
        link = re.search(rf'href="([^"]+)" data-testid="{testid}"', body).group(1)
        split = urlsplit(link.replace("&amp;", "&"))
        assert split.path == "/api/v1/matrix/"
        query = parse_qs(split.query)
        assert query["chapter"] == [str(chapter.pk)]
        assert query["session"] == ["1"]
        assert query["kind"] == ["member_state"]
        assert query.get("format") == fmt


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"session": "abc"}, "session"),
        ({"session": "3"}, "scheduled"),
        ({"session": "99"}, "no session 99"),
        ({"chapter": "999999"}, "chapter"),
        ({"kind": "robot"}, "kind"),
        ({"group": "nope"}, "group"),
        ({"stance": "maybe"}, "stance"),
        ({"coded": "yes"}, "coded"),
        ({"large": "2"}, "large"),
        ({"group": "eu\x00"}, "NUL"),
        ({"treaty": "\x00"}, "NUL"),
    ],
)
def test_bad_filter_values_are_a_400_page_with_the_message(
    client, world, params, message
):
    response = client.get(matrix_url(world, **params))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-message"' in body
    assert message in body


def test_too_large_a_matrix_opens_on_its_first_chapter(client, world, monkeypatch):
    monkeypatch.setattr(matrix_page, "MAX_MATRIX_CELLS", 50)
    response = client.get(matrix_url(world, session=2))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query == {
        "session": ["2"],
        "chapter": [str(world.chapters[0].pk)],
        "large": ["1"],
    }
    body = client.get(response["Location"]).content.decode()
    assert 'data-testid="large-notice"' in body
    # A chosen chapter is never overridden.
    chapter = world.chapters[1].pk
    assert client.get(matrix_url(world, chapter=chapter)).status_code == 200


def test_unknown_treaty_is_404(client, world):
    url = reverse("treaty-matrix", kwargs={"treaty": "no-such-treaty"})
    assert client.get(url).status_code == 404


def test_stale_matrix_says_so(client, world):
    matrix_mark_stale(treaty_id=world.treaty.pk, from_session_number=2)
    body = client.get(matrix_url(world)).content.decode()
    assert 'data-testid="stale-notice"' in body


# The matrix page: treaty, parameters, size check, rows, columns, cells, chapters,
# evidence (positions, then their statements once each, then those statements'
# co-signers and supporters), filter choices.
MATRIX_PAGE_QUERIES = 14


def test_matrix_page_query_budget_does_not_grow_with_data(
    client, django_assert_max_num_queries
):
    world = build_world(states=60, provisions=24, slug="big")
    with django_assert_max_num_queries(MATRIX_PAGE_QUERIES):
        response = client.get(matrix_url(world))
    assert response.status_code == 200
    assert len(row_codes(response.content.decode())) == 61


def test_evidence_names_each_actors_part_in_the_statement():
    """A direct cell may rest on a statement its actor did not make: the evidence
    lists the statement's co-signers and supporters so the dialog can say which."""
    from tests.factories import PositionFactory, StatementFactory

    speaker, co_signer, supporter = ActorFactory.create_batch(3)
    statement = StatementFactory(actor=speaker, also_for="and several others")
    statement.co_signers.add(co_signer)
    statement.supporters.add(supporter)
    position = PositionFactory(statement=statement)

    evidence = matrix_page.evidence_for_positions([position.id])

    details = evidence["statements"][statement.id]
    assert details["speaker_code"] == speaker.code
    assert details["co_signers"] == [co_signer.code]
    assert details["supporters"] == [supporter.code]
    assert details["co_signer_names"] == [co_signer.name]
    assert details["supporter_names"] == [supporter.name]
    assert details["also_for"] == "and several others"


def _page_evidence(body):
    return json.loads(
        re.search(
            r'<script id="matrix-evidence" type="application/json">(.*?)</script>',
            body,
            re.S,
        ).group(1)
    )


def test_joint_statements_evidence_names_co_signers_and_supporters_in_every_cell(
    client, django_assert_max_num_queries
):
    """The speaker's, a co-signer's and a supporter's cell all rest on one joint
    statement; its evidence names the co-signers and supporters (in name order, as
    the provision page does), also when the speaker is not a row of the page."""
    from states.services import matrix_rebuild
    from tests.factories import PositionFactory, SessionFactory, StatementFactory

    session = SessionFactory(number=1, treaty__slug="joint-con")
    japan = ActorFactory(code="JPN", name="Japan")
    co_signers = [
        ActorFactory(code=code, name=name)
        for code, name in (
            ("GBR", "United Kingdom"),
            ("AUS", "Australia"),
            ("CAN", "Canada"),
        )
    ]
    supporters = [
        ActorFactory(code=code, name=name)
        for code, name in (
            ("NOR", "Norway"),
            ("CHE", "Switzerland"),
            ("NZL", "New Zealand"),
        )
    ]
    statement = StatementFactory(
        session=session, actor=japan, also_for="and several other delegations"
    )
    statement.co_signers.add(*co_signers)
    statement.supporters.add(*supporters)
    position = PositionFactory(statement=statement)
    matrix_rebuild(treaty_id=session.treaty.pk)
    url = reverse("treaty-matrix", kwargs={"treaty": "joint-con"})

    with django_assert_max_num_queries(MATRIX_PAGE_QUERIES):
        body = client.get(url).content.decode()

    rows = dict(
        re.findall(r'<tr data-actor="([A-Z]+)">.*?data-position="(\d+)"', body, re.S)
    )
    assert rows == {a.code: str(position.pk) for a in [japan, *co_signers, *supporters]}
    evidence = _page_evidence(body)
    assert evidence["positions"][str(position.pk)][2] == statement.pk
    details = evidence["statements"][str(statement.pk)]
    assert details["speaker"] == "Japan"
    assert details["co_signer_names"] == ["Australia", "Canada", "United Kingdom"]
    assert details["co_signers"] == ["AUS", "CAN", "GBR"]
    assert details["supporter_names"] == ["New Zealand", "Norway", "Switzerland"]
    assert details["supporters"] == ["NZL", "NOR", "CHE"]
    assert details["also_for"] == "and several other delegations"

    # A supporter's row alone: the speaker and the co-signers are no rows, and are
    # still named.
    alone = _page_evidence(client.get(url + "?actor=NOR").content.decode())
    assert set(alone["actors"]) == {"NOR"}
    details = alone["statements"][str(statement.pk)]
    assert details["co_signer_names"] == ["Australia", "Canada", "United Kingdom"]
    assert details["supporter_names"] == ["New Zealand", "Norway", "Switzerland"]


def test_the_evidence_script_cannot_be_ended_by_a_quote_and_reads_as_json_script():
    from django.utils.html import json_script

    from pages.templatetags.site_tags import compact_json_script

    value = {
        "positions": {7: ["oppose", "</script><img src=x onerror=alert(1)> & ‘Ü’"]},
        "statements": {},
    }
    html = str(compact_json_script(value, "matrix-evidence"))
    inside = re.fullmatch(
        r'<script id="matrix-evidence" type="application/json">(.*)</script>', html
    ).group(1)
    assert "<" not in inside and ">" not in inside and "&" not in inside
    expected = re.search(r">(.*)</script>", str(json_script(value, "x"))).group(1)
    assert json.loads(inside) == json.loads(expected)
    assert json.loads(inside)["positions"]["7"][1].startswith("</script>")
