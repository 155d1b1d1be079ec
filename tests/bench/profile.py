"""Single requests in-process on the benchmark's data: wall time, SQL time, queries.

    . bin/services-env && export BENCH_DATABASE=tt_mine
    .venv/bin/python -m tests.bench.profile / /t/synthetic-un/sessions/12/
    .venv/bin/python -m tests.bench.profile --publish 10  # the storm's writes

Seeds the database as `make bench` does (setup.ensure_data, ensure_demo) when it is
not there yet, then times each path through the Django test client (the best of
PROFILE_RUNS, default 5) with every query logged: no gunicorn, no load, so it costs
one CPU for a few seconds, not the machine (the full bench wants an idle machine).
PROFILE_TOP=n lists the n slowest queries of the best run; PROFILE_CPROFILE=1 prints
the cProfile of the last run, by cumulative time.

`--publish N` posts N published statements with one published position each, as the
storm does (tests.bench.storm), and deletes them afterwards. A publish's rebuild runs
after its commit, in-process unless CELERY_BROKER_URL names a broker: point it at a
Redis database no worker reads to time only what the web process does (its queued
rebuilds are purged at the end, and the matrix is rebuilt once in-process).
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time

RUNS = int(os.environ.get("PROFILE_RUNS", "5"))
TOP = int(os.environ.get("PROFILE_TOP", "0"))
CPROFILE = os.environ.get("PROFILE_CPROFILE") == "1"


def _configure():
    from tests.bench import setup

    broker = os.environ.get("CELERY_BROKER_URL")
    setup.configure()  # clears CELERY_BROKER_URL (its tasks run in-process)
    if broker:
        from celery import current_app

        current_app.conf.task_always_eager = False
        current_app.conf.broker_url = broker
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    treaty, _ = setup.ensure_data()
    setup.ensure_demo()
    return treaty, bool(broker)


def timed(client, method, path, **kwargs):
    """(response, wall ms, SQL ms, queries, cProfile or None) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profile = cProfile.Profile() if CPROFILE else None
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        if profile:
            profile.enable()
        response = getattr(client, method)(path, **kwargs)
        if profile:
            profile.disable()
        wall = (time.perf_counter() - started) * 1000
    queries = captured.captured_queries
    sql = sum(float(q["time"]) for q in queries) * 1000
    return response, wall, sql, queries, profile


def report(label, wall, sql, queries, profile=None):
    print(f"{label}: {wall:.0f} ms, SQL {sql:.0f} ms, {len(queries)} queries")
    for query in sorted(queries, key=lambda q: -float(q["time"]))[:TOP]:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())


def profile_reads(paths):
    from django.test import Client

    client = Client()
    for path in paths:
        runs = [timed(client, "get", path) for _ in range(RUNS)]
        response, wall, sql, queries, profile = min(runs, key=lambda r: r[1])
        report(
            f"GET {path} (HTTP {response.status_code}, best of {RUNS})",
            wall,
            sql,
            queries,
            runs[-1][4],
        )


def profile_publishes(treaty, count, queued):
    from django.test import Client

    from tests.bench import storm

    token = storm._token()
    session_id, day, writes = storm._plan(treaty)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    figures = {"statement": [], "position": []}
    try:
        for number, (actor, provision, stance) in enumerate(writes[:count]):
            statement = _post(
                client,
                "/api/v1/statements/",
                storm.statement_body(session_id, actor, day, number),
                figures["statement"],
            )
            _post(
                client,
                "/api/v1/positions/",
                storm.position_body(statement["id"], provision, stance),
                figures["position"],
            )
    finally:
        storm.remove_storm_statements(treaty)
        if queued:
            from celery import current_app

            current_app.control.purge()
            from states.services import matrix_rebuild

            matrix_rebuild(treaty_id=treaty.pk)
    for kind, runs in figures.items():
        if not runs:
            continue
        print(
            f"POST {kind}, median of {len(runs)}: "
            f"{statistics.median(r[0] for r in runs):.0f} ms, "
            f"SQL {statistics.median(r[1] for r in runs):.0f} ms, "
            f"{runs[-1][2]} queries"
        )
        report(f"POST {kind}, the last", *runs[-1][:2], runs[-1][3], runs[-1][4])


def _post(client, path, body, figures):
    response, wall, sql, queries, profile = timed(
        client, "post", path, data=json.dumps(body), content_type="application/json"
    )
    if response.status_code != 201:
        raise SystemExit(f"POST {path}: HTTP {response.status_code} {response.content}")
    figures.append((wall, sql, len(queries), queries, profile))
    return response.json()


def main(argv):
    treaty, queued = _configure()
    if argv[:1] == ["--publish"]:
        profile_publishes(treaty, int(argv[1]) if len(argv) > 1 else 10, queued)
    else:
        profile_reads(argv or ["/"])


if __name__ == "__main__":
    main(sys.argv[1:])
