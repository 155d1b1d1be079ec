"""Celery tasks of the follow app (thin; explicit names)."""

import logging

from celery import shared_task

from follow import services

logger = logging.getLogger(__name__)


@shared_task(name="follow.send_digests", acks_late=True, ignore_result=True)
def send_digests():
    """Send every due digest (idempotent: cursors move only past what was sent)."""
    sent = services.digests_send()
    logger.info("follow digests sent: %s", sent)
    return sent


@shared_task(name="follow.send_confirmation", ignore_result=True)
def send_confirmation(email, kind, key):
    """Send the double opt-in message for one follow request."""
    services.follow_request_send(email=email, kind=kind, key=key)
