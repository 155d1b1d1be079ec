"""A real SMTP server in the test process (aiosmtpd), and Django's SMTP backend
pointed at it."""

import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        message.envelope_to = list(envelope.rcpt_tos)
        message.raw = envelope.content
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=5.0):
        """The messages once `count` have arrived (the server runs in a thread)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "http://tracker.test"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    # The counters live in the shared cache for an hour: only the rate-limit test
    # sets a low limit (with addresses of its own).
    settings.FOLLOW_RATE_PER_HOUR = 100_000
