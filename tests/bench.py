"""`make bench`: the UN-scale benchmark on PostgreSQL. Prints figures; gates nothing.

Runs in a dedicated database (`tt_bench`, or BENCH_DATABASE) on the server of
DATABASE_URL, creating and migrating it when needed, and generates the UN-scale data
set (demo.synthetic) unless it is already there with the same seed. Then, each as a
median of several runs: full and incremental rebuild, the floor (the same cells by one
hand-written SQL statement), matrix reads through the WSGI app with their query counts,
the matrix and provision pages, and peak memory.

Tasks run in-process (no broker) so that no worker elsewhere builds concurrently.
"""

import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
TREATY = os.environ.get("BENCH_TREATY", "synthetic-un")
SEED = int(os.environ.get("BENCH_SEED", "20221"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
READ_RUNS = int(os.environ.get("BENCH_READ_RUNS", "10"))
TITLE = "Benchmark statement"


# Set-up -----------------------------------------------------------------------------


def configure():
    """Point Django at the benchmark database (created if missing) and set it up."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        print(
            "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host/db "
            "(bin/services-env sets it when PostgreSQL answers on 127.0.0.1:5432). "
            f"DATABASE_URL is {url or 'unset'}.",
            file=sys.stderr,
        )
        sys.exit(1)
    name = os.environ.get("BENCH_DATABASE", "tt_bench")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    _create_database(parts, name)
    import django

    django.setup()
    from django.conf import settings

    # A pathological plan is reported as a timeout instead of hanging the run.
    timeout = os.environ.get("BENCH_STATEMENT_TIMEOUT", "300s")
    options = settings.DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c statement_timeout={timeout}"
    from django.core.management import call_command

    # Pages are served without a collectstatic manifest, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }

    call_command("migrate", verbosity=0, skip_checks=True)
    return name


def _create_database(parts, name):
    import psycopg

    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def ensure_data():
    """The UN-scale treaty, generated in a subprocess unless present with this seed."""
    from demo.synthetic import SCALES, treaty_marker
    from provisions.models import Treaty
    from states.models import Position, Statement

    _remove_leftovers()
    scale = SCALES["un"]
    treaty = Treaty.objects.filter(slug=TREATY).first()
    if (
        treaty is not None
        and treaty.description == treaty_marker("un", SEED)
        and Statement.objects.filter(session__treaty=treaty).count() == scale.statements
        and Position.objects.filter(statement__session__treaty=treaty).count()
        == scale.positions
    ):
        print(f"Using the UN-scale data set already in place (seed {SEED}).")
        return treaty, None
    command = [sys.executable, "manage.py", "generate_synthetic", "--skip-checks"]
    command += ["--scale", "un", "--seed", str(SEED), "--treaty", TREATY]
    print("Generating the UN-scale data set:", " ".join(command[1:]))
    started = time.perf_counter()
    subprocess.run(command, cwd=BASE_DIR, check=True)
    seconds = time.perf_counter() - started
    return Treaty.objects.get(slug=TREATY), seconds


def _remove_leftovers():
    """Statements an interrupted benchmark added (the data set must stay as made)."""
    from states.models import Statement
    from states.services import statement_delete

    for statement in Statement.objects.filter(
        session__treaty__slug=TREATY, title__startswith=TITLE
    ):
        statement_delete(statement=statement, user=None)


def _database_facts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    return f"PostgreSQL {version} (jit {jit}, work_mem {work_mem})"


# Measuring --------------------------------------------------------------------------


def timed(function, runs):
    """(median seconds, last result) of `runs` calls."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def full_rebuild(treaty, runs):
    from states.services import matrix_rebuild

    return timed(lambda: matrix_rebuild(treaty_id=treaty.id, full=True), runs)


def incremental_rebuild(treaty, runs):
    """Publish one statement with 50 positions through the services; time the rebuild.

    The rebuild is called inside the editing transaction, so the build that the
    services schedule for the commit finds the matrix fresh; the statement is deleted
    afterwards (through the services too, which rebuild again, untimed).
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from states.services import matrix_rebuild, statement_delete

    user, _ = get_user_model().objects.get_or_create(username="benchmark")
    rng = random.Random(SEED)
    times, summary = [], None
    for run in range(runs):
        with transaction.atomic():
            statement = _publish_statement(treaty, user, rng, run)
            started = time.perf_counter()
            summary = matrix_rebuild(treaty_id=treaty.id)
            times.append(time.perf_counter() - started)
        statement_delete(statement=statement, user=user)
    return statistics.median(times), summary


def _publish_statement(treaty, user, rng, run):
    from states.models import Actor, Position
    from states.services import (
        position_create,
        position_publish,
        statement_create,
        statement_publish,
    )

    session = treaty.sessions.order_by("-number").first()
    actor = rng.choice(list(Actor.objects.filter(kind=Actor.Kind.MEMBER_STATE)))
    statement = statement_create(
        user=user,
        session=session,
        actor=actor,
        title=f"{TITLE} {run + 1}",
        text="A statement added by the benchmark.",
        source_url="https://example.org/benchmark",
        date=session.start_date,
    )
    provisions = rng.sample(list(treaty.provisions.all()), 50)
    positions = [
        position_create(
            user=user,
            statement=statement,
            provision=provision,
            stance=rng.choice(Position.Stance.values),
        )
        for provision in provisions
    ]
    statement_publish(statement=statement, user=user)
    for position in positions:
        position_publish(position=position, user=user)
    return statement


# The floor: DESIGN.md §4 in one statement. For every (actor, provision) and every
# session number that has an attribution, the winning attribution (greatest effective
# date, direct before inherited, position id) and the next such session number: the
# cells of every snapshot as runs [from_number, to_number), the rows the rebuild writes.
FLOOR_TABLE = """
CREATE TEMP TABLE IF NOT EXISTS bench_floor (
  actor_id bigint, provision_id bigint, from_number int, to_number int,
  stance varchar(24), position_id bigint, statement_id bigint, via varchar(80)
)
"""
FLOOR_SQL = """
INSERT INTO bench_floor
WITH counted AS (
  SELECT p.id AS position_id, p.provision_id, p.stance, s.id AS statement_id,
         s.actor_id, s.on_behalf_of_id, se.number,
         COALESCE(s.date, se.start_date) AS day
  FROM states_position p
  JOIN states_statement s ON s.id = p.statement_id
  JOIN provisions_session se ON se.id = s.session_id
  WHERE se.treaty_id = %(treaty)s AND se.status <> 'scheduled'
    AND p.status = 'published' AND s.status = 'published'
), attributed AS (
  SELECT actor_id, provision_id, number, day, 1 AS direct, position_id, stance,
         statement_id, NULL::varchar AS via
  FROM counted
  UNION ALL
  SELECT c.actor_id, provision_id, number, day, 1, position_id, stance,
         counted.statement_id, NULL
  FROM counted JOIN states_statement_co_signers c USING (statement_id)
  UNION ALL
  SELECT m.actor_id, provision_id, number, day, 0, position_id, stance,
         statement_id, g.slug
  FROM counted
  JOIN states_group g ON g.id = counted.on_behalf_of_id
  JOIN states_membership m ON m.group_id = g.id AND m.start_date <= day
   AND (m.end_date IS NULL OR m.end_date >= day)
), winners AS (
  SELECT DISTINCT ON (actor_id, provision_id, number) *
  FROM attributed
  ORDER BY actor_id, provision_id, number, day DESC, direct DESC, position_id DESC
)
SELECT actor_id, provision_id, number,
       LEAD(number) OVER (PARTITION BY actor_id, provision_id ORDER BY number),
       stance, position_id, statement_id, via
FROM winners
"""
FLOOR_SETTINGS = {
    "server settings": [],
    "jit off, work_mem 256MB": ["SET LOCAL jit = off", "SET LOCAL work_mem = '256MB'"],
}


def floor(treaty, runs, settings):
    from django.db import connection, transaction

    def once():
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in settings:
                cursor.execute(statement)
            cursor.execute(FLOOR_TABLE)
            cursor.execute("TRUNCATE bench_floor")
            cursor.execute(FLOOR_SQL, {"treaty": treaty.id})
            return cursor.rowcount

    return timed(once, runs)


def floor_matches_materialized(treaty):
    """(floor rows, materialized rows, rows in one and not the other)."""
    from django.db import connection

    from states.models import MatrixStance, MatrixState

    columns = (
        "actor_id, provision_id, from_number, to_number, stance, position_id, "
        "statement_id, via"
    )
    table = MatrixStance._meta.db_table
    # Only the generation readers use (an old one may await its cleanup).
    where = "treaty_id = %s AND generation = %s"
    params = [treaty.id, MatrixState.objects.get(treaty=treaty).generation]
    stored = f"SELECT {columns} FROM {table} WHERE {where}"
    mine = f"SELECT {columns} FROM bench_floor"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}", params)
        materialized = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM bench_floor")
        computed = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT (SELECT count(*) FROM ({mine} EXCEPT {stored}) a)"
            f" + (SELECT count(*) FROM ({stored} EXCEPT {mine}) b)",
            params + params,
        )
        differing = cursor.fetchone()[0]
    return computed, materialized, differing


def read(client, url, runs):
    """(median seconds, queries of the last read, status) of GET `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], 0, None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
        queries, status = len(captured), response.status_code
    return statistics.median(times), queries, status


def peak_traced(client, url):
    """Peak bytes allocated by Python during one GET (tracemalloc)."""
    tracemalloc.start()
    try:
        client.get(url)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# Report -----------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.rows = []

    def add(self, figure, value, target=None, met=None):
        self.rows.append((figure, value, target or "", _verdict(met)))

    def print(self):
        widths = [max(len(str(row[i])) for row in self.rows) for i in range(4)]
        header = ("figure", "median", "target", "met?")
        widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
        for row in [header, tuple("-" * w for w in widths), *self.rows]:
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def _verdict(met):
    if met is None:
        return ""
    return "yes" if met else "NO"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def sec(seconds):
    return f"{seconds:.2f} s"


# The run ----------------------------------------------------------------------------


def bench_rebuilds(report, treaty):
    full = guarded(report, "full rebuild", lambda: bench_full_rebuild(report, treaty))
    floors = guarded(report, "floor", lambda: bench_floor(report, treaty))
    if full and floors:
        best = min(floors.values())
        report.add("rebuild / fastest floor", f"{full / best:.2f}", "≤ 1.5",
                   full <= 1.5 * best)  # fmt: skip
    guarded(report, "incremental rebuild", lambda: bench_incremental(report, treaty))


def guarded(report, label, function):
    """Run one measurement; a failure or a timeout is reported, not fatal."""
    from django.db import connection

    try:
        return function()
    except Exception as error:  # noqa: BLE001 - the benchmark reports and goes on
        connection.close()
        report.add(label, f"failed: {type(error).__name__}: {str(error)[:80]}")
        return None


def bench_full_rebuild(report, treaty):
    full, summary = full_rebuild(treaty, RUNS)
    cells = summary.get("rows_inserted", 0)
    report.add(f"full rebuild ({cells:,} cells), {RUNS} runs", sec(full), "≤ 5 s",
               full <= 5)  # fmt: skip
    if "seconds" in summary:
        report.add("  of which until readers see it (summary 'seconds', last run)",
                   sec(summary["seconds"]))  # fmt: skip
    return full


def bench_floor(report, treaty):
    floors = {}
    for label, settings in FLOOR_SETTINGS.items():
        floors[label], _ = floor(treaty, RUNS, settings)
        report.add(f"floor: one INSERT … SELECT, {label}", sec(floors[label]))
    computed, materialized, differing = floor_matches_materialized(treaty)
    same = computed == materialized and differing == 0
    report.add("floor rows = materialized rows",
               f"{computed:,} vs {materialized:,}, {differing} differ", "equal",
               same)  # fmt: skip
    return floors


def bench_incremental(report, treaty):
    incremental, summary = incremental_rebuild(treaty, RUNS)
    report.add(
        f"incremental rebuild after 1 statement + 50 positions "
        f"(from session {summary.get('from_session')}), {RUNS} runs",
        sec(incremental),
        "≤ 0.5 s",
        incremental <= 0.5,
    )


def bench_api(report, client, treaty):
    from states.models import Group

    chapter = _largest_chapter(treaty)
    group = _group_nearest(Group.objects.all(), 50, treaty)
    cases = [
        (f"API matrix, group {group[0].slug} ({group[1]} actors) × chapter "
         f"{chapter.number} ({chapter.n} provisions)",
         f"/api/v1/matrix/?treaty={treaty.slug}&group={group[0].slug}"
         f"&chapter={chapter.id}", READ_RUNS, 0.030),
        ("API matrix, whole (kind=all)",
         f"/api/v1/matrix/?treaty={treaty.slug}&kind=all", max(5, READ_RUNS // 2), 0.5),
    ]  # fmt: skip
    whole = None
    for label, url, runs, target in cases:
        whole = _bench_read(report, client, label, url, runs, target)
    if whole:
        peak = peak_traced(client, cases[-1][1])
        report.add("whole matrix: Python allocations peak (tracemalloc)", _mb(peak))


def _bench_read(report, client, label, url, runs, target, query_budget=6):
    client.get(url)  # warm-up: connections, URL resolver, templates
    seconds, queries, status = read(client, url, runs)
    if status != 200:
        report.add(label, f"not available (HTTP {status})")
        return False
    report.add(f"{label}, {runs} runs", ms(seconds), f"≤ {target * 1000:.0f} ms",
               seconds <= target)  # fmt: skip
    if query_budget is None:
        report.add(f"{label}: SQL queries per read", queries)
    else:
        report.add(f"{label}: SQL queries per read", queries, f"≤ {query_budget}",
                   queries <= query_budget)  # fmt: skip
    return True


def bench_pages(report, client, treaty):
    from django.urls import NoReverseMatch, reverse

    chapter = _largest_chapter(treaty)
    provision = _most_discussed_provision(treaty)
    pages = [
        ("treaty-matrix", {"treaty": treaty.slug}, f"?chapter={chapter.id}",
         f"matrix page, chapter {chapter.number}", 0.250),
        ("provision-detail", {"treaty": treaty.slug, "slug": provision.slug}, "",
         f"provision page {provision.slug} ({provision.n:,} positions)", 0.100),
    ]  # fmt: skip
    for name, kwargs, query, label, target in pages:
        try:
            url = reverse(name, kwargs=kwargs) + query
        except NoReverseMatch:
            report.add(label, "not available")
            continue
        _bench_read(report, client, label, url, READ_RUNS, target, None)


def _largest_chapter(treaty):
    from django.db.models import Count

    return treaty.chapters.annotate(n=Count("provisions")).order_by("-n", "order")[0]


def _most_discussed_provision(treaty):
    from django.db.models import Count

    return treaty.provisions.annotate(n=Count("positions")).order_by("-n", "id")[0]


def _group_nearest(groups, size, treaty):
    """(group, members) whose membership on the current session's start is nearest."""
    from states.models import Membership

    session = treaty.sessions.exclude(status="scheduled").order_by("-number").first()
    counts = [
        (g, Membership.objects.covering(session.start_date).filter(group=g).count())
        for g in groups
    ]
    return min(counts, key=lambda gc: (abs(gc[1] - size), gc[0].slug))


def _max_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _mb(n_bytes):
    return f"{n_bytes / 2**20:.0f} MB"


def main():
    database = configure()
    from django.test import Client

    from states.models import Position, Statement

    treaty, generated = ensure_data()
    report = Report()
    if generated is not None:
        report.add("generate_synthetic --scale un (incl. first build)", sec(generated),
                   "< 60 s", generated < 60)  # fmt: skip
    statements = Statement.objects.filter(session__treaty=treaty).count()
    positions = Position.objects.filter(statement__session__treaty=treaty).count()
    print(
        f"Database {database}: {_database_facts()}; {os.cpu_count()} CPUs. "
        f"Treaty {treaty.slug}: {statements:,} statements, {positions:,} positions."
    )
    bench_rebuilds(report, treaty)
    before_reads = _max_rss()
    client = Client(raise_request_exception=False)
    bench_api(report, client, treaty)
    bench_pages(report, client, treaty)
    peak = _max_rss()
    report.add("peak memory of the process before the reads (ru_maxrss)",
               _mb(before_reads))  # fmt: skip
    report.add("peak memory of the process (ru_maxrss)", _mb(peak), "≤ 300 MB",
               peak <= 300 * 2**20)  # fmt: skip
    print()
    report.print()


if __name__ == "__main__":
    main()
    sys.exit(0)
