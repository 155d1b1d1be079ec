"""The processes `make bench` starts: gunicorn (2 sync workers on a free port) and a
Celery worker; a client that times a response to its last byte; the floor files.

Every process is started in its own process group and ended by that group's id.
"""

import contextlib
import ctypes
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.setup import BASE_DIR

BIN = Path(sys.executable).parent
WORKERS = 2
# A read slower than this is reported as timed out (gunicorn's own timeout is longer).
READ_TIMEOUT = float(os.environ.get("BENCH_READ_TIMEOUT", "30"))
# Reads are measured, not throttled; the storm's writes too.
RATES = {
    "API_ANON_RATE": "100000000/hour",
    "API_USER_RATE": "100000000/hour",
    "API_WRITE_RATE": "100000000/hour",
}


def _own_session_dying_with_us():
    """In the child before exec: a process group of its own (ended by its id), and
    SIGTERM when the benchmark dies, so that no server or worker outlives a run."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


PR_SET_PDEATHSIG = 1


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(static_root, broker_url):
    env = {**os.environ, **RATES, "BENCH_STATIC_ROOT": str(static_root)}
    env["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    env["DJANGO_DEBUG"] = "0"
    env["CELERY_BROKER_URL"] = broker_url or ""
    env["LOG_LEVEL"] = "WARNING"
    return env


class Gunicorn:
    """`gunicorn tracker.wsgi` with 2 sync workers, serving `static_root` too."""

    def __init__(self, static_root, broker_url=None):
        self.static_root = Path(static_root)
        self.broker_url = broker_url
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
        self.process = None

    def __enter__(self):
        command = [
            str(BIN / "gunicorn"),
            "tracker.wsgi",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--error-logfile",
            "-",
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=_environment(self.static_root, self.broker_url),
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_own_session_dying_with_us,
            )
        _wait_for(lambda: self._answers(), 60, "gunicorn", self.log)
        return self

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-2000:]}")
        try:
            status, _, _ = fetch(self.port, "/methodology/")
        except OSError:
            return False
        # Both workers up: a few answers in a row.
        return status == 200

    def __exit__(self, *exc):
        stop_group(self.process)


class CeleryWorker:
    """A real worker (prefork, one child), as tests/states/test_rebuild_task.py runs."""

    def __init__(self, broker_url):
        self.broker_url = broker_url
        self.log = Path(tempfile.mkstemp(prefix="bench-worker-", suffix=".log")[1])
        self.process = None

    def __enter__(self):
        env = {
            **os.environ,
            "CELERY_BROKER_URL": self.broker_url,
            "MATRIX_SWEEP_SECONDS": "3600",
        }
        command = [
            str(BIN / "celery"),
            "-A",
            "tracker",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"bench-{os.getpid()}@%h",
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_own_session_dying_with_us,
            )
        _wait_for(lambda: b"ready." in self.log.read_bytes(), 60, "worker", self.log)
        return self

    def __exit__(self, *exc):
        stop_group(self.process)


def stop_group(process):
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def _wait_for(condition, seconds, what, log):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}:\n{log.read_text()[-2000:]}")


def fetch(port, path, headers=None):
    """(status, body bytes, seconds until the last byte) of one GET on a new
    connection (sync workers close it after each response, so every client does)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=READ_TIMEOUT)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, body, time.perf_counter() - started


def http_client(port, method, path, body=None, headers=None):
    """(status, body) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def write_floor_file(static_root, name, body):
    """`body` (a response's bytes) as a file of the static root; its URL. No .gz
    beside it: WhiteNoise serves it as it is, the same bytes as the response."""
    path = Path(static_root) / f"floor-{name}.bin"
    path.write_bytes(body)
    return f"/static/{path.name}"
