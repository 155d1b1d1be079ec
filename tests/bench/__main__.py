"""The run of `make bench`: set-up, rebuilds, reads through gunicorn, load, storm."""

import os
import signal
import subprocess
import sys
import tempfile

from tests.bench import load, reads, rebuild, storm
from tests.bench.report import Report, guarded, sec
from tests.bench.server import CeleryWorker, Gunicorn

# BENCH_PARTS: which parts run (all four unless it names fewer).
PARTS = set(os.environ.get("BENCH_PARTS", "rebuild,reads,load,storm").split(","))


def main():
    from tests.bench import setup

    database = setup.configure()
    from states.models import Position, Statement

    print("Load average at start:", _uptime())
    treaty, generated = setup.ensure_data()
    demo = setup.ensure_demo()
    report = Report()
    report.section("the data and the rebuild")
    if generated is not None:
        report.add(
            "generate_synthetic --scale un (incl. first build)",
            sec(generated),
            "< 60 s",
            generated < 60,
        )
    statements = Statement.objects.filter(session__treaty=treaty).count()
    positions = Position.objects.filter(statement__session__treaty=treaty).count()
    print(
        f"Database {database}: {setup.database_facts()}; {os.cpu_count()} CPUs. "
        f"Treaty {treaty.slug}: {statements:,} statements, {positions:,} positions; "
        f"the demo treaty {demo.slug} beside it."
    )
    if "rebuild" in PARTS:
        rebuild.bench_rebuilds(report, treaty)
    # SIGTERM (e.g. a timeout) ends the run through its `finally`s and `with`s.
    signal.signal(signal.SIGTERM, _exit)
    if PARTS & {"reads", "load", "storm"}:
        guarded(report, "reads through gunicorn", lambda: bench_served(report, treaty))
    print()
    report.print()


def bench_served(report, treaty):
    from django.conf import settings

    broker = settings.REDIS_URL
    chosen = reads.choose_reads(treaty)
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        # The first gunicorn learns the sizes (and builds what a first read builds);
        # the second, started once the floor files exist, measures both.
        with Gunicorn(static_root) as server:
            reads.learn_sizes(server.port, chosen, static_root)
        with CeleryWorker(broker), Gunicorn(static_root, broker) as server:
            if "reads" in PARTS:
                reads.measure(server.port, chosen)
                reads.report_single(report, chosen)
                reads.report_compression(report, server.port, chosen, static_root)
            if load.enabled() and "load" in PARTS:
                reads.report_load(report, server.port, chosen)
            if storm.STATEMENTS and "storm" in PARTS:
                paths = [chosen[-1].path, chosen[3].path, "/api/v1/positions/"]
                guarded(
                    report,
                    "writes under load",
                    lambda: storm.run_storm(report, server.port, treaty, paths),
                )
    # After the worker stopped: the in-process rebuild then has the treaty to itself.
    storm.remove_storm_statements(treaty)


def _exit(signum, frame):
    raise SystemExit(f"signal {signum}")


def _uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
    sys.exit(0)
