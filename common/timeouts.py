"""A time limit on every database statement of a web request (PostgreSQL).

gunicorn's worker timeout kills a worker that hangs, but the query it ran keeps the
database busy and the next request of the same kind takes the next worker. With
`statement_timeout` on the web processes' connections, PostgreSQL cancels an
over-long statement itself; this middleware answers the request 503 with
`Retry-After` and logs it, and the worker is free for the next request.

The limit is a connection option chosen by the process (tracker/settings.py, for
processes started through tracker/wsgi.py): Celery workers and management commands
(the matrix build, imports, backups) keep the server's default, no limit.
"""

import logging
import time

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a cancelled statement
RETRY_AFTER_SECONDS = 30
MESSAGE = "The server took too long to answer this request. Please try again shortly."


def is_statement_timeout(error):
    """Whether a database error is PostgreSQL cancelling a statement."""
    cause = getattr(error, "__cause__", None)
    return (
        isinstance(error, OperationalError)
        and getattr(cause, "sqlstate", None) == QUERY_CANCELED
    )


class StatementTimeoutMiddleware:
    """A cancelled statement is a 503 with Retry-After, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.started_at = time.monotonic()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_statement_timeout(exception):
            return None
        seconds = time.monotonic() - getattr(request, "started_at", time.monotonic())
        logger.warning(
            "statement timeout (limit %s ms) after %.2f s: %s %s",
            settings.WEB_STATEMENT_TIMEOUT_MS,
            seconds,
            request.method,
            request.path,
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": MESSAGE}, status=503)
        else:
            response = HttpResponse(MESSAGE, status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
