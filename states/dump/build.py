"""Writing a treaty's downloads: both files from one consistent read of the database
(a repeatable-read transaction on PostgreSQL), under names of their own, published by
replacing the treaty's manifest (states.downloads). CSV cells that a spreadsheet would
run as formulas are quoted (common.spreadsheet); SQLite keeps every value verbatim.
"""

import contextlib
import csv
import datetime
import fcntl
import hashlib
import io
import json
import logging
import os
import re
import secrets
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from common import spreadsheet
from provisions.models import Treaty
from states import downloads
from states.dump.tables import LICENCE, TABLES
from states.models import MatrixState

logger = logging.getLogger(__name__)

METADATA_NAME = "csv-metadata.json"
SQLITE_TYPES = {"integer": "INTEGER", "boolean": "INTEGER"}
BATCH = 2_000


def dump_build(treaty):
    """Write the treaty's ZIP and SQLite downloads and publish their manifest."""
    started = time.perf_counter()
    root = downloads.root()
    root.mkdir(parents=True, exist_ok=True)
    # One build of a treaty at a time on this host: files of a build that loses a
    # race would otherwise be removed under it by the winner's cleanup.
    with open(root / f".{treaty.slug}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built_at = timezone.now().replace(microsecond=0)
        # A build's own file names: never the files a current manifest names.
        stamp = f"{built_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        with tempfile.TemporaryDirectory(dir=root, prefix=".build-") as scratch:
            scratch = Path(scratch)
            zip_path = scratch / f"{treaty.slug}-record-{stamp}.zip"
            sqlite_path = scratch / f"{treaty.slug}-record-{stamp}.sqlite"
            with _consistent_read():
                matrix_built_at = _matrix_built_at(treaty)
                counts = _write_tables(treaty, zip_path, sqlite_path, built_at)
            files = {
                "zip": _publish_file(zip_path, root),
                "sqlite": _publish_file(sqlite_path, root),
            }
        manifest = {
            "treaty": treaty.slug,
            "title": treaty.title,
            "built_at": built_at.isoformat(),
            "matrix_built_at": matrix_built_at,
            "seconds": round(time.perf_counter() - started, 3),
            "licence": LICENCE,
            "tables": [
                {"name": t.name, "description": t.description, "rows": counts[t.name]}
                for t in TABLES
            ],
            "files": files,
        }
        _replace_text(downloads.manifest_path(treaty.slug), json.dumps(manifest))
        _remove_unlisted(root, treaty.slug, files)
    logger.info("downloads of %s built in %.2f s", treaty.slug, manifest["seconds"])
    return manifest


@contextlib.contextmanager
def _consistent_read():
    """Every table read from one snapshot of the database."""
    # Inside a caller's transaction (a test's) the isolation is the caller's: SET
    # TRANSACTION must be the first statement of a transaction.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        yield


def _matrix_built_at(treaty):
    state = MatrixState.objects.filter(treaty=treaty).values("built_at").first()
    built = state and state["built_at"]
    return built.isoformat() if built else None


def _write_tables(treaty, zip_path, sqlite_path, built_at):
    counts = {}
    database = sqlite3.connect(sqlite_path)
    try:
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in TABLES:
                database.execute(_create_sql(table))
                with archive.open(table.csv_name, "w") as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    counts[table.name] = _write_table(treaty, table, text, database)
                    text.flush()
                    text.detach()
            archive.writestr(
                METADATA_NAME, json.dumps(csvw_metadata(treaty, built_at), indent=2)
            )
        database.commit()
    finally:
        database.close()
    return counts


def _write_table(treaty, table, text, database):
    writer = csv.writer(text)
    writer.writerow([column.name for column in table.columns])
    insert = _insert_sql(table)
    rows = (
        table.rows(treaty)
        .order_by(*(c.source for c in table.columns if c.name in table.primary_key))
        .values_list(*(column.source for column in table.columns))
    )
    count, batch = 0, []
    for row in rows.iterator(chunk_size=BATCH):
        values = [_plain(value) for value in row]
        writer.writerow(spreadsheet.safe_row(_csv_value(v) for v in values))
        batch.append(values)
        if len(batch) >= BATCH:
            database.executemany(insert, batch)
            count += len(batch)
            batch = []
    database.executemany(insert, batch)
    return count + len(batch)


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _csv_value(value):
    return "" if value is None else value


def _quoted(name):
    return '"' + name.replace('"', '""') + '"'


def _create_sql(table):
    columns = [
        f"{_quoted(c.name)} {SQLITE_TYPES.get(c.datatype, 'TEXT')}"
        + (" NOT NULL" if c.required else "")
        for c in table.columns
    ]
    columns.append(f"PRIMARY KEY ({', '.join(map(_quoted, table.primary_key))})")
    columns.extend(
        f"FOREIGN KEY ({_quoted(fk.column)}) REFERENCES "
        f"{_quoted(fk.table)} ({_quoted(fk.table_column)})"
        for fk in table.foreign_keys
    )
    return f"CREATE TABLE {_quoted(table.name)} ({', '.join(columns)})"


def _insert_sql(table):
    names = ", ".join(_quoted(c.name) for c in table.columns)
    marks = ", ".join("?" for _ in table.columns)
    return f"INSERT INTO {_quoted(table.name)} ({names}) VALUES ({marks})"


def csvw_metadata(treaty, built_at):
    """The CSVW table group describing the ZIP's CSV files."""
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": f"{treaty.title}: the public record of Treaty Tracker",
        "dc:created": built_at.isoformat(),
        "dc:license": {"@id": LICENCE["url"]},
        "dc:description": (
            "Published statements and positions, the text and process of the "
            "negotiation, and the who-supports-what matrix. A text cell starting "
            "with =, +, -, @, a tab or a carriage return is prefixed with a single "
            "quote, so spreadsheets do not run it as a formula; the SQLite file "
            "holds the values verbatim."
        ),
        "tables": [_table_metadata(table) for table in TABLES],
    }


def _table_metadata(table):
    schema = {
        "columns": [
            {
                "name": c.name,
                "titles": c.name,
                "datatype": c.datatype,
                "required": c.required,
                "dc:description": c.description,
            }
            for c in table.columns
        ],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "columnReference": fk.column,
                "reference": {
                    "resource": f"{fk.table}.csv",
                    "columnReference": fk.table_column,
                },
            }
            for fk in table.foreign_keys
        ]
    return {
        "url": table.csv_name,
        "dc:title": table.name,
        "dc:description": table.description,
        "tableSchema": schema,
    }


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _publish_file(path, root):
    entry = {
        "stored_as": path.name,
        "size": path.stat().st_size,
        "sha256": _sha256(path),
    }
    os.replace(path, root / path.name)
    return entry


def _replace_text(path, text):
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)


def _remove_unlisted(root, slug, files):
    """Earlier builds' files of the treaty (a download under way keeps its open
    file: POSIX removes it when closed)."""
    keep = {entry["stored_as"] for entry in files.values()}
    stamp = r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}"
    own = re.compile(rf"^{re.escape(slug)}-record-{stamp}\.")
    for path in root.glob(f"{slug}-record-*"):
        if path.name not in keep and own.match(path.name):
            path.unlink(missing_ok=True)


def dump_build_all():
    """Build the downloads of every treaty; returns their manifests."""
    return [dump_build(treaty) for treaty in Treaty.objects.order_by("slug")]
