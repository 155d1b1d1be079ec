"""The matrix materialized in the database: marking stale, scheduling, building.

A build brings the snapshot rows (states.matrix.storage) up to date from the stale
session number on, in one transaction, with set-based SQL: a full build writes a new
generation, an incremental one rewrites what differs in place. Readers keep seeing
the previous rows until it commits (MVCC on PostgreSQL; SQLite's lock). The rules the
SQL implements are the pure functions in states.matrix.
"""

import logging
import threading
import time

from django.db import connection, transaction
from django.utils import timezone

from states.matrix import storage

logger = logging.getLogger(__name__)

# One build per treaty at a time: a transaction lock on (namespace, treaty id).
LOCK_NAMESPACE = storage.LOCK_NAMESPACE

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
            start, deleted = 0, 0
            new_generation, inserted = storage.write_generation(
                cursor, treaty_id, generation
            )
        else:
            start, new_generation = stale_from, generation
            deleted, inserted = storage.rewrite_from(
                cursor, treaty_id, generation, start
            )
        seconds = round(time.perf_counter() - started, 4)
        built_at = timezone.now()
        cursor.execute(
            _FINISH_SQL,
            [treaty_id, built_at, seconds, start, new_generation, version, version],
        )
    # Readers now use the new generation; the old one goes (outside the build's
    # transaction, so its commit is not held up by it).
    cleanup_started = time.perf_counter()
    removed = storage.drop_old_generations(treaty_id, new_generation)
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
