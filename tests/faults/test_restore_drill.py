"""The restore drill (`make restore-drill`): pg_dump, pg_restore into a new
database, every table — matrix cells included — identical."""

import subprocess
import sys

import psycopg
import pytest

from states import services
from tests.states.test_rebuild_task import ROOT, _database_url, published_position
from tracker import backup

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_drill_restores_identical_tables_and_matrix(capsys):
    treaty_id, *_ = published_position("oppose")
    services.matrix_rebuild(treaty_id=treaty_id)
    url = _database_url()

    assert backup.drill(url) == []

    out = capsys.readouterr().out
    assert "restore drill: identical" in out
    assert "states_matrixstance: 1 rows" in out
    # The drill's database is gone again.
    with psycopg.connect(url) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
            [f"{backup.database_name(url)}_restore_drill_%"],
        ).fetchone()[0]
    assert left == 0


def test_the_comparison_finds_a_changed_matrix_cell(tmp_path):
    treaty_id, *_ = published_position("oppose")
    services.matrix_rebuild(treaty_id=treaty_id)
    url = _database_url()
    copy = backup._with_database(url, f"{backup.database_name(url)}_drill_test")
    backup.drop(copy)
    backup.dump(url, tmp_path / "dump")
    backup.restore(tmp_path / "dump", copy)
    try:
        assert backup.compare(url, copy)[0] == []
        with psycopg.connect(copy) as conn:
            conn.execute("UPDATE states_matrixstance SET stance = 'support'")
        (difference,) = backup.compare(url, copy)[0]
        assert difference[0] == "states_matrixstance"
        assert difference[1][0] == difference[2][0] == 1  # same count, other cell
    finally:
        backup.drop(copy)


def test_make_restore_drill_runs_the_drill_and_fails_without_postgresql():
    makefile = (ROOT / "Makefile").read_text()
    assert "restore-drill:" in makefile and "python -m tracker.backup" in makefile
    result = subprocess.run(
        [sys.executable, "-m", "tracker.backup"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///x"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
