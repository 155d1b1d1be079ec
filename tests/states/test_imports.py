"""Importing positions from CSV and XLSX: dry run, issues by row and column, one
transaction through the services, idempotence, publication and the query budget."""

import pytest
from django.core.exceptions import PermissionDenied

from states import imports
from states.imports import reading
from states.matrix import build as matrix_build
from states.models import Position, Revision, Statement, StatementSource
from tests.api_helpers import make_user
from tests.factories import PositionFactory, StatementFactory
from tests.states.import_world import (
    COLUMNS,
    SOURCE,
    csv_bytes,
    good_rows,
    import_world,
    xlsx_bytes,
)


def _import_revisions():
    """The revisions of what an import writes: statements and positions (the
    fixtures' actors and provisions have histories of their own)."""
    return Revision.objects.filter(
        entity__in=[Revision.Entity.STATEMENT, Revision.Entity.POSITION]
    )


pytestmark = pytest.mark.django_db

# Planning reads the treaty once (sessions, actors, aliases, groups, provisions,
# texts) and the statements on record once (with four prefetches), whatever the
# number of rows.
PLAN_QUERY_BUDGET = 15
# Writing: a fixed part, then each statement and each position through the services
# (full_clean, save, co-signers, sources, its revision completed by each relation:
# 27 for a statement with co-signers, 7 for a position, measured).
APPLY_FIXED_BUDGET = 20
APPLY_PER_STATEMENT_BUDGET = 28
APPLY_PER_POSITION_BUDGET = 8


@pytest.fixture
def world():
    return import_world()


def run(treaty, content, filename="positions.csv", **options):
    table = imports.read_table(content, filename)
    return imports.import_table(treaty=treaty, table=table, **options)


def test_dry_run_counts_what_would_be_created_and_writes_nothing(world):
    treaty = world[0]
    report = run(treaty, csv_bytes(good_rows()))
    assert report.ok, [str(i) for i in report.issues]
    assert report.counts == {
        "statements": {"create": 2, "update": 0, "unchanged": 0},
        "positions": {"create": 4, "update": 0, "unchanged": 0},
    }
    assert not report.applied
    assert Statement.objects.count() == 0 and not _import_revisions().exists()


def test_import_writes_drafts_through_the_services_attributed_to_the_importer(
    world,
):
    treaty, session, provisions, actors = world
    editor = make_user("ines", "Editors")
    report = run(treaty, csv_bytes(good_rows()), user=editor, dry_run=False)
    assert report.applied
    japan = Statement.objects.get(actor=actors["JPN"])
    assert japan.status == "draft" and japan.created_by == editor
    assert japan.session == session and str(japan.date) == "2024-02-05"
    assert japan.text == "Japan supports a narrow list of offences."
    assert japan.verification == "partly_verified"
    assert sorted(japan.co_signers.values_list("code", flat=True)) == ["AUS", "NZL"]
    assert list(japan.sources.values_list("url", "kind")) == [
        (SOURCE, "official_record")
    ]
    stances = {
        p.provision.slug: (p.stance, p.wants, p.status)
        for p in japan.positions.select_related("provision")
    }
    assert stances == {
        "illegal-access": ("support_with_changes", "delete 'without right'", "draft"),
        "illegal-access-3": ("oppose", "", "draft"),
        "human-rights": ("support", "", "draft"),
    }
    canada = Statement.objects.get(actor=actors["CAN"])
    assert canada.date is None and canada.verification == "unverified"
    assert canada.positions.get().provision == provisions["scope"]
    revisions = _import_revisions()
    assert revisions.count() == 6
    assert {r.user_id for r in revisions} == {editor.pk}


def test_the_same_file_twice_changes_nothing_the_second_time(world):
    treaty = world[0]
    content = csv_bytes(good_rows())
    run(treaty, content, dry_run=False)
    revisions = _import_revisions().count()
    again = run(treaty, content, dry_run=False)
    assert again.applied and again.counts == {
        "statements": {"create": 0, "update": 0, "unchanged": 2},
        "positions": {"create": 0, "update": 0, "unchanged": 4},
    }
    assert _import_revisions().count() == revisions
    assert Statement.objects.count() == 2 and Position.objects.count() == 4


def test_a_changed_row_updates_only_what_it_changes(world):
    treaty = world[0]
    run(treaty, csv_bytes(good_rows()), dry_run=False)
    rows = good_rows()
    rows[2]["stance"] = "oppose"
    rows[3]["verification"] = "verified"
    report = run(treaty, csv_bytes(rows), dry_run=False)
    assert report.counts == {
        "statements": {"create": 0, "update": 1, "unchanged": 1},
        "positions": {"create": 0, "update": 1, "unchanged": 3},
    }
    assert Position.objects.get(provision__slug="human-rights").stance == "oppose"
    assert Statement.objects.get(title="Canada on scope").verification == "verified"


def test_every_issue_names_its_row_and_column_and_nothing_is_written(world):
    treaty = world[0]
    rows = good_rows()
    rows[0]["provision"] = "Art. 99"
    rows[1]["stance"] = "maybe"
    rows[3]["date"] = "2024-02-12"
    rows.append({**rows[3], "speaker": "Atlantis", "title": "Atlantis speaks"})
    report = run(treaty, csv_bytes(rows), dry_run=False)
    assert not report.applied and Statement.objects.count() == 0
    issues = {(i.row, i.column): i.message for i in report.issues}
    assert "Unknown provision “Art. 99”" in issues[(2, "provision")]
    assert issues[(3, "stance")] == (
        "“maybe” is not allowed; use one of: support, support_with_changes, "
        "undecided, oppose."
    )
    assert issues[(5, "date")] == (
        "12 Feb 2024 is outside session 7's dates 29 Jan–9 Feb 2024."
    )
    assert "No actor is called “Atlantis”" in issues[(6, "speaker")]
    assert report.unmatched == ["Atlantis"]
    assert str(report.issues[0]).startswith("Row 2, column provision: ")


def test_a_label_naming_different_provisions_in_different_drafts_is_refused(world):
    treaty = world[0]
    rows = good_rows()[3:]
    rows[0]["provision"] = "Article 5"
    report = run(treaty, csv_bytes(rows))
    (issue,) = report.issues
    assert (issue.row, issue.column) == (2, "provision")
    assert "Article 5 in Zero draft is scope" in issue.message
    assert "Article 5 in Final text is human-rights" in issue.message


def test_a_later_row_of_a_statement_cannot_contradict_its_first(world):
    treaty = world[0]
    rows = good_rows()
    rows[2]["co_signers"] = "Canada"
    rows[2]["stance"] = "support"
    rows[1]["provision"] = "illegal-access"
    report = run(treaty, csv_bytes(rows))
    issues = {(i.row, i.column): i.message for i in report.issues}
    assert (
        "differs from row 2, where this statement starts" in issues[(4, "co_signers")]
    )
    assert "has a row in this statement already (row 2)" in issues[(3, "provision")]


def test_an_xlsx_file_imports_like_the_csv(world):
    treaty = world[0]
    report = run(treaty, xlsx_bytes(good_rows()), "positions.xlsx", dry_run=False)
    assert report.applied, [str(i) for i in report.issues]
    assert str(Statement.objects.get(title__startswith="Statement").date) == (
        "2024-02-05"
    )
    again = run(treaty, csv_bytes(good_rows()))
    assert again.counts["positions"]["unchanged"] == 4


def test_an_xlsx_file_with_bad_rows_names_them(world):
    treaty = world[0]
    rows = good_rows()
    rows[3]["session"] = "12"
    report = run(treaty, xlsx_bytes(rows), "positions.xlsx")
    (issue,) = report.issues
    assert (issue.row, issue.column) == (5, "session")
    assert "has no session 12; its sessions are: 7" in issue.message


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"session,speaker\n", "a.csv", "Missing required column(s): "),
        (
            csv_bytes(good_rows(), [*COLUMNS, "mood"]),
            "a.csv",
            "Unknown column(s): “mood”",
        ),
        ("session;spéaker".encode("latin-1"), "a.csv", "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a.png", "not a CSV or XLSX"),
        (b"PK\x03\x04broken", "a.xlsx", "cannot be read as an Excel workbook"),
        (b"x" * (imports.MAX_BYTES + 1), "a.csv", "at most 2 MB"),
        (csv_bytes([]), "a.csv", "a header but no rows"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(
    content, filename, message
):
    with pytest.raises(imports.FileRefused, match=None) as refused:
        imports.read_table(content, filename)
    assert message in str(refused.value)


def test_a_workbook_is_refused_before_it_unpacks_or_reads_too_much(monkeypatch):
    content = xlsx_bytes(good_rows())
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(imports.FileRefused, match="unpacks to more than"):
        imports.read_table(content, "a.xlsx")
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 10**8)
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    with pytest.raises(imports.FileRefused, match="more than 2 rows"):
        imports.read_table(content, "a.xlsx")


def test_a_semicolon_separated_csv_without_bom_is_read():
    content = "session;speaker;title;text;provision;stance\n7;JPN;T;X;14;support\n"
    table = imports.read_table(content.encode(), "a.csv")
    assert table.rows == [
        (
            2,
            {
                "session": "7",
                "speaker": "JPN",
                "title": "T",
                "text": "X",
                "provision": "14",
                "stance": "support",
            },
        )
    ]


def test_a_reviewer_publishes_and_the_matrix_is_marked_stale_once(world, monkeypatch):
    treaty = world[0]
    reviewer = make_user("rosa", "Reviewers")
    marks = []
    real_mark = matrix_build.mark_stale
    monkeypatch.setattr(
        matrix_build,
        "mark_stale",
        lambda *args: marks.append(args) or real_mark(*args),
    )
    report = run(
        treaty, csv_bytes(good_rows()), user=reviewer, publish=True, dry_run=False
    )
    assert report.applied
    assert set(Statement.objects.values_list("status", flat=True)) == {"published"}
    assert set(Position.objects.values_list("status", flat=True)) == {"published"}
    assert marks == [(treaty.pk, 7)]
    again = run(
        treaty, csv_bytes(good_rows()), user=reviewer, publish=True, dry_run=False
    )
    assert again.counts["positions"]["unchanged"] == 4 and len(marks) == 1


def test_an_editor_may_not_publish_an_import(world):
    editor = make_user("ines", "Editors")
    with pytest.raises(PermissionDenied):
        run(world[0], csv_bytes(good_rows()), user=editor, publish=True)


def test_publishing_needs_a_source_on_every_statement(world):
    rows = good_rows()[3:]
    rows[0]["source_url"] = ""
    report = run(world[0], csv_bytes(rows), publish=True)
    assert [(i.row, i.column) for i in report.issues] == [(2, "source_url")]


def test_an_editor_cannot_change_a_published_statement_by_import(world):
    treaty, session, provisions, actors = world
    editor = make_user("ines", "Editors")
    statement = StatementFactory(
        session=session,
        actor=actors["CAN"],
        date=None,
        title="Canada on scope",
        text="Canada wants a narrow scope.",
        source_url="https://example.org/ahc7/canada",
        verification="unverified",
    )
    PositionFactory(
        statement=statement, provision=provisions["scope"], stance="support"
    )
    report = run(treaty, csv_bytes(good_rows()[3:]), user=editor, dry_run=False)
    (issue,) = report.issues
    assert (issue.row, issue.column) == (2, "stance")
    assert "published; only a reviewer can change it" in issue.message
    assert Position.objects.get().stance == "support"


def test_a_file_without_optional_columns_keeps_what_the_record_has(world):
    treaty = world[0]
    run(treaty, csv_bytes(good_rows()), dry_run=False)
    StatementSource.objects.update(kind="ngo_report")
    minimal = ["session", "date", "speaker", "title", "text", "source_url"]
    report = run(treaty, csv_bytes(good_rows(), [*minimal, "provision", "stance"]))
    assert report.ok and report.counts["statements"]["unchanged"] == 2


def test_the_import_reads_and_writes_within_its_query_budget(
    world, django_assert_max_num_queries
):
    treaty = world[0]
    rows = []
    for number in range(20):
        for provision in ("Art. 14", "14(3)", "human-rights"):
            rows.append(
                {
                    **good_rows()[0],
                    "title": f"Statement {number}",
                    "provision": provision,
                }
            )
    content = csv_bytes(rows)
    with django_assert_max_num_queries(PLAN_QUERY_BUDGET):
        report = run(treaty, content)
    assert report.counts["positions"]["create"] == 60
    budget = (
        APPLY_FIXED_BUDGET
        + 20 * APPLY_PER_STATEMENT_BUDGET
        + 60 * APPLY_PER_POSITION_BUDGET
    )
    with django_assert_max_num_queries(budget):
        run(treaty, content, dry_run=False)
    with django_assert_max_num_queries(PLAN_QUERY_BUDGET):
        again = run(treaty, content, dry_run=False)
    assert again.counts["positions"]["unchanged"] == 60


# A statement's editor note, its further sources and a statement without a position.
FULL_COLUMNS = [*COLUMNS, "source_kind", "more_sources", "statement_note", "note"]


def _with_more(rows):
    rows[0]["source_kind"] = "actor_statement"
    rows[0]["more_sources"] = (
        "https://example.org/report;page=2 (ngo_report)\nhttps://example.org/news"
    )
    rows[0]["statement_note"] = "Said in the corridor; the record is a summary."
    rows[0]["note"] = "The quote is the notes' summary."
    return rows


def test_further_sources_and_the_statements_note_are_imported(world):
    treaty = world[0]
    report = run(
        treaty, csv_bytes(_with_more(good_rows()), FULL_COLUMNS), dry_run=False
    )
    assert report.applied, [str(i) for i in report.issues]
    japan = Statement.objects.get(title="Statement on criminalization")
    assert list(japan.sources.order_by("order").values_list("url", "kind")) == [
        (SOURCE, "actor_statement"),
        # A ';' inside an address is not a separator; a kind defaults to
        # source_kind's.
        ("https://example.org/report;page=2", "ngo_report"),
        ("https://example.org/news", "actor_statement"),
    ]
    assert japan.note == "Said in the corridor; the record is a summary."
    # The position's note is the position's, not the statement's.
    assert japan.positions.get(provision__slug="illegal-access").note == (
        "The quote is the notes' summary."
    )
    assert Statement.objects.get(title="Canada on scope").note == ""


def test_changed_further_sources_and_note_update_the_statement(world):
    treaty = world[0]
    run(treaty, csv_bytes(_with_more(good_rows()), FULL_COLUMNS), dry_run=False)
    again = run(treaty, csv_bytes(_with_more(good_rows()), FULL_COLUMNS))
    assert again.counts["statements"]["unchanged"] == 2
    rows = _with_more(good_rows())
    rows[0]["more_sources"] = "https://example.org/news (news)"
    rows[0]["statement_note"] = "Checked against the record."
    report = run(treaty, csv_bytes(rows, FULL_COLUMNS), dry_run=False)
    (plan, _canada) = report.statements
    assert plan.changes == ["statement_note", "more_sources"]
    japan = Statement.objects.get(title="Statement on criminalization")
    assert japan.note == "Checked against the record."
    assert list(japan.sources.order_by("order").values_list("url", "kind")) == [
        (SOURCE, "actor_statement"),
        ("https://example.org/news", "news"),
    ]


def test_bad_further_sources_are_refused_by_row_and_column(world):
    treaty = world[0]
    rows = _with_more(good_rows())
    rows[0]["more_sources"] = f"not an address; {SOURCE}\nhttps://example.org/x (memo)"
    rows[3]["source_url"] = ""
    rows[3]["more_sources"] = "https://example.org/y"
    report = run(treaty, csv_bytes(rows, FULL_COLUMNS))
    messages = [(i.row, i.column, i.message) for i in report.issues]
    assert (2, "more_sources", f"{SOURCE} is listed twice.") in messages
    assert any(
        (row, column) == (2, "more_sources") and "not an address" in message
        for row, column, message in messages
    )
    assert any(
        (row, column) == (2, "more_sources") and "“memo” is not allowed" in message
        for row, column, message in messages
    )
    assert (
        5,
        "more_sources",
        "Further sources need a source_url first.",
    ) in messages


def test_a_row_without_provision_and_stance_records_the_statement_alone(world):
    treaty = world[0]
    rows = good_rows()[3:]
    rows[0].update(provision="", stance="")
    rows.append(
        {**rows[0], "title": "Canada again", "provision": "", "stance": "oppose"}
    )
    refused = run(treaty, csv_bytes(rows))
    assert [(i.row, i.column) for i in refused.issues] == [(3, "provision")]
    report = run(treaty, csv_bytes(rows[:1]), publish=True, dry_run=False)
    assert report.applied and report.counts["positions"]["create"] == 0
    canada = Statement.objects.get(title="Canada on scope")
    assert canada.status == "published" and not canada.positions.exists()
