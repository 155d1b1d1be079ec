"""Removing snapshot generations readers no longer use: after each build (the old
one), for a deleted treaty (all of its own), and in the periodic sweep (whatever a
skipped or failed cleanup left behind).

On PostgreSQL each generation is a partition of states_matrixstance, removed with
DETACH … CONCURRENTLY and DROP TABLE (readers are not blocked; nothing to vacuum);
on SQLite its rows are deleted. One cleanup runs at a time (an advisory lock).
"""

import logging
from dataclasses import dataclass

from django.db import DatabaseError, OperationalError, connection

from states.matrix.storage import LOCK_NAMESPACE, PARTITION_NAME, TABLE

logger = logging.getLogger(__name__)

# Key 0 of the builds' lock namespace (treaty ids start at 1): one cleanup at a time.
CLEANUP_LOCK = (LOCK_NAMESPACE, 0)


def drop_old_generations(treaty_id, current):
    """Remove the treaty's runs of generations before `current`; rows removed."""
    return _clean_up(
        lambda treaty, generation: treaty == treaty_id and generation < current
    )


def drop_all_generations(treaty_id):
    """Remove every snapshot row or partition of a treaty (one being deleted)."""
    return _clean_up(lambda treaty, generation: treaty == treaty_id)


def drop_unused_generations():
    """Remove every generation that no treaty's readers use (the periodic sweep):
    what a skipped or failed cleanup left, and the tables of deleted treaties."""
    from states.models import MatrixState

    current = dict(MatrixState.objects.values_list("treaty_id", "generation"))
    return _clean_up(lambda treaty, generation: generation < current.get(treaty, 2**31))


def _clean_up(is_old):
    """Drop the generation tables `is_old(treaty id, generation)` picks.

    On PostgreSQL, outside a transaction, one cleanup runs at a time (two would
    detach or finalize each other's partitions); a cleanup that finds another
    running leaves its tables to the sweep. Failures are logged, not raised: the
    build before it has landed, and the sweep removes what is left.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            return _delete_generations(cursor, is_old)
        if connection.in_atomic_block:
            # Tests, a shell, the demo loader: CONCURRENTLY is not allowed there;
            # each drop's lock on the parent lasts until that transaction ends.
            tables = _generation_tables(cursor, is_old, abandoned=False)
            return sum(_drop_table(cursor, t) for t in tables)
        if not _cleanup_lock(cursor):
            logger.info("another cleanup is running; old snapshots wait for the sweep")
            return 0
        try:
            # Pending detaches first: while one is pending, no other partition of
            # the table can be detached concurrently.
            tables = sorted(
                _generation_tables(cursor, is_old, abandoned=True),
                key=lambda t: not t.pending,
            )
            return sum(_detach_and_drop(cursor, t) for t in tables)
        except DatabaseError:
            logger.exception("cleanup of old matrix snapshots failed")
            return 0
        finally:
            cursor.execute("RESET lock_timeout")
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", CLEANUP_LOCK)


def _cleanup_lock(cursor):
    """Take the cleanup lock, waiting a few seconds for another cleanup to end."""
    cursor.execute("SET lock_timeout = '5s'")
    try:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", CLEANUP_LOCK)
    except OperationalError:  # lock_timeout
        return False
    finally:
        cursor.execute("RESET lock_timeout")
    return True


def _delete_generations(cursor, is_old):
    cursor.execute(f"SELECT DISTINCT treaty_id, generation FROM {TABLE}")
    removed = 0
    for treaty, generation in cursor.fetchall():
        if is_old(treaty, generation):
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE treaty_id = %s AND generation = %s",
                [treaty, generation],
            )
            removed += cursor.rowcount
    return removed


@dataclass(frozen=True)
class _GenerationTable:
    name: str
    attached: bool
    pending: bool
    mine: bool


def _generation_tables(cursor, is_old, *, abandoned):
    """The generation tables to drop: those `is_old` picks, attached or not (a
    cleanup that died between its detach and its drop left them), and, when
    `abandoned`, any partition left pending detach (only the cleanup holding the
    lock detaches, so a pending one is a dead cleanup's).
    """
    cursor.execute(
        "SELECT c.relname, i.inhrelid IS NOT NULL, coalesce(i.inhdetachpending, false)"
        " FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid"
        " WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"
        " AND c.relname LIKE %s",
        [f"{TABLE}\\_t%"],
    )
    tables = []
    for name, attached, pending in cursor.fetchall():
        match = PARTITION_NAME.fullmatch(name)
        if match is None:
            continue
        mine = is_old(int(match[1]), int(match[2]))
        if mine or (abandoned and pending):
            tables.append(_GenerationTable(name, attached, pending, mine))
    return tables


def _drop_table(cursor, table):
    quoted = connection.ops.quote_name(table.name)
    removed = 0
    if table.mine:
        cursor.execute(f"SELECT count(*) FROM {quoted}")
        removed = cursor.fetchone()[0]
    cursor.execute(f"DROP TABLE {quoted}")
    return removed


def _detach_and_drop(cursor, table):
    """Detach concurrently (waiting for readers that may still use the partition
    instead of locking new readers out), then drop."""
    if table.attached:
        quoted = connection.ops.quote_name(table.name)
        if table.pending:
            # FINALIZE holds the parent while it waits for older transactions, a
            # build's among them, whose attach would then wait for it: give up
            # before the deadlock detector (1 s) picks the build as its victim.
            cursor.execute("SET lock_timeout = '500ms'")
            mode = "FINALIZE"
        else:
            # A long transaction elsewhere must not hold the cleanup for minutes;
            # cancelled, the detach stays pending and the next cleanup finishes it.
            cursor.execute("SET lock_timeout = '10s'")
            mode = "CONCURRENTLY"
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {quoted} {mode}")
    return _drop_table(cursor, table)
