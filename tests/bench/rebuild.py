"""The rebuild figures of `make bench`: full and incremental rebuild, and its floors.

The floors are the same cell runs computed by one hand-written SQL statement: into a
temporary table (no WAL, no index: the least the database can do) and into an ordinary
logged table with the rebuild's primary key (the same durable work as the rebuild).
"""

import random
import statistics
import time

from tests.bench.report import guarded, sec
from tests.bench.setup import RUNS, SEED, TITLE


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
    from django.contrib.auth.models import Group
    from django.db import transaction

    from states.services import matrix_rebuild, statement_delete

    # A reviewer: only reviewers publish, and delete what is published.
    user, _ = get_user_model().objects.get_or_create(username="benchmark")
    user.groups.add(Group.objects.get(name="Reviewers"))
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
# The rebuild's table has this primary key (treaty, generation, actor, provision, from).
FLOOR_LOGGED_TABLE = """
CREATE TABLE IF NOT EXISTS bench_floor_logged (
  treaty_id bigint, generation int, actor_id bigint, provision_id bigint,
  from_number int, to_number int, stance varchar(24), position_id bigint,
  statement_id bigint, via varchar(80),
  PRIMARY KEY (treaty_id, generation, actor_id, provision_id, from_number)
)
"""
FLOOR_SQL = """
INSERT INTO {table}
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
SELECT {prefix}actor_id, provision_id, number,
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
            sql = FLOOR_SQL.format(table="bench_floor", prefix="")
            cursor.execute(sql, {"treaty": treaty.id})
            return cursor.rowcount

    return timed(once, runs)


def floor_logged(treaty, runs):
    """The same query into a logged table with the rebuild's primary key, committed.

    The table is emptied outside the timing (the rebuild drops its old generation
    after readers moved on, also outside what readers wait for).
    """
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_LOGGED_TABLE)
    times, rows = [], 0
    for _ in range(runs):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_floor_logged")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            sql = FLOOR_SQL.format(table="bench_floor_logged", prefix="%(treaty)s, 1, ")
            cursor.execute(sql, {"treaty": treaty.id})
            rows = cursor.rowcount
        times.append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor_logged")
    return statistics.median(times), rows


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


def bench_rebuilds(report, treaty):
    full = guarded(report, "full rebuild", lambda: bench_full_rebuild(report, treaty))
    floors = guarded(report, "floor", lambda: bench_floor(report, treaty))
    if full and floors:
        best = min(floors.values())
        report.add(
            "rebuild / fastest temporary-table floor",
            f"{full / best:.2f}",
            "≤ 1.5",
            full <= 1.5 * best,
        )
    logged = guarded(report, "logged floor", lambda: bench_logged(report, treaty))
    if full and logged:
        report.add(
            "rebuild / logged-table floor",
            f"{full / logged:.2f}",
            "≤ 1.2",
            full <= 1.2 * logged,
        )
    guarded(report, "incremental rebuild", lambda: bench_incremental(report, treaty))


def bench_full_rebuild(report, treaty):
    full, summary = full_rebuild(treaty, RUNS)
    cells = summary.get("rows_inserted", 0)
    report.add(
        f"full rebuild ({cells:,} cells), {RUNS} runs", sec(full), "≤ 5 s", full <= 5
    )
    if "seconds" in summary:
        report.add(
            "  of which until readers see it (summary 'seconds', last run)",
            sec(summary["seconds"]),
        )
    return full


def bench_floor(report, treaty):
    floors = {}
    for label, settings in FLOOR_SETTINGS.items():
        floors[label], _ = floor(treaty, RUNS, settings)
        report.add(
            f"floor: one INSERT … SELECT into a temporary table, {label}",
            sec(floors[label]),
        )
    computed, materialized, differing = floor_matches_materialized(treaty)
    same = computed == materialized and differing == 0
    report.add(
        "floor rows = materialized rows",
        f"{computed:,} vs {materialized:,}, {differing} differ",
        "equal",
        same,
    )
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


def bench_logged(report, treaty):
    seconds, rows = floor_logged(treaty, RUNS)
    report.add(
        f"floor: the same into a logged table with the rebuild's primary key "
        f"({rows:,} rows, committed)",
        sec(seconds),
    )
    return seconds
