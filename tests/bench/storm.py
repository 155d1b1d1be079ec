"""Writes under load: statements published through the API while readers read.

A real Celery worker builds; gunicorn enqueues a rebuild on each commit, and the
builds must coalesce (a build takes everything owed when it starts). Reported: how
many builds ran, the time from the last publish until the matrix is fresh, and the
readers' latency meanwhile.
"""

import json
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.bench import load
from tests.bench.report import sec
from tests.bench.server import http_client
from tests.bench.setup import SEED, TITLE

STATEMENTS = int(os.environ.get("BENCH_STORM_STATEMENTS", "100"))
WINDOW = float(os.environ.get("BENCH_STORM_SECONDS", "10"))
WRITERS = 4
FRESH_TIMEOUT = 300


def _token():
    from django.contrib.auth import get_user_model

    from states.services import api_token_issue

    user, _ = get_user_model().objects.get_or_create(
        username="benchmark-storm", defaults={"is_superuser": True, "is_staff": True}
    )
    if not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    # The project's own API keys (states.ApiToken): a new one for each run.
    return api_token_issue(user=user, rotate=True)


def _plan(treaty):
    """(session id, date, [(actor code, provision id, stance)]) of the writes."""
    from states.models import Actor, Position

    rng = random.Random(SEED + 15)
    session = treaty.sessions.exclude(status="scheduled").order_by("-number")[0]
    actors = list(
        Actor.objects.filter(kind="member_state").values_list("code", flat=True)
    )
    provisions = list(treaty.provisions.values_list("id", flat=True))
    writes = [
        (rng.choice(actors), rng.choice(provisions), rng.choice(Position.Stance.values))
        for _ in range(STATEMENTS)
    ]
    return session.id, session.start_date.isoformat(), writes


def _post(port, token, path, payload):
    status, body = http_client(
        port,
        "POST",
        path,
        json.dumps(payload).encode(),
        {"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    if status != 201:
        raise WriteFailed(f"POST {path}: HTTP {status}")
    return json.loads(body)


class WriteFailed(Exception):
    pass


def statement_body(session_id, actor, day, number):
    """The storm's statement `number` (published, one source)."""
    return {
        "session": session_id,
        "actor": actor,
        "date": day,
        "kind": "oral",
        "title": f"{TITLE} storm {number}",
        "text": "Published by the storm.",
        "source_url": "https://example.org/benchmark",
        "status": "published",
    }


def position_body(statement_id, provision, stance):
    return {
        "statement": statement_id,
        "provision": provision,
        "stance": stance,
        "status": "published",
    }


def _publish_one(port, token, session_id, day, number, write):
    actor, provision, stance = write
    statement = _post(
        port,
        token,
        "/api/v1/statements/",
        statement_body(session_id, actor, day, number),
    )
    _post(
        port,
        token,
        "/api/v1/positions/",
        position_body(statement["id"], provision, stance),
    )
    return time.perf_counter()


def run_storm(report, port, treaty, reader_paths):
    from states.models import MatrixState

    token = _token()
    session_id, day, writes = _plan(treaty)
    before = MatrixState.objects.get(treaty=treaty)
    readers = {}
    reader = threading.Thread(
        target=lambda: readers.update(
            load=load.run_load(port, reader_paths, seconds=WINDOW + 10)
        )
    )
    reader.start()
    time.sleep(2)  # the readers at full speed first
    started = time.perf_counter()

    def write(number):
        # Paced: statement `number` is due at number/STATEMENTS of the window.
        delay = started + WINDOW * number / STATEMENTS - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            return _publish_one(port, token, session_id, day, number, writes[number])
        except WriteFailed as error:
            return error

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = list(pool.map(write, range(STATEMENTS)))
    failed = [o for o in outcomes if isinstance(o, WriteFailed)]
    last_publish = max((o for o in outcomes if isinstance(o, float)), default=started)
    owed = MatrixState.objects.get(treaty=treaty).dirty_version
    fresh_after = _wait_fresh(treaty, owed, last_publish)
    reader.join()
    after = MatrixState.objects.get(treaty=treaty)
    builds = after.build_count - before.build_count
    report.section(
        f"writes under load: {STATEMENTS} statements (+1 position each) "
        f"published through the API, {WRITERS} writers, readers reading"
    )
    report.add(
        "publishing took (target: within 10 s)",
        sec(last_publish - started),
        f"≤ {WINDOW:g} s",
        last_publish - started <= WINDOW + 0.5,
    )
    reasons = "; ".join(sorted({str(f) for f in failed}))
    report.add(
        "writes that failed", f"{len(failed)} {reasons}".strip(), "0", not failed
    )
    report.add(
        "matrix builds that ran (they must coalesce)",
        builds,
        f"< {STATEMENTS}",
        0 < builds < STATEMENTS,
    )
    report.add(
        "last publish → matrix fresh",
        sec(fresh_after) if fresh_after else "not fresh in time",
        met=fresh_after is not None,
    )
    under = readers["load"]
    report.add(
        f"readers meanwhile ({load.USERS} clients, {under.requests:,} requests, "
        f"errors {under.failures})",
        under.text(),
        "no error",
        under.failures == 0,
    )
    return builds


def _wait_fresh(treaty, owed, last_publish):
    from states.models import MatrixState

    deadline = time.monotonic() + FRESH_TIMEOUT
    while time.monotonic() < deadline:
        state = MatrixState.objects.get(treaty=treaty)
        if state.stale_from is None and state.built_version >= owed:
            return time.perf_counter() - last_publish
        time.sleep(0.05)
    return None


def remove_storm_statements(treaty):
    """The storm's statements, in one transaction (one rebuild, in-process)."""
    from django.db import transaction

    from states.models import Statement
    from states.services import statement_delete

    with transaction.atomic():
        for statement in Statement.objects.filter(
            session__treaty=treaty, title__startswith=TITLE
        ):
            statement_delete(statement=statement, user=None)
