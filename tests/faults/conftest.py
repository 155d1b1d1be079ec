"""Fixtures of the fault suite: a redis-server of the test's own, on its own port,
that a test may stop and start again (the suite's shared Redis is never stopped)."""

import contextlib
import socket
import subprocess
import time

import pytest
import redis


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """`redis-server` without persistence on a free port; stop() and start()."""

    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=1)

    def answers(self):
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def start(self):
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.dir / f"redis-{self.port}.pid"),
                "--logfile",
                str(self.dir / f"redis-{self.port}.log"),
            ],
            check=True,
        )
        wait_until(self.answers, 10, "redis-server to answer")

    def stop(self):
        with contextlib.suppress(redis.RedisError):
            self.client().shutdown(nosave=True)
        wait_until(lambda: not self.answers(), 10, "redis-server to stop")


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
