"""Writing the matrix snapshot rows: a full build's new generation and an incremental
build's differences (states.matrix.cleanup removes what readers no longer use).

Rows are cell runs (DESIGN §5 hint): each (actor, provision) cell once per session
number with an attribution, holding for [from_number, to_number). The SQL implements
the pure rules of states.matrix.rules; the property tests compare the two.

On PostgreSQL `states_matrixstance` is partitioned by generation (migration 0008). A
full build loads its generation into a table of its own with no index, indexes it
once, and attaches it: bulk-loading then indexing costs about half of inserting into
a live index, and the previous generation goes whole (states.matrix.cleanup), never
by a row-by-row DELETE that leaves the table bloated. On SQLite (the
embedded default, small data) a generation is written into and deleted from the one
table.
"""

import logging
import re

from django.db import connection

logger = logging.getLogger(__name__)

TABLE = "states_matrixstance"
# Partition names carry treaty and generation so a cleanup can find a treaty's own.
PARTITION_NAME = re.compile(rf"{TABLE}_t([0-9]+)_g([0-9]+)", re.ASCII)
# pg advisory lock namespace ("tt"): builds lock (namespace, treaty id); key 0 is the
# cleanup's (states.matrix.cleanup).
LOCK_NAMESPACE = 0x7474
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
# statements), measured faster than scanning one materialized CTE (README, Benchmarks).
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
    # No parallel scans: on a small server the planner prefers parallel workers
    # scanning every run to the key's index for a group × chapter read, several
    # times slower, as its cost model does not see the workers compete for the cores.
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
