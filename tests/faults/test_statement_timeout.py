"""A slow statement cannot hold a web worker (issue 10, "a per-request time limit").

A real gunicorn (one worker) serves the test database with a short
WEB_STATEMENT_TIMEOUT_MS. Another connection holds a lock the page's query needs,
so the query waits as long as the lock is held: PostgreSQL cancels it at the limit,
the request is a 503 with Retry-After, and the same single worker answers the next
request at once.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.faults.conftest import _free_port, wait_until
from tests.states.test_rebuild_task import ROOT, _database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LIMIT_MS = 500
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _get(url, timeout=20):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextlib.contextmanager
def gunicorn(tmp_path, limit_ms):
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_DEBUG": "1",  # static files without a collectstatic manifest
        "WEB_STATEMENT_TIMEOUT_MS": str(limit_ms),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "tracker.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base), 30, f"gunicorn\n{log.read_text()}")
        yield base, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)


def _answers(base):
    try:
        return _get(f"{base}/methodology/", timeout=2)[0] == 200
    except OSError:
        return False


def _locked(table):
    """Another session holding an exclusive lock on the table (until closed)."""
    blocker = psycopg.connect(_database_url())
    blocker.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    return blocker


@pytest.mark.parametrize(
    ("path", "table"), [("/", "provisions_treaty"), ("/api/v1/actors/", "states_actor")]
)
def test_a_statement_past_the_limit_is_a_503_and_the_worker_is_free_again(
    tmp_path, path, table
):
    with gunicorn(tmp_path, LIMIT_MS) as (base, log):
        assert _get(base + path)[0] == 200
        with _locked(table):
            started = time.monotonic()
            status, headers, body = _get(base + path)
            seconds = time.monotonic() - started
        assert status == 503, body
        assert int(headers["Retry-After"]) > 0
        assert b"took too long" in body
        if path.startswith("/api/"):
            assert json.loads(body)["detail"]
        # Cancelled at the limit, not when the lock went away.
        assert LIMIT_MS / 1000 <= seconds < LIMIT_MS / 1000 + 3
        # The single worker answers the next request.
        again = time.monotonic()
        assert _get(base + path)[0] == 200
        print(
            f"\n{path}: 503 after {seconds:.2f} s (limit {LIMIT_MS} ms); next request "
            f"200 in {time.monotonic() - again:.2f} s"
        )
        wait_until(lambda: b"statement timeout" in log.read_bytes(), 5, "the log line")


def test_processes_not_started_as_web_servers_have_no_statement_timeout():
    # This test process (like a Celery worker or a command) never loads tracker.wsgi.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    # A web process's settings carry the limit on their connections.
    code = (
        "import tracker.wsgi; from django.db import connection;"
        " c = connection.cursor();"
        " c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            "WEB_STATEMENT_TIMEOUT_MS": "1234",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "1234ms"
