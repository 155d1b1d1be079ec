"""Listeners for signals of states (which may not import follow)."""

import logging

from django.dispatch import receiver

from follow import tasks
from states.signals import matrix_rebuilt

logger = logging.getLogger(__name__)


@receiver(matrix_rebuilt, dispatch_uid="follow.digests_after_rebuild")
def send_digests_after_rebuild(sender, *, treaty_id, **kwargs):
    try:
        tasks.send_digests.apply_async()
    except Exception:
        # The broker is down: the hourly beat entry sends them later.
        logger.exception("could not enqueue the digests after rebuilding %s", treaty_id)
