"""Structured logs: one JSON object a line with time, level, logger, message, the
request id and the user, whoever logged it.

RequestContextMiddleware (first in MIDDLEWARE) gives every request an id — the
client's or proxy's `X-Request-ID` when it is a sane token, else a new one — sends it
back in `X-Request-ID`, keeps the request in a context variable for the formatter,
and logs one access line per request (logger `access`: method, path, status, ms).
"""

import contextvars
import datetime
import json
import logging
import re
import time
import traceback
import uuid

from django.core.signals import request_finished
from django.utils.functional import SimpleLazyObject, empty

_current_request = contextvars.ContextVar("current_request", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

access_logger = logging.getLogger("access")

# LogRecord's own attributes; anything else on a record came as `extra=`.
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def current_request():
    """The request being served, or None (common.acting reads its user)."""
    return _current_request.get()


def current_request_id():
    request = _current_request.get()
    return getattr(request, "request_id", None)


def _user_of(request):
    """The request's username, or None; never queries (a user not yet loaded is
    not loaded here: the formatter must not touch the database)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if not user.is_authenticated:
        return None
    return user.get_username()


class JsonFormatter(logging.Formatter):
    def format(self, record):
        request = _current_request.get()
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(request, "request_id", None),
            "user": _user_of(request) if request is not None else None,
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = (
            offered if _SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        )
        # Kept until the response is closed (request_finished): Django logs a 4xx
        # or 5xx after the middleware has returned.
        _current_request.set(request)
        started = time.monotonic()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        # Resolve the user for the access line (already loaded by most views).
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018
        access_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


def forget_request(**kwargs):
    """No request is being served now (its response was closed)."""
    _current_request.set(None)


request_finished.connect(forget_request, dispatch_uid="common.logging.forget")
