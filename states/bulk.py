"""The one bulk path into the record, for data sets loaded whole (demo, synthetic).

A bulk load writes rows with bulk_create or COPY rather than through the services,
then calls `bulk_loaded` in its transaction: the treaty's whole matrix is owed, the
planner gets statistics for the tables just filled, and the rebuild follows the
commit. Nothing outside states writes to the matrix storage.
"""

from functools import partial

from django.db import connection, transaction

from states import services
from states.matrix import build as matrix_build
from states.matrix import cleanup
from states.models import MatrixStance, Position, Statement

# The tables a bulk load fills, and the build reads.
_FILLED_TABLES = (
    "states_position, states_statement, states_statement_co_signers,"
    " states_membership, states_actor, provisions_session, provisions_provision"
)


def bulk_loaded(*, treaty_id, rebuild_now=False) -> None:
    """Owe the treaty's whole matrix after a bulk load, in the load's transaction.

    With `rebuild_now`, the rebuild runs in this process right after commit (the
    demo is browsable when its command ends, with or without a worker); otherwise it
    is enqueued like any other. Either way a failed rebuild leaves the treaty stale
    for the periodic sweep.
    """
    _analyze_filled_tables()
    if rebuild_now:
        matrix_build.mark_stale(treaty_id, None)
        transaction.on_commit(
            lambda: services.matrix_rebuild(treaty_id=treaty_id, full=True)
        )
    else:
        services.matrix_mark_stale(treaty_id=treaty_id, from_session_number=None)


def treaty_records_delete(*, treaty) -> None:
    """Delete a treaty with its statements, positions and matrix, in bulk."""
    # Positions and statements PROTECT provisions and sessions: delete them first.
    Position.objects.filter(statement__session__treaty=treaty).delete()
    Statement.objects.filter(session__treaty=treaty).delete()
    # Materialized cells have no foreign keys, hence no cascade. The emptied snapshot
    # partitions are dropped once this commits (not inside it: a drop would lock
    # every reader of the matrix out until then).
    MatrixStance.objects.filter(treaty_id=treaty.id).delete()
    transaction.on_commit(partial(cleanup.drop_all_generations, treaty.id))
    treaty.delete()


def _analyze_filled_tables():
    """Fresh planner statistics for the tables just filled, before the first build.

    Without them (autovacuum is late, or off) PostgreSQL plans the build for empty
    tables: nested loops over hundreds of thousands of positions, twice as slow.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_FILLED_TABLES}")
