"""The load of `make bench`: each user GETs the paths of BENCH_LOAD_PATHS (one per
line) in turn, without pause, reading every body to its last byte.

`Accept-Encoding: identity`, as the single-client reads and their floor files: the
figures compare the same bytes. A status other than 200 counts as a failure.
"""

import itertools
import os

from locust import FastHttpUser, constant, task

PATHS = [p for p in os.environ["BENCH_LOAD_PATHS"].splitlines() if p]


class Reader(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 120.0
    connection_timeout = 30.0

    def on_start(self):
        self.paths = itertools.cycle(PATHS)

    @task
    def read(self):
        path = next(self.paths)
        headers = {"Accept-Encoding": "identity"}
        with self.client.get(
            path, headers=headers, name=path, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
