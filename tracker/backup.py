"""The restore drill: dump the database (pg_dump -Fc), restore the dump into a new
database (pg_restore), and check that every table — the matrix snapshots included —
holds the same rows. `make restore-drill` runs it on DATABASE_URL; it prints what it
compared and exits 1 on any difference. The new database is dropped afterwards.

Each table is compared by its row count and a digest of its rows (md5 of every row's
text, in order), so a cell that differs anywhere is a difference.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg
from psycopg import sql


def _with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url):
    return urllib.parse.urlsplit(url).path.lstrip("/")


def dump(url, path):
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={path}",
            f"--dbname={url}",
        ],
        check=True,
    )


def restore(path, url):
    """Create the database named in url and restore the dump into it."""
    name = database_name(url)
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(path)],
        check=True,
    )


def drop(url):
    name = database_name(url)
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def table_digests(url):
    """{table: (rows, digest)} for every table of the public schema that holds rows
    (a partitioned table is read through its parent, as readers do)."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT c.relname FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
                " AND NOT c.relispartition ORDER BY c.relname"
            )
        ]
        digests = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(md5(t::text), ''"
                " ORDER BY md5(t::text)), '')) FROM {} t"
            ).format(sql.Identifier(table))
            digests[table] = tuple(conn.execute(query).fetchone())
    return digests


def compare(source_url, restored_url):
    """[(table, source (rows, digest), restored (rows, digest))] that differ."""
    source, restored = table_digests(source_url), table_digests(restored_url)
    return [
        (table, source.get(table), restored.get(table))
        for table in sorted(set(source) | set(restored))
        if source.get(table) != restored.get(table)
    ], source


def drill(url, out=print):
    """Dump, restore into a new database, compare, drop it. Returns the differences."""
    restored_url = _with_database(
        url, f"{database_name(url)}_restore_drill_{os.getpid()}_{int(time.time())}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tracker.dump"
        started = time.monotonic()
        dump(url, path)
        dumped = time.monotonic()
        try:
            restore(path, restored_url)
            restored = time.monotonic()
            differences, tables = compare(url, restored_url)
        finally:
            drop(restored_url)
        size = path.stat().st_size
    rows = sum(count for count, _ in tables.values())
    out(
        f"dump {size / 1e6:.1f} MB in {dumped - started:.1f} s; restore in "
        f"{restored - dumped:.1f} s; {len(tables)} tables, {rows:,} rows compared"
    )
    for table in ("states_matrixstance", "states_matrixstate", "states_position"):
        if table in tables:
            out(f"  {table}: {tables[table][0]:,} rows, digest {tables[table][1]}")
    for table, before, after in differences:
        out(f"  DIFFERS {table}: {before} != {after}")
    out("restore drill: " + ("FAILED" if differences else "identical"))
    return differences


def main():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("restore drill: DATABASE_URL must name a PostgreSQL database")
        return 2
    return 1 if drill(url) else 0


if __name__ == "__main__":
    sys.exit(main())
