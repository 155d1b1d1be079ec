"""Bounded load runs with locust (headless, in a process of its own).

Locust: a maintained load tool from PyPI whose users read each body to the end,
reporting requests/s, percentiles and failures itself; run as a subprocess so its
gevent monkey-patching stays out of the benchmark's Django process.
"""

import csv
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.bench.setup import BASE_DIR

USERS = int(os.environ.get("BENCH_LOAD_USERS", "8"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
FLOOR_SECONDS = float(os.environ.get("BENCH_FLOOR_LOAD_SECONDS", "5"))
LOCUST = Path(sys.executable).with_name("locust")
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass
class Load:
    requests: int
    failures: int
    per_second: float
    p50_ms: float
    p99_ms: float

    def text(self):
        p50, p99 = self.p50_ms, self.p99_ms
        return f"{self.per_second:.1f}/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms"


def enabled():
    return SECONDS > 0


def run_load(port, paths, seconds=SECONDS, users=USERS):
    """Load of `users` clients over `paths` for `seconds`; totals over all paths."""
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as folder:
        prefix = Path(folder) / "run"
        command = [
            str(LOCUST),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--host",
            f"http://127.0.0.1:{port}",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds:g}s",
            "--stop-timeout",
            "30",
            "--csv",
            str(prefix),
            "--loglevel",
            "ERROR",
        ]
        env = {**os.environ, "BENCH_LOAD_PATHS": "\n".join(paths)}
        subprocess.run(
            command,
            cwd=BASE_DIR,
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        with open(f"{prefix}_stats.csv", newline="") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    return Load(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        per_second=float(total["Requests/s"]),
        p50_ms=_number(total["50%"]),
        p99_ms=_number(total["99%"]),
    )


def _number(text):
    return float(text) if text not in ("", "N/A") else float("nan")
