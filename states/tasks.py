"""Celery tasks of the matrix: thin, idempotent, safe to redeliver."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import Q

from states.matrix import build as matrix_build
from states.matrix import storage

logger = logging.getLogger(__name__)

# Another build of the same treaty holds the lock: try again shortly. The retries end
# when the running build finishes (then this one builds once, or finds it fresh).
BUSY_RETRY_SECONDS = 2
BUSY_MAX_RETRIES = 150


@shared_task(
    name="states.rebuild_matrix",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
    max_retries=BUSY_MAX_RETRIES,
)
def rebuild_matrix(self, treaty_id):
    """Rebuild one treaty's snapshots if they are stale (a no-op when fresh)."""
    try:
        summary = matrix_build.build(treaty_id, wait=False)
    except (OperationalError, InterfaceError) as error:
        # Transient database trouble (restart, deadlock, lost connection): the build
        # rolled back, the old snapshot is still served; try again with back-off.
        countdown = min(2 ** min(self.request.retries, 6), 60)
        logger.warning("matrix rebuild of treaty %s failed: %s", treaty_id, error)
        raise self.retry(exc=error, countdown=countdown) from error
    if summary["status"] == "busy":
        raise self.retry(countdown=BUSY_RETRY_SECONDS)
    summary.pop("built_at", None)
    logger.info("matrix rebuild %s", summary)
    return summary


@shared_task(name="states.rebuild_stale_matrices")
def rebuild_stale_matrices():
    """The periodic sweep (Celery beat): rebuild every stale or never-built matrix,
    and drop snapshot generations no reader uses."""
    from provisions.models import Treaty

    owed = (
        Q(matrix_state__isnull=True)
        | Q(matrix_state__stale_from__isnull=False)
        | Q(matrix_state__built_at__isnull=True)
    )
    treaty_ids = list(
        Treaty.objects.filter(owed).values_list("id", flat=True).order_by("id")
    )
    for treaty_id in treaty_ids:
        rebuild_matrix.apply_async(kwargs={"treaty_id": treaty_id})
    # And what a skipped or failed cleanup after a build left behind.
    storage.drop_unused_generations()
    return treaty_ids
