"""The matrix materialized in the database: marking stale, scheduling, building.

Storage (DESIGN §5 hint): `states_matrixstance` holds each (actor, provision) cell
once per run of sessions it holds for, [from_number, to_number). A build rewrites the
rows from the stale session number on, in one transaction, with set-based SQL; readers
keep seeing the previous rows until it commits (MVCC on PostgreSQL; SQLite's lock).
The rules the SQL implements are the pure functions in states.matrix.
"""

import logging
import threading
import time

from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# pg advisory lock namespace ("tt"): one build per treaty at a time.
LOCK_NAMESPACE = 0x7474

_MARK_SQL = """
INSERT INTO states_matrixstate
  (treaty_id, stale_from, dirty_version, built_version, build_count, generation)
VALUES (%s, %s, 1, 0, 0, 0)
ON CONFLICT (treaty_id) DO UPDATE SET
  stale_from = CASE
    WHEN states_matrixstate.stale_from IS NULL
      OR states_matrixstate.stale_from > excluded.stale_from
    THEN excluded.stale_from ELSE states_matrixstate.stale_from END,
  dirty_version = states_matrixstate.dirty_version + 1
"""

_FINISH_SQL = """
INSERT INTO states_matrixstate
  (treaty_id, stale_from, dirty_version, built_version, build_count, built_at,
   last_build_seconds, last_build_from, generation)
VALUES (%s, NULL, 0, 0, 1, %s, %s, %s, %s)
ON CONFLICT (treaty_id) DO UPDATE SET
  stale_from = CASE WHEN states_matrixstate.dirty_version = %s
    THEN NULL ELSE states_matrixstate.stale_from END,
  built_version = %s,
  build_count = states_matrixstate.build_count + 1,
  built_at = excluded.built_at,
  last_build_seconds = excluded.last_build_seconds,
  last_build_from = excluded.last_build_from,
  generation = excluded.generation
"""

# Every attribution (DESIGN §3) of a published position on a published statement of
# the treaty in a session numbered ≥ the build's start: speaker and co-signers
# (direct = 1), members of the on_behalf_of group on the effective date (direct = 0).
_ATTRIBUTIONS = """
pub AS (
  SELECT p.id AS position_id, p.provision_id, s.id AS statement_id,
         s.actor_id, s.on_behalf_of_id, se.number AS number,
         COALESCE(s.date, se.start_date) AS eff
  FROM states_position p
  JOIN states_statement s ON s.id = p.statement_id
  JOIN provisions_session se ON se.id = s.session_id
  WHERE se.treaty_id = %s AND se.number >= %s
    AND p.status = 'published' AND s.status = 'published'
),
att AS (
  SELECT actor_id, provision_id, number, eff, 1 AS direct, position_id,
         statement_id, CAST(NULL AS BIGINT) AS group_id
  FROM pub
  UNION ALL
  SELECT c.actor_id, pub.provision_id, pub.number, pub.eff, 1, pub.position_id,
         pub.statement_id, CAST(NULL AS BIGINT)
  FROM pub JOIN states_statement_co_signers c ON c.statement_id = pub.statement_id
  UNION ALL
  SELECT m.actor_id, pub.provision_id, pub.number, pub.eff, 0, pub.position_id,
         pub.statement_id, pub.on_behalf_of_id
  FROM pub
  JOIN states_membership m ON m.group_id = pub.on_behalf_of_id
   AND m.start_date <= pub.eff AND (m.end_date IS NULL OR m.end_date >= pub.eff)
)
"""

# In primary-key order, the index is appended to rather than split at random.
# The winner per (actor, provision, session number): greatest
# (effective date, direct before inherited, position id). Only narrow columns are
# sorted; stance and group slug are joined to the winners.
_WINNERS_POSTGRESQL = """
win AS (
  SELECT DISTINCT ON (actor_id, provision_id, number)
         actor_id, provision_id, number, position_id, statement_id, group_id
  FROM att
  ORDER BY actor_id, provision_id, number, eff DESC, direct DESC, position_id DESC
)
"""

_WINNERS_PORTABLE = """
ranked AS (
  SELECT actor_id, provision_id, number, position_id, statement_id, group_id,
         ROW_NUMBER() OVER (
           PARTITION BY actor_id, provision_id, number
           ORDER BY eff DESC, direct DESC, position_id DESC
         ) AS rank
  FROM att
),
win AS (
  SELECT actor_id, provision_id, number, position_id, statement_id, group_id
  FROM ranked WHERE rank = 1
)
"""

_INSERT = """
INSERT INTO states_matrixstance
  (treaty_id, generation, actor_id, provision_id, from_number, to_number, stance,
   position_id, statement_id, via)
WITH {ctes},
runs AS (
  SELECT win.*, LEAD(number) OVER (
           PARTITION BY actor_id, provision_id ORDER BY number
         ) AS next_number
  FROM win
)
SELECT %s, %s, runs.actor_id, runs.provision_id, runs.number, runs.next_number,
       p.stance, runs.position_id, runs.statement_id, g.slug
FROM runs
JOIN states_position p ON p.id = runs.position_id
LEFT JOIN states_group g ON g.id = runs.group_id
ORDER BY runs.actor_id, runs.provision_id, runs.number
"""

# After an incremental build the last run before the rebuilt sessions must end where
# the first rebuilt run of the same cell starts (or stay open if there is none).
# Usually the rebuilt runs start where the old ones did: only differences are written.
_NEXT_RUN = """(
  SELECT MIN(x.from_number) FROM states_matrixstance x
  WHERE x.treaty_id = o.treaty_id AND x.generation = o.generation
    AND x.actor_id = o.actor_id AND x.provision_id = o.provision_id
    AND x.from_number >= %s
)"""
_RECONNECT_SQL = f"""
UPDATE states_matrixstance AS o SET to_number = {_NEXT_RUN}
WHERE o.treaty_id = %s AND o.generation = %s AND o.from_number < %s
  AND (o.to_number IS NULL OR o.to_number >= %s)
  AND o.to_number IS DISTINCT FROM {_NEXT_RUN}
"""


def insert_sql(vendor):
    winners = _WINNERS_POSTGRESQL if vendor == "postgresql" else _WINNERS_PORTABLE
    # INSERT … WITH … SELECT (not WITH … INSERT) so that SQLite reports rowcount.
    return _INSERT.format(ctes=_ATTRIBUTIONS + "," + winners)


def mark_stale(treaty_id, from_session_number):
    """Record, in the caller's transaction, that snapshots from that number are owed."""
    number = 0 if from_session_number is None else max(int(from_session_number), 0)
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SQL, [treaty_id, number])


def _try_lock(cursor, treaty_id, wait):
    if connection.vendor != "postgresql":
        # SQLite serializes writers on its database lock; the embedded default runs
        # tasks in-process, so builds cannot overlap there.
        return True
    if wait:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, treaty_id]
        )
        return True
    cursor.execute(
        "SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, treaty_id]
    )
    return cursor.fetchone()[0]


def build(treaty_id, *, full=False, wait=False):
    """Rebuild the treaty's snapshots from its stale session on, atomically.

    Returns a summary; status "busy" (another build holds the treaty, only when not
    `wait`), "fresh" (nothing owed, nothing done) or "built".
    """
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if not _try_lock(cursor, treaty_id, wait):
            return {"treaty_id": treaty_id, "status": "busy"}
        cursor.execute(
            "SELECT stale_from, dirty_version, built_at, generation"
            " FROM states_matrixstate WHERE treaty_id = %s",
            [treaty_id],
        )
        row = cursor.fetchone()
        if row is not None and row[0] is None and row[2] is not None and not full:
            return {"treaty_id": treaty_id, "status": "fresh"}
        stale_from, version, built_at, generation = row or (0, 0, None, 0)
        if built_at is None or full or not stale_from:
            start, new_generation = 0, generation + 1
            deleted, inserted = _write_generation(cursor, treaty_id, new_generation)
        else:
            start, new_generation = stale_from, generation
            deleted, inserted = _rewrite_from(cursor, treaty_id, generation, start)
        seconds = round(time.perf_counter() - started, 4)
        built_at = timezone.now()
        cursor.execute(
            _FINISH_SQL,
            [treaty_id, built_at, seconds, start, new_generation, version, version],
        )
    # Readers now use the new generation; the old one goes (outside the build's
    # transaction, so its commit is not held up by it).
    cleanup_started = time.perf_counter()
    removed = drop_old_generations(treaty_id, new_generation)
    return {
        "treaty_id": treaty_id,
        "status": "built",
        "from_session": start,
        "generation": new_generation,
        "rows_deleted": removed + deleted,
        "rows_inserted": inserted,
        "seconds": seconds,
        "cleanup_seconds": round(time.perf_counter() - cleanup_started, 4),
        "built_at": built_at,
    }


def _tune(cursor):
    if connection.vendor == "postgresql":
        # The sort of all attributions fits in memory at UN scale with this.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Compiling the plan costs more than it saves at this size.
        cursor.execute("SET LOCAL jit = off")


def _write_generation(cursor, treaty_id, generation):
    """Write every cell run as a new generation; returns (0, rows written)."""
    _tune(cursor)
    # Leftovers of a build that died after its commit, before its cleanup.
    cursor.execute(
        "DELETE FROM states_matrixstance WHERE treaty_id = %s AND generation >= %s",
        [treaty_id, generation],
    )
    cursor.execute(insert_sql(connection.vendor), [treaty_id, 0, treaty_id, generation])
    return (0, cursor.rowcount)


def _rewrite_from(cursor, treaty_id, generation, start):
    """Rewrite the runs from session `start` on in place; (rows deleted, written)."""
    _tune(cursor)
    cursor.execute(
        "DELETE FROM states_matrixstance"
        " WHERE treaty_id = %s AND generation = %s AND from_number >= %s",
        [treaty_id, generation, start],
    )
    deleted = cursor.rowcount
    cursor.execute(
        insert_sql(connection.vendor), [treaty_id, start, treaty_id, generation]
    )
    inserted = cursor.rowcount
    cursor.execute(_RECONNECT_SQL, [start, treaty_id, generation, start, start, start])
    return (deleted, inserted)


def drop_old_generations(treaty_id, current):
    """Delete the treaty's cell runs of generations before `current`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM states_matrixstance WHERE treaty_id = %s AND generation < %s",
            [treaty_id, current],
        )
        removed = cursor.rowcount
        if removed and connection.vendor == "postgresql":
            # Fresh statistics: with a stale row count the planner reads a whole
            # treaty's runs instead of the index range of the rows asked for.
            cursor.execute("ANALYZE states_matrixstance")
        return removed


# Scheduling ---------------------------------------------------------------------


class _EnqueueRebuild:
    """An on-commit callback, recognisable so a transaction enqueues a treaty once."""

    def __init__(self, treaty_id):
        self.treaty_id = treaty_id

    def __call__(self):
        enqueue_rebuild(self.treaty_id)


def schedule_rebuild(treaty_id):
    """Enqueue a rebuild of the treaty after the current transaction commits."""
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        for callback in conn.run_on_commit:
            func = callback[1]
            if isinstance(func, _EnqueueRebuild) and func.treaty_id == treaty_id:
                return
    transaction.on_commit(_EnqueueRebuild(treaty_id), robust=True)


# After a failed publish, skip the broker for a while: every save would otherwise
# pay the connection timeout again, and the periodic sweep rebuilds what is stale.
_BROKER_BACKOFF_SECONDS = 10.0
_broker_down_until = 0.0
_broker_lock = threading.Lock()


# A save never waits longer than this for the broker (kombu's own timeouts cover a
# refused connection, but a broker that accepts and never answers holds a publish
# for socket_timeout and its retries).
PUBLISH_TIMEOUT_SECONDS = 1.5


def _publish(treaty_id):
    from states.tasks import rebuild_matrix

    rebuild_matrix.apply_async(kwargs={"treaty_id": treaty_id})


def _publish_with_deadline(treaty_id):
    """Publish from a helper thread, giving up on it after the deadline."""
    outcome = {}

    def run():
        try:
            _publish(treaty_id)
            outcome["sent"] = True
        except Exception as error:  # reported by the caller
            outcome["error"] = error

    thread = threading.Thread(target=run, name="matrix-enqueue", daemon=True)
    thread.start()
    thread.join(PUBLISH_TIMEOUT_SECONDS)
    if outcome.get("sent"):
        return None
    return outcome.get("error") or TimeoutError(
        f"no answer from the broker in {PUBLISH_TIMEOUT_SECONDS} s"
    )


def enqueue_rebuild(treaty_id):
    """Send the rebuild task; never raises, and returns within about 1.5 s."""
    global _broker_down_until
    from tracker.celery import app

    if app.conf.task_always_eager:
        # In-process mode (no broker): the build runs here, after the commit.
        try:
            _publish(treaty_id)
        except Exception:
            logger.exception("the matrix rebuild of treaty %s failed", treaty_id)
            return False
        return True
    if time.monotonic() < _broker_down_until:
        logger.warning(
            "broker recently unreachable; treaty %s stays stale until the sweep",
            treaty_id,
        )
        return False
    error = _publish_with_deadline(treaty_id)
    if error is None:
        return True
    with _broker_lock:
        _broker_down_until = time.monotonic() + _BROKER_BACKOFF_SECONDS
    logger.error(
        "could not enqueue the matrix rebuild of treaty %s (%s); the periodic sweep "
        "(states.rebuild_stale_matrices) will rebuild it",
        treaty_id,
        error,
    )
    return False


def reset_broker_backoff():
    """Forget a past broker failure (tests; a worker that knows the broker is up)."""
    global _broker_down_until
    _broker_down_until = 0.0
