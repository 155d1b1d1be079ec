"""Celery tasks of the matrix (thin, idempotent, safe to redeliver) and how they are
enqueued: once per treaty per transaction, after commit, never blocking a save on a
broker that is down."""

import logging
import threading
import time

from celery import current_app, shared_task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q

from provisions.models import Treaty
from states import dump
from states.matrix import build as matrix_build
from states.matrix import cleanup
from states.signals import matrix_rebuilt

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
    if summary["status"] == "built":
        matrix_rebuilt.send_robust(
            sender=rebuild_matrix, treaty_id=treaty_id, summary=summary
        )
        enqueue_downloads(treaty_id)
    return summary


# The complete downloads ------------------------------------------------------------

# A build waiting in the queue for the treaty: another request adds nothing. It
# expires, so a message lost with a worker does not block builds for ever.
DOWNLOADS_PENDING_KEY = "downloads-pending:{}"
DOWNLOADS_PENDING_SECONDS = 30 * 60


@shared_task(
    name="states.build_downloads",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def build_downloads(treaty_id=None):
    """Rebuild the /data/ downloads of one treaty (None: of every treaty)."""
    treaties = Treaty.objects.order_by("slug")
    if treaty_id is not None:
        treaties = treaties.filter(pk=treaty_id)
    built = []
    for treaty in treaties:
        # Cleared before the build reads: a change made meanwhile gets a build of
        # its own after this one.
        cache.delete(DOWNLOADS_PENDING_KEY.format(treaty.pk))
        manifest = dump.dump_build(treaty)
        built.append({"treaty": treaty.slug, "seconds": manifest["seconds"]})
    return built


def enqueue_downloads(treaty_id):
    """Ask for a downloads build unless one is already waiting; never raises."""
    key = DOWNLOADS_PENDING_KEY.format(treaty_id)
    if not cache.add(key, 1, DOWNLOADS_PENDING_SECONDS):
        return False
    try:
        build_downloads.apply_async(kwargs={"treaty_id": treaty_id})
    except Exception:
        cache.delete(key)
        logger.exception("the downloads build of treaty %s failed", treaty_id)
        return False
    return True


@shared_task(name="states.rebuild_stale_matrices")
def rebuild_stale_matrices():
    """The periodic sweep (Celery beat): rebuild every stale or never-built matrix,
    and drop snapshot generations no reader uses."""
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
    cleanup.drop_unused_generations()
    return treaty_ids


# Enqueueing -----------------------------------------------------------------------


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
    if current_app.conf.task_always_eager:
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
