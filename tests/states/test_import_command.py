"""`manage.py import_positions`: counts printed, issues by row and column, a non-zero
exit status on any issue, nothing written by a dry run."""

import pytest
from django.core.management import CommandError, call_command, load_command_class

from states.models import Statement
from tests.api_helpers import make_user
from tests.states.import_world import csv_bytes, good_rows, import_world, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return import_world()


def write(tmp_path, content, name="positions.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_a_dry_run_prints_the_counts_and_writes_nothing(world, tmp_path, capsys):
    call_command(
        "import_positions",
        write(tmp_path, csv_bytes(good_rows())),
        "--treaty=ahc",
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "Dry run (nothing written): statements: 2 created, 0 updated, " in out
    assert "positions: 4 created, 0 updated, 0 unchanged" in out
    assert Statement.objects.count() == 0


def test_an_import_as_a_user_then_again_reports_everything_unchanged(
    world, tmp_path, capsys
):
    make_user("ines", "Editors")
    path = write(tmp_path, xlsx_bytes(good_rows()), "positions.xlsx")
    call_command("import_positions", path, "--treaty=ahc", "--user=ines")
    assert "Imported (drafts): statements: 2 created" in capsys.readouterr().out
    call_command("import_positions", path, "--treaty=ahc", "--user=ines")
    assert "statements: 0 created, 0 updated, 2 unchanged" in (capsys.readouterr().out)
    assert set(Statement.objects.values_list("created_by__username", flat=True)) == {
        "ines"
    }


def test_issues_go_to_stderr_by_row_and_column_and_the_command_fails(
    world, tmp_path, capsys
):
    rows = good_rows()
    rows[1]["stance"] = "maybe"
    with pytest.raises(CommandError, match="1 issue"):
        call_command(
            "import_positions", write(tmp_path, csv_bytes(rows)), "--treaty=ahc"
        )
    captured = capsys.readouterr()
    assert "Row 3, column stance: “maybe” is not allowed" in captured.err
    assert "Would be (nothing written): statements: 2 created" in captured.out
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--treaty=nope"], "No treaty has the slug 'nope'"),
        (["--treaty=ahc", "--publish"], "--publish needs --user"),
        (["--treaty=ahc", "--user=ines", "--publish"], "Only reviewers can publish"),
        (["--treaty=ahc", "--user=nobody"], "No user named 'nobody'"),
    ],
)
def test_wrong_arguments_are_refused(world, tmp_path, arguments, message):
    make_user("ines", "Editors")
    with pytest.raises(CommandError, match=message):
        call_command(
            "import_positions", write(tmp_path, csv_bytes(good_rows())), *arguments
        )


def test_an_unreadable_file_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command(
            "import_positions",
            write(tmp_path, "speaker,é".encode("latin-1")),
            "--treaty=ahc",
        )


def test_the_exit_status_is_non_zero_on_issues(world, tmp_path, capsys):
    """As a shell sees it: run_from_argv turns the refusal into exit status 1."""
    rows = good_rows()
    rows[0]["provision"] = "Art. 99"
    path = write(tmp_path, csv_bytes(rows))
    command = load_command_class("states", "import_positions")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "import_positions", path, "--treaty=ahc"])
    assert exited.value.code == 1
    assert "Row 2, column provision: Unknown provision “Art. 99”" in (
        capsys.readouterr().err
    )
