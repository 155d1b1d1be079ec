"""The complete downloads at /data/: CSVW-described CSV in a ZIP, and SQLite."""

import csv
import hashlib
import io
import json
import sqlite3
import zipfile

import csvw
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from provisions.models import Chapter, Draft, Provision, ProvisionText, Session
from states import downloads as downloads_store
from states import dump, services, tasks
from states.models import (
    Actor,
    Group,
    MatrixStance,
    Membership,
    Position,
    Statement,
)
from tests.factories import PositionFactory, StatementFactory
from tests.formula_world import EVIL, formula_cells, formula_treaty

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = formula_treaty()
    # Never published: must not reach the downloads.
    hidden = StatementFactory(
        session=world.first,
        actor=world.plain,
        title="Unpublished draft statement",
        status="draft",
        note="editor-only note",
    )
    PositionFactory(statement=hidden, provision=world.offence, status="draft")
    PositionFactory(
        statement=Statement.objects.get(title="Joint"),
        provision=world.offence,
        status="draft",
        note="another editor-only note",
    )
    world.first.statements.get(title__startswith="+cmd").co_signers.add(world.plain)
    cache.delete(tasks.DOWNLOADS_PENDING_KEY.format(world.treaty.pk))
    return world


@pytest.fixture
def built(world):
    manifest = dump.dump_build(world.treaty)
    root = downloads_store.root()
    return (
        manifest,
        root / manifest["files"]["zip"]["stored_as"],
        root / manifest["files"]["sqlite"]["stored_as"],
    )


def expected_counts(treaty):
    """Each table's rows, counted in the database the way readers may see them."""
    state = treaty.matrix_state
    published = Statement.objects.published().filter(session__treaty=treaty)
    return {
        "sessions": Session.objects.filter(treaty=treaty).count(),
        "drafts": Draft.objects.filter(treaty=treaty).count(),
        "chapters": Chapter.objects.filter(treaty=treaty).count(),
        "provisions": Provision.objects.filter(treaty=treaty).count(),
        "texts": ProvisionText.objects.filter(provision__treaty=treaty).count(),
        "actors": Actor.objects.count(),
        "groups": Group.objects.count(),
        "memberships": Membership.objects.count(),
        "statements": published.count(),
        "co_signers": Statement.co_signers.through.objects.filter(
            statement__in=published
        ).count(),
        "positions": Position.objects.published()
        .filter(statement__session__treaty=treaty)
        .count(),
        "matrix_cells": MatrixStance.objects.filter(
            treaty=treaty, generation=state.generation
        ).count(),
    }


def test_csvw_metadata_describes_the_csv_files(built, tmp_path):
    _, zip_path, _ = built
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    tables = [f"{t.name}.csv" for t in dump.TABLES]
    assert names == sorted([*tables, "csv-metadata.json"])
    # Not strict: an empty optional reference (a draft of no session) is allowed.
    described = csvw.CSVW(
        str(tmp_path / "csv-metadata.json"), validate=True, strict=False
    )
    assert described.is_valid, [str(w.message) for w in described.warnings]
    group = csvw.TableGroup.from_file(tmp_path / "csv-metadata.json")
    assert group.check_referential_integrity(strict=False) is True
    statements = list(group.tabledict["statements.csv"])
    assert "https://example.org/evil" in {
        row["source_url"].unsplit() for row in statements
    }


def test_csvw_validation_fails_on_a_csv_that_does_not_match(built, tmp_path):
    _, zip_path, _ = built
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path)
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(sessions.read_text().replace(",1,", ",one,", 1))
    described = csvw.CSVW(
        str(tmp_path / "csv-metadata.json"), validate=True, strict=False
    )
    # csvw reports a bad value as a warning or raises it, depending on where.
    with pytest.raises(ValueError, match="sessions.csv:2"):
        if not described.is_valid:
            raise ValueError(" ".join(str(w.message) for w in described.warnings))


def test_sqlite_row_counts_equal_the_database(world, built):
    manifest, _, sqlite_path = built
    expected = expected_counts(world.treaty)
    database = sqlite3.connect(sqlite_path)
    found = {
        table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in expected
    }
    assert found == expected
    assert expected["statements"] == 2 and expected["positions"] == 2
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == expected
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_formula_looking_text_is_quoted_in_csv_and_verbatim_in_sqlite(built):
    _, zip_path, sqlite_path = built
    with zipfile.ZipFile(zip_path) as archive:
        tables = {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
            if name.endswith(".csv")
        }
    for name, rows in tables.items():
        assert formula_cells(rows) == [], name
    actor_names = [row[1] for row in tables["actors.csv"][1:]]
    assert "'" + EVIL in actor_names
    database = sqlite3.connect(sqlite_path)
    assert database.execute(
        "SELECT name FROM actors WHERE code = 'EVL'"
    ).fetchone() == (EVIL,)
    assert (
        database.execute("SELECT quote FROM positions").fetchall().count(("=2*3",)) == 1
    )


def test_drafts_and_editor_notes_stay_out(built):
    _, zip_path, sqlite_path = built
    with zipfile.ZipFile(zip_path) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    raw = sqlite_path.read_bytes()
    for secret in (b"Unpublished draft statement", b"editor-only note", b"note"):
        assert secret not in everything
        assert secret not in raw


def test_manifest_gives_the_files_size_and_sha256(built):
    manifest, zip_path, sqlite_path = built
    for kind, path in (("zip", zip_path), ("sqlite", sqlite_path)):
        entry = manifest["files"][kind]
        assert entry["size"] == path.stat().st_size
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest["licence"] == dump.LICENCE
    assert manifest["built_at"].endswith("+00:00")


def test_a_new_build_replaces_the_files_and_removes_the_old(world, built):
    first, zip_path, sqlite_path = built
    second = dump.dump_build(world.treaty)
    assert second["files"]["zip"]["stored_as"] != first["files"]["zip"]["stored_as"]
    assert not zip_path.exists() and not sqlite_path.exists()
    assert downloads_store.manifest(world.treaty.slug) == second
    assert sorted(p.name for p in downloads_store.root().glob("csv-convention*")) == (
        sorted(
            [
                "csv-convention.json",
                second["files"]["zip"]["stored_as"],
                second["files"]["sqlite"]["stored_as"],
            ]
        )
    )


def test_data_page_lists_each_file_with_size_hash_licence_and_build_time(
    client, world, built
):
    manifest, _, _ = built
    body = client.get(reverse("data")).content.decode()
    assert manifest["files"]["zip"]["sha256"] in body
    assert manifest["files"]["sqlite"]["sha256"] in body
    assert dump.LICENCE["url"] in body
    assert 'data-kind="zip"' in body and 'data-kind="sqlite"' in body
    assert "KB" in body or "bytes" in body
    assert "matrix_cells" in body
    assert f">{world.treaty.short_title}</h2>" in body


def test_data_page_says_when_nothing_is_built(client, world):
    body = client.get(reverse("data")).content.decode()
    assert 'data-testid="data-not-built"' in body
    assert client.get(reverse("data-zip", args=[world.treaty.slug])).status_code == 404


def test_files_are_served_whole_with_their_hash_as_etag(client, world, built):
    manifest, zip_path, sqlite_path = built
    for name, path in (("data-zip", zip_path), ("data-sqlite", sqlite_path)):
        response = client.get(reverse(name, args=[world.treaty.slug]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == path.read_bytes()
        kind = name.removeprefix("data-")
        assert response["ETag"] == f'"{manifest["files"][kind]["sha256"]}"'
        assert (
            f"csv-convention-record-{manifest['built_at'][:10]}.{kind}"
            in (response["Content-Disposition"])
        )
    assert client.get("/data/no-such-treaty.zip").status_code == 404


def test_every_page_links_to_the_downloads(client, world):
    for url in (reverse("home"), reverse("methodology"), reverse("data")):
        body = client.get(url).content.decode()
        assert f'href="{reverse("data")}" data-testid="footer-data"' in body


def test_rebuild_task_builds_the_downloads_after_a_build(world):
    services.position_update(
        position=Position.objects.get(quote="=2*3"), user=None, stance="support"
    )
    assert downloads_store.manifest(world.treaty.slug) is None
    summary = tasks.rebuild_matrix(world.treaty.pk)
    assert summary["status"] == "built"
    manifest = downloads_store.manifest(world.treaty.slug)
    assert manifest is not None
    # A fresh matrix builds nothing more.
    assert tasks.rebuild_matrix(world.treaty.pk)["status"] == "fresh"
    assert downloads_store.manifest(world.treaty.slug) == manifest


def test_download_requests_coalesce_while_one_is_pending(world):
    key = tasks.DOWNLOADS_PENDING_KEY.format(world.treaty.pk)
    cache.set(key, 1)  # a build is waiting in the queue
    assert tasks.enqueue_downloads(world.treaty.pk) is False
    assert downloads_store.manifest(world.treaty.slug) is None
    tasks.build_downloads(world.treaty.pk)  # that build runs and clears the mark
    assert cache.get(key) is None
    first = downloads_store.manifest(world.treaty.slug)
    assert tasks.enqueue_downloads(world.treaty.pk) is True  # runs in-process here
    assert downloads_store.manifest(world.treaty.slug) != first
    assert cache.get(key) is None


def test_beat_rebuilds_every_treatys_downloads_nightly(world):
    entry = settings.CELERY_BEAT_SCHEDULE["build-downloads-nightly"]
    assert entry["task"] == "states.build_downloads"
    assert tasks.build_downloads.name == "states.build_downloads"
    built = tasks.build_downloads()
    assert world.treaty.slug in [b["treaty"] for b in built]


def test_build_downloads_command(world, capsys):
    call_command("build_downloads", "--treaty", world.treaty.slug)
    out = capsys.readouterr().out
    assert out.startswith("csv-convention: ") and "12 tables" in out
    manifest = json.loads(downloads_store.manifest_path("csv-convention").read_text())
    assert manifest["treaty"] == "csv-convention"
    with pytest.raises(Exception, match="no treaty"):
        call_command("build_downloads", "--treaty", "nope")
