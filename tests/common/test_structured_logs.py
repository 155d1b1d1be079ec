"""Every log line is one JSON object with time, level, logger, request id and user;
a request's id comes from X-Request-ID (or is made) and goes back in the response."""

import io
import json
import logging
import re

import pytest

from common.logging import JsonFormatter
from tests.api_helpers import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The lines the configured console handler writes (LOGGING in settings)."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, JsonFormatter)
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(previous)


def test_a_requests_lines_carry_time_level_logger_request_id_and_user(
    editor_client, log_lines
):
    response = editor_client.get(api("actor-list"), HTTP_X_REQUEST_ID="req-42.abc")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-42.abc"
    (access,) = [line for line in log_lines() if line["logger"] == "access"]
    assert access["request_id"] == "req-42.abc"
    assert access["user"] == "edith"  # token authentication, resolved by DRF
    assert access["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", access["time"])
    assert (access["method"], access["path"], access["status"]) == (
        "GET",
        api("actor-list"),
        200,
    )


def test_other_loggers_lines_during_a_request_carry_its_id(client, log_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = log_lines()
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == request_id
    assert not_found[0]["level"] == "WARNING" and not_found[0]["user"] is None
    assert all(line["request_id"] == request_id for line in lines)


def test_an_unsafe_request_id_is_replaced(client, log_lines):
    response = client.get("/methodology/", HTTP_X_REQUEST_ID='x" \n{"level": "bad"}')
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    (access,) = [line for line in log_lines() if line["logger"] == "access"]
    assert access["request_id"] == response["X-Request-ID"]


def test_a_line_outside_a_request_has_no_request_id_and_keeps_the_traceback(
    log_lines,
):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("states.tasks").exception("a build failed")
    (line,) = log_lines()
    assert line["request_id"] is None and line["user"] is None
    assert line["level"] == "ERROR" and line["logger"] == "states.tasks"
    assert "ValueError: boom" in line["exc"]
