"""The matrix engine: marking a treaty's snapshots stale, and building them.

A build brings the snapshot rows (states.matrix.storage) up to date from the stale
session number on, in one transaction, with set-based SQL: a full build writes a new
generation, an incremental one rewrites what differs in place. Readers keep seeing
the previous rows until it commits (MVCC on PostgreSQL; SQLite's lock). The rules the
SQL implements are the pure functions in states.matrix.rules. Scheduling a build
(Celery) is states.tasks's business.
"""

import datetime
import time
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from states.matrix import cleanup, storage

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
        if connection.vendor == "postgresql":
            # Django's foreign keys are checked at commit, share-locking the parent
            # rows (the session, the statement) then, after this row's lock: a writer
            # that locks such a parent and then this row (a session edit, a statement
            # update) would deadlock with us. Check them now, parents first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(_MARK_SQL, [treaty_id, number])


class _BuildState(NamedTuple):
    """A treaty's row of states_matrixstate, as a build reads it."""

    stale_from: int | None
    dirty_version: int
    built_at: datetime.datetime | None
    generation: int


NEVER_BUILT = _BuildState(stale_from=0, dirty_version=0, built_at=None, generation=0)


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
        state = _BuildState(*row) if row else NEVER_BUILT
        if state.stale_from is None and state.built_at is not None and not full:
            return {"treaty_id": treaty_id, "status": "fresh"}
        if state.built_at is None or full or not state.stale_from:
            start, deleted = 0, 0
            new_generation, inserted = storage.write_generation(
                cursor, treaty_id, state.generation
            )
        else:
            start, new_generation = state.stale_from, state.generation
            deleted, inserted = storage.rewrite_from(
                cursor, treaty_id, state.generation, start
            )
        seconds = round(time.perf_counter() - started, 4)
        built_at = timezone.now()
        cursor.execute(
            _FINISH_SQL,
            [
                treaty_id,
                built_at,
                seconds,
                start,
                new_generation,
                state.dirty_version,
                state.dirty_version,
            ],
        )
    # Readers now use the new generation; the old one goes (outside the build's
    # transaction, so its commit is not held up by it).
    cleanup_started = time.perf_counter()
    removed = cleanup.drop_old_generations(treaty_id, new_generation)
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
