"""Writing the matrix snapshot rows: a full build's new generation, an incremental
build's differences, and the removal of generations readers no longer use.

Rows are cell runs (DESIGN §5 hint): each (actor, provision) cell once per session
number with an attribution, holding for [from_number, to_number). The SQL implements
the pure rules of states.matrix; the property tests compare the two.

On PostgreSQL `states_matrixstance` is partitioned by generation (migration 0008). A
full build loads its generation into a table of its own with no index, indexes it
once, and attaches it: bulk-loading then indexing costs about half of inserting into
a live index, and the previous generation goes by DETACH … CONCURRENTLY and DROP
TABLE, never a row-by-row DELETE that leaves the table bloated. On SQLite (the
embedded default, small data) a generation is written into and deleted from the one
table.
"""

import logging
import re
from dataclasses import dataclass

from django.db import DatabaseError, OperationalError, connection

logger = logging.getLogger(__name__)

TABLE = "states_matrixstance"
# Partition names carry treaty and generation so a cleanup can find a treaty's own.
PARTITION_NAME = re.compile(rf"{TABLE}_t([0-9]+)_g([0-9]+)", re.ASCII)
# pg advisory lock namespace ("tt"): builds lock (namespace, treaty id), treaty ids
# start at 1, and key 0 is the one cleanup at a time.
LOCK_NAMESPACE = 0x7474
CLEANUP_LOCK = (LOCK_NAMESPACE, 0)
GENERATION_SEQUENCE = "states_matrixstance_generation_seq"
COLUMNS = (
    "actor_id, provision_id, from_number, to_number, stance, position_id, "
    "statement_id, via"
)

# Every attribution (DESIGN §3) of a published position on a published statement of
# the treaty in a session numbered ≥ the build's start: speaker, co-signers and
# supporters (direct = 1), members of the on_behalf_of group on the effective date
# (direct = 0).
# The published positions are a subquery repeated in each branch, not one CTE: each
# branch then gets its own join order (index lookups for the few joint and group
# statements), about 0.1 s less of 1.5 s at UN scale than scanning a materialized CTE.
_PUBLISHED = """(
  SELECT p.id AS position_id, p.provision_id, p.stance, s.id AS statement_id,
         s.actor_id, s.on_behalf_of_id, se.number AS number,
         COALESCE(s.date, se.start_date) AS eff
  FROM states_position p
  JOIN states_statement s ON s.id = p.statement_id
  JOIN provisions_session se ON se.id = s.session_id
  WHERE se.treaty_id = %(treaty)s AND se.number >= %(start)s
    AND p.status = 'published' AND s.status = 'published'
) pub"""
_ATTRIBUTIONS = f"""
att AS (
  SELECT actor_id, provision_id, number, eff, 1 AS direct, position_id, stance,
         statement_id, CAST(NULL AS BIGINT) AS group_id
  FROM {_PUBLISHED}
  UNION ALL
  SELECT c.actor_id, pub.provision_id, pub.number, pub.eff, 1, pub.position_id,
         pub.stance, pub.statement_id, CAST(NULL AS BIGINT)
  FROM {_PUBLISHED}
  JOIN (
    SELECT statement_id, actor_id FROM states_statement_co_signers
    UNION ALL
    SELECT statement_id, actor_id FROM states_statement_supporters
  ) c ON c.statement_id = pub.statement_id
  UNION ALL
  SELECT m.actor_id, pub.provision_id, pub.number, pub.eff, 0, pub.position_id,
         pub.stance, pub.statement_id, pub.on_behalf_of_id
  FROM {_PUBLISHED}
  JOIN states_membership m ON m.group_id = pub.on_behalf_of_id
   AND m.start_date <= pub.eff AND (m.end_date IS NULL OR m.end_date >= pub.eff)
)
"""

# The winner per (actor, provision, session number): greatest (effective date,
# direct before inherited, position id). The group slug is joined to the winners
# only (a wide column left out of the sort).
_WINNERS_POSTGRESQL = """
win AS (
  SELECT DISTINCT ON (actor_id, provision_id, number)
         actor_id, provision_id, number, position_id, stance, statement_id, group_id
  FROM att
  ORDER BY actor_id, provision_id, number, eff DESC, direct DESC, position_id DESC
)
"""

_WINNERS_PORTABLE = """
ranked AS (
  SELECT actor_id, provision_id, number, position_id, stance, statement_id,
         group_id, ROW_NUMBER() OVER (
           PARTITION BY actor_id, provision_id, number
           ORDER BY eff DESC, direct DESC, position_id DESC
         ) AS rank
  FROM att
),
win AS (
  SELECT actor_id, provision_id, number, position_id, stance, statement_id, group_id
  FROM ranked WHERE rank = 1
)
"""

# The runs from the build's start on. Unordered: a full build indexes after loading
# and an incremental one inserts a handful of rows. Named parameters: treaty, start
# and what `{prefix}` selects.
_RUNS = """
WITH {ctes},
runs AS (
  SELECT win.*, LEAD(number) OVER (
           PARTITION BY actor_id, provision_id ORDER BY number
         ) AS next_number
  FROM win
)
SELECT {prefix} runs.actor_id, runs.provision_id, runs.number AS from_number,
       runs.next_number AS to_number, runs.stance, runs.position_id,
       runs.statement_id, g.slug AS via
FROM runs
LEFT JOIN states_group g ON g.id = runs.group_id
"""


def _runs_sql(prefix=""):
    if connection.vendor == "postgresql":
        winners = _WINNERS_POSTGRESQL
    else:
        winners = _WINNERS_PORTABLE
    return _RUNS.format(ctes=_ATTRIBUTIONS + "," + winners, prefix=prefix)


def insert_sql(table=TABLE):
    """INSERT … WITH … SELECT of every run from a start; params treaty, start and
    generation. Not WITH … INSERT, so that SQLite reports the rowcount."""
    return f"INSERT INTO {table} (treaty_id, generation, {COLUMNS}) " + _runs_sql(
        prefix="%(treaty)s, %(generation)s,"
    )


def tune(cursor):
    if connection.vendor == "postgresql":
        # The sort of all attributions fits in memory at UN scale with this.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Compiling the plan costs more than it saves at this size.
        cursor.execute("SET LOCAL jit = off")
        # Snapshots are derived data: a build lost in a crash (with the state row it
        # updates, in the same transaction) leaves the treaty stale, and the sweep
        # builds it again; so the commit need not wait for the WAL flush.
        cursor.execute("SET LOCAL synchronous_commit = off")


# Full builds ------------------------------------------------------------------------


def write_generation(cursor, treaty_id, previous):
    """Write every run of the treaty as a new generation; (generation, rows)."""
    tune(cursor)
    if connection.vendor == "postgresql":
        return _write_partition(cursor, treaty_id)
    generation = previous + 1
    # Leftovers of a build that died after its commit, before its cleanup.
    cursor.execute(
        f"DELETE FROM {TABLE} WHERE treaty_id = %s AND generation >= %s",
        [treaty_id, generation],
    )
    cursor.execute(
        insert_sql(), {"treaty": treaty_id, "start": 0, "generation": generation}
    )
    return generation, cursor.rowcount


def _write_partition(cursor, treaty_id):
    """Load, index and attach a partition holding the new generation.

    Generations come from one sequence, so a partition name never comes back (not
    even after the tables are flushed) and a later build always has a greater one.
    The attach takes SHARE UPDATE EXCLUSIVE on the parent: readers are not blocked.
    """
    cursor.execute("SELECT nextval(%s)", [GENERATION_SEQUENCE])
    generation = cursor.fetchone()[0]
    name = f"{TABLE}_t{int(treaty_id)}_g{int(generation)}"
    # Columns, defaults and CHECK constraints; no index yet. The generation check,
    # made while the table is empty, lets the attach skip its validation scan.
    # No parallel scans: on a small server the planner prefers three workers
    # scanning all 600,000 runs (35-50 ms) to the key's index (6 ms) for a group ×
    # chapter read, as its cost model does not see the workers compete for 2 cores.
    cursor.execute(
        f"CREATE TABLE {name}"
        f" (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,"
        f" CONSTRAINT {name}_generation CHECK (generation = {int(generation)}))"
        " WITH (parallel_workers = 0)"
    )
    cursor.execute(
        insert_sql(name), {"treaty": treaty_id, "start": 0, "generation": generation}
    )
    rows = cursor.rowcount
    # Indexed once over the loaded rows; the attach adopts it as the parent's key.
    cursor.execute(
        f"ALTER TABLE {name} ADD PRIMARY KEY"
        " (treaty_id, generation, actor_id, provision_id, from_number)"
    )
    cursor.execute(
        f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN ({int(generation)})"
    )
    _analyze(cursor, name)
    return generation, rows


# Statistics from a sample of 7,500 runs instead of the default 30,000: enough for
# the equality and IN lists readers filter on, and a third of the time (autovacuum
# may be late or off, so the build gathers them before readers plan against it).
# None on the columns no reader filters by.
_FILTERED_BY_READERS = (
    "treaty_id",
    "generation",
    "actor_id",
    "provision_id",
    "from_number",
    "to_number",
    "stance",
    "position_id",
)
STATISTICS_TARGETS = {
    **dict.fromkeys(_FILTERED_BY_READERS, 25),
    "statement_id": 0,
    "via": 0,
}


def _analyze(cursor, name):
    targets = ", ".join(
        f"ALTER COLUMN {column} SET STATISTICS {target}"
        for column, target in STATISTICS_TARGETS.items()
    )
    cursor.execute(f"ALTER TABLE {name} {targets}")
    cursor.execute(f"ANALYZE {name}")


# Incremental builds -----------------------------------------------------------------

# Runs from the start on that are stored but not rebuilt identically, and rebuilt
# but not stored identically: the only rows an incremental build touches.
_SAME_RUN = """
  x.actor_id = y.actor_id AND x.provision_id = y.provision_id
  AND x.from_number = y.from_number
  AND (x.to_number = y.to_number OR (x.to_number IS NULL AND y.to_number IS NULL))
  AND x.stance = y.stance AND x.position_id = y.position_id
  AND x.statement_id = y.statement_id
  AND (x.via = y.via OR (x.via IS NULL AND y.via IS NULL))
"""
_GONE_SQL = f"""
CREATE TEMP TABLE matrix_gone AS
SELECT x.actor_id, x.provision_id, x.from_number FROM {TABLE} x
WHERE x.treaty_id = %s AND x.generation = %s AND x.from_number >= %s
  AND NOT EXISTS (SELECT 1 FROM matrix_new y WHERE {_SAME_RUN})
"""
_ADDED_SQL = f"""
CREATE TEMP TABLE matrix_added AS
SELECT x.* FROM matrix_new x
WHERE NOT EXISTS (
  SELECT 1 FROM {TABLE} y
  WHERE y.treaty_id = %s AND y.generation = %s AND y.from_number >= %s
    AND {_SAME_RUN}
)
"""
_DELETE_GONE_SQL = f"""
DELETE FROM {TABLE}
WHERE treaty_id = %s AND generation = %s AND from_number >= %s
  AND (actor_id, provision_id, from_number) IN (
    SELECT actor_id, provision_id, from_number FROM matrix_gone)
"""
_INSERT_ADDED_SQL = f"""
INSERT INTO {TABLE} (treaty_id, generation, {COLUMNS})
SELECT %s, %s, {COLUMNS} FROM matrix_added
"""

# The last run before the start of every touched cell must end where the cell's first
# run from the start on begins, or stay open if it has none.
_NEXT_RUN = f"""(
  SELECT MIN(x.from_number) FROM {TABLE} x
  WHERE x.treaty_id = o.treaty_id AND x.generation = o.generation
    AND x.actor_id = o.actor_id AND x.provision_id = o.provision_id
    AND x.from_number >= %s
)"""
_RECONNECT_SQL = f"""
UPDATE {TABLE} AS o SET to_number = {_NEXT_RUN}
WHERE o.treaty_id = %s AND o.generation = %s AND o.from_number < %s
  AND (o.actor_id, o.provision_id) IN (
    SELECT actor_id, provision_id FROM matrix_gone
    UNION SELECT actor_id, provision_id FROM matrix_added)
  AND (o.to_number IS NULL OR o.to_number >= %s)
"""
_SCRATCH = ("matrix_new", "matrix_gone", "matrix_added")


def rewrite_from(cursor, treaty_id, generation, start):
    """Bring the runs from session `start` on up to date, writing only differences.

    Returns (rows deleted, rows inserted). The runs from `start` on depend only on
    attributions in those sessions, so they are recomputed into a scratch table and
    compared with the stored ones; an edit in the last session rewrites a few rows,
    not the tens of thousands that session holds.
    """
    tune(cursor)
    _drop_scratch(cursor)
    cursor.execute(
        "CREATE TEMP TABLE matrix_new AS " + _runs_sql(),
        {"treaty": treaty_id, "start": start},
    )
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE matrix_new")
    where = [treaty_id, generation, start]
    cursor.execute(_GONE_SQL, where)
    cursor.execute(_ADDED_SQL, where)
    cursor.execute(_DELETE_GONE_SQL, where)
    deleted = cursor.rowcount
    cursor.execute(_INSERT_ADDED_SQL, [treaty_id, generation])
    inserted = cursor.rowcount
    cursor.execute(_RECONNECT_SQL, [start, treaty_id, generation, start, start])
    _drop_scratch(cursor)
    return deleted, inserted


def _drop_scratch(cursor):
    for name in _SCRATCH:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


# Cleanup ------------------------------------------------------------------------------


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
