"""The states' positions of ahc-facts-2.md §1 (rows 1-62) in the demo."""

import re

import pytest

from demo import data
from provisions.models import Treaty
from states.models import MatrixStance, Position, Statement
from states.services import matrix_rebuild

pytestmark = pytest.mark.django_db

ROW = re.compile(r"ahc-facts-2\.md §1 row (\d+)\.")

# One row or more of each subsection of §1, with the verification its tag gives.
SAMPLES = {
    "1.1": {1: "verified", 8: "partly_verified", 13: "verified"},
    "1.2": {16: "verified", 15: "partly_verified", 26: "verified"},
    "1.3": {30: "partly_verified", 33: "partly_verified"},
    "1.4": {42: "verified", 38: "partly_verified", 41: "partly_verified"},
    "1.5": {48: "verified", 57: "verified", 60: "partly_verified"},
}


def _by_row():
    rows = {}
    for statement in Statement.objects.all():
        for n in ROW.findall(statement.note):
            rows.setdefault(int(n), []).append(statement)
    return rows


def test_every_row_is_loaded_or_left_out_with_a_reason(demo):
    loaded = set(_by_row())
    reasons = {
        int(r["notes_row"]): r["reason"]
        for r in data.rows("left_out.csv")
        if r["table"] == "state_positions"
    }
    left_out = set(reasons)
    assert loaded.isdisjoint(left_out)
    assert loaded | left_out == set(range(1, 63))
    assert all(reason.strip() for reason in reasons.values())
    # [U] facts stay out (row 59), and so do rows naming no state (28, 58).
    assert {28, 58, 59} <= left_out


@pytest.mark.parametrize("subsection", SAMPLES)
def test_each_subsection_is_loaded_with_its_verification(demo, subsection):
    rows = _by_row()
    for n, verification in SAMPLES[subsection].items():
        (statement,) = rows[n]
        assert statement.verification == verification, n
        if verification == "partly_verified":
            assert statement.note.startswith("Partly verified"), n


def test_rows_5_to_7_add_a_source_to_the_2019_general_assembly_statements(demo):
    rows = _by_row()
    for n, actor in ((5, "USA"), (6, "FIN"), (7, "RUS")):
        (statement,) = rows[n]
        assert (statement.session.number, statement.actor.code) == (0, actor)
        urls = list(statement.sources.values_list("url", flat=True))
        assert urls[0] == statement.source_url
        assert "english.udayavani.com" in urls[1]
    usa = rows[5][0]
    assert "no consensus on whether a new treaty is needed" in usa.text


def test_article_14_positions_say_what_each_actor_wants(demo):
    positions = Position.objects.filter(
        provision__slug="child-sexual-abuse-material", statement__session__number=8
    ).select_related("statement__actor")
    by_actor = {p.statement.actor.code: (p.stance, p.wants) for p in positions}
    assert by_actor == {
        "JPN": ("support", "keep paragraph 3"),
        "IRN": (
            "support_with_changes",
            "delete paragraph 3 (the real/non-real distinction)",
        ),
        "CHE": ("support", "keep “without right” in paragraph 4"),
        "UGA": ("support_with_changes", "delete “without right” from paragraph 4"),
    }
    uganda = Statement.objects.get(session__number=8, actor__code="UGA")
    assert list(uganda.supporters.values_list("code", flat=True)) == ["COD"]
    assert Statement.objects.get(session__number=8, actor__code="CHE").also_for


def test_supporters_hold_the_position_in_the_matrix(demo):
    treaty = Treaty.objects.get(slug="un-cybercrime")
    matrix_rebuild(treaty_id=treaty.id, full=True)

    def cell(code, slug, number):
        rows = MatrixStance.objects.filter(
            treaty=treaty,
            actor__code=code,
            provision__slug=slug,
            from_number__lte=number,
        ).values_list("stance", "to_number")
        return [s for s, to in rows if to is None or to > number]

    assert cell("COD", "child-sexual-abuse-material", 8) == ["support_with_changes"]
    assert cell("RUS", "child-sexual-abuse-material", 8) == ["support_with_changes"]
    # The EU's statements at session 9 speak for its members and the aligned states.
    assert cell("FRA", "un-cybercrime-convention", 9) == ["support"]
    assert cell("SRB", "un-cybercrime-convention", 9) == ["support"]
    assert cell("FRA", "un-cybercrime-convention", 8) == ["oppose"]


def test_a_source_cut_short_keeps_its_statement_a_draft_with_the_address(demo):
    rows = _by_row()
    for n, address in (
        (2, "mid.ru/en/…/content/id/3449030"),
        (24, "dfat.gov.au/…/77th-session/"),
        (55, "gayaone.com/en/world-events/summary/…"),
    ):
        (statement,) = rows[n]
        assert statement.status == "draft" and statement.source_url == ""
        assert address in statement.note
        assert not statement.sources.exists()
        assert not statement.positions.filter(status="published").exists()
    published = Statement.objects.published().filter(note__contains="ahc-facts-2.md")
    assert all("…" not in s.source_url for s in published)
