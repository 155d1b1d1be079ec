"""A full build on PostgreSQL split over two connections, half of the actors each.

The build's query alone is as fast as the hand-written floor; what a build adds is
writing its rows durably, indexing them and gathering statistics. Each half does all
of that for its actors on a connection of its own, in parallel, reading the
snapshot the build's transaction exports (the same data, as `pg_dump -j` does). The
halves commit as tables no reader knows of; the build's transaction then attaches
them, as ranges of actor ids, to the generation's table, and that to the matrix. A
build that fails after the halves committed leaves them to the cleanup: their
generation never becomes the current one.
"""

from concurrent.futures import ThreadPoolExecutor

import psycopg
from django.db import connection
from psycopg import sql

from states.matrix import storage

# Below this many published statements a second connection costs more than it saves.
MIN_STATEMENTS = 2_000
FIRST_ID, LAST_ID = -(2**63), 2**63 - 1


def loader(cursor, treaty_id, in_callers_transaction):
    """write_generation when a full build of the treaty gains from a split, else None.

    Not for a build inside a caller's transaction: the halves' connections would not
    see what it has not committed.
    """
    if connection.vendor != "postgresql" or in_callers_transaction:
        return None
    return write_generation if _worth_it(cursor, treaty_id) else None


def _worth_it(cursor, treaty_id):
    """Whether the treaty is large enough to build in two halves."""
    cursor.execute(
        "SELECT count(*) FROM states_statement s"
        " JOIN provisions_session se ON se.id = s.session_id"
        " WHERE se.treaty_id = %s AND s.status = 'published'",
        [treaty_id],
    )
    return cursor.fetchone()[0] >= MIN_STATEMENTS


def write_generation(cursor, treaty_id, generation, name):
    """Load the generation's two halves in parallel and attach them; rows written.

    `cursor` is the build's, in its transaction; `name` the generation's table.
    """
    cursor.execute("SELECT pg_export_snapshot()")
    snapshot = cursor.fetchone()[0]
    middle = _middle_actor_id(cursor, treaty_id)
    halves = [(f"{name}_h0", FIRST_ID, middle), (f"{name}_h1", middle, LAST_ID)]
    params = connection.get_connection_params()
    with ThreadPoolExecutor(len(halves), thread_name_prefix="matrix-half") as pool:
        loads = [
            pool.submit(_load, params, snapshot, treaty_id, generation, name, *half)
            for half in halves
        ]
        rows = sum(load.result() for load in loads)
    cursor.execute(
        f"CREATE TABLE {name}"
        f" (LIKE {storage.TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,"
        f" CONSTRAINT {name}_generation CHECK (generation = {int(generation)}))"
        " PARTITION BY RANGE (actor_id)"
    )
    cursor.execute(f"ALTER TABLE {name} ADD PRIMARY KEY ({storage.PRIMARY_KEY})")
    for half, low, high in halves:
        cursor.execute(
            f"ALTER TABLE {name} ATTACH PARTITION {half}"
            f" FOR VALUES FROM ({_bound(low, 'MINVALUE')})"
            f" TO ({_bound(high, 'MAXVALUE')})"
        )
    return rows


def _middle_actor_id(cursor, treaty_id):
    """The actor id that splits the treaty's runs in two halves of about equal size.

    Estimated from a 1 % sample of the current generation (group members have many
    more runs than others, so the middle of the ids would not do); for a first
    build, the middle of the actor ids.
    """
    cursor.execute(
        "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY actor_id)"
        f" FROM {storage.TABLE} TABLESAMPLE BERNOULLI (1)"
        " WHERE treaty_id = %s AND generation ="
        " (SELECT generation FROM states_matrixstate WHERE treaty_id = %s)",
        [treaty_id, treaty_id],
    )
    middle = cursor.fetchone()[0]
    if middle is None:
        cursor.execute(
            "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY id) FROM states_actor"
        )
        middle = cursor.fetchone()[0]
    return int(middle)


def _bound(value, unbounded):
    return unbounded if value in (FIRST_ID, LAST_ID) else str(int(value))


def _load(params, snapshot, treaty_id, generation, generation_table, name, low, high):
    """One half on its own connection: load, index, analyze, commit; rows written."""
    with psycopg.connect(**params) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.cursor() as cursor:
            cursor.execute(
                sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot))
            )
            storage.tune(cursor, vendor="postgresql")
            # The range check lets the attach skip its validation scan.
            storage.create_generation_table(
                cursor,
                name,
                generation,
                f"actor_id >= {int(low)} AND actor_id < {int(high)}",
                of=generation_table,
            )
            cursor.execute(
                storage.insert_sql(name, actor_range=True, vendor="postgresql"),
                {
                    "treaty": treaty_id,
                    "start": 0,
                    "generation": generation,
                    "low": low,
                    "high": high,
                },
            )
            rows = cursor.rowcount
            cursor.execute(
                f"ALTER TABLE {name} ADD PRIMARY KEY ({storage.PRIMARY_KEY})"
            )
            storage.analyze(cursor, name)
    return rows
