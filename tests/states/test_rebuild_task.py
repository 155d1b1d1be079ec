"""The rebuild task with a real Redis and a real worker process (`celery -A tracker`).

Each test starts `celery worker` as a subprocess pointed at the *test* database and
the suite's Redis. A build is held mid-way by a row lock the test takes on the
treaty's MatrixState (the build's last statement needs it), which lets the tests
read while a build is half done, add requests during it, kill the worker's process
or terminate its database connection at that point.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection

from provisions.models import Treaty
from states import services, tasks
from states.matrix import build as matrix_build
from states.matrix import cleanup
from states.models import MatrixStance, MatrixState
from states.tasks import rebuild_matrix, rebuild_stale_matrices
from tests.factories import ActorFactory, ProvisionFactory, SessionFactory
from tracker.celery import app

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def _database_url():
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _reset_producers():
    # kombu keeps pools per broker URL; forget ours so the new URL takes effect.
    app._pool = None
    app.amqp._producer_pool = None


def _use_broker(url):
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    _reset_producers()
    tasks.reset_broker_backoff()


@pytest.fixture
def broker(redis_url):
    """The suite's Redis as the broker of this process; emptied before and after."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    _use_broker(redis_url)
    yield redis_url
    app.conf.broker_url, app.conf.task_always_eager = saved
    _reset_producers()
    tasks.reset_broker_backoff()
    client.flushdb()


@contextlib.contextmanager
def celery_worker(broker_url, tmp_path, *extra, sweep_seconds=3600):
    """A real worker (prefork, one child) in its own process group."""
    log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": broker_url,
        "DJANGO_SECRET_KEY": "test-worker",
        "MATRIX_SWEEP_SECONDS": str(sweep_seconds),
        "DOWNLOADS_ROOT": str(tmp_path / "downloads"),
    }
    command = [
        str(CELERY),
        "-A",
        "tracker",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "-n",
        f"test-{uuid.uuid4().hex[:8]}@%h",
        *extra,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: b"ready." in log.read_bytes(), 40, "worker ready", log)
        yield process, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def wait_for(condition, seconds, what, log=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = log.read_text()[-3000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


def state(treaty_id):
    return MatrixState.objects.get(treaty_id=treaty_id)


def is_fresh(treaty_id):
    current = MatrixState.objects.filter(treaty_id=treaty_id).first()
    return current is not None and current.stale_from is None


def stance_of(treaty_id, actor, provision):
    return (
        MatrixStance.objects.filter(
            treaty_id=treaty_id, actor=actor, provision=provision, to_number=None
        )
        .values_list("stance", flat=True)
        .first()
    )


def published_position(stance="support"):
    session = SessionFactory()
    actor = ActorFactory()
    provision = ProvisionFactory(treaty=session.treaty)
    statement = services.statement_create(
        user=None,
        session=session,
        actor=actor,
        title="Opening statement",
        text="We support it.",
        source_url="https://example.org/s",
    )
    services.statement_publish(statement=statement, user=None)
    position = services.position_create(
        user=None, statement=statement, provision=provision, stance=stance
    )
    services.position_publish(position=position, user=None)
    return session.treaty_id, actor, provision, position


def advisory_lock_holder(treaty_id):
    """The backend pid holding the treaty's build lock, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objid = %s",
            [matrix_build.LOCK_NAMESPACE, treaty_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def hold_builds_at_finish(treaty_id):
    """An open transaction locking the treaty's MatrixState row: builds wait there.

    Commit or roll it back to let them go; close it in the end.
    """
    blocker = psycopg.connect(_database_url())
    blocker.execute(
        "SELECT 1 FROM states_matrixstate WHERE treaty_id = %s FOR UPDATE",
        [treaty_id],
    )
    return blocker


def pool_children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def test_a_published_change_is_rebuilt_by_a_real_worker(broker, tmp_path):
    treaty_id, actor, provision, _ = published_position("oppose")
    assert not is_fresh(treaty_id)
    slug = Treaty.objects.get(pk=treaty_id).slug
    manifest = tmp_path / "downloads" / f"{slug}.json"
    with celery_worker(broker, tmp_path) as (_, log):
        wait_for(lambda: is_fresh(treaty_id), 30, "a fresh matrix", log)
        # The worker then builds the treaty's downloads (states.build_downloads).
        wait_for(manifest.exists, 30, "the downloads after the rebuild", log)
    assert stance_of(treaty_id, actor, provision) == "oppose"


def test_requests_during_a_build_coalesce_into_one_more_and_readers_see_the_old(
    broker, tmp_path
):
    treaty_id, actor, provision, position = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    redis.Redis.from_url(broker).flushdb()
    built_before = state(treaty_id)
    services.position_update(position=position, user=None, stance="oppose")
    blocker = hold_builds_at_finish(treaty_id)
    with celery_worker(broker, tmp_path) as (_, log), blocker:
        wait_for(lambda: advisory_lock_holder(treaty_id), 20, "a build", log)
        # Mid-build: readers are not blocked and see the last complete snapshot.
        started = time.monotonic()
        assert stance_of(treaty_id, actor, provision) == "support"
        assert state(treaty_id).built_at == built_before.built_at
        assert time.monotonic() - started < 1
        # More changes and requests arrive while it runs.
        blocker.execute(
            "UPDATE states_position SET stance = 'undecided' WHERE id = %s",
            [position.pk],
        )
        blocker.execute(
            "UPDATE states_matrixstate SET dirty_version = dirty_version + 1"
            " WHERE treaty_id = %s",
            [treaty_id],
        )
        for _ in range(4):
            rebuild_matrix.delay(treaty_id=treaty_id)
        blocker.commit()
        wait_for(lambda: is_fresh(treaty_id), 30, "a fresh matrix", log)
        # Let the remaining retried requests run: they find it fresh.
        time.sleep(2 * 2 + 1)
        wait_for(lambda: is_fresh(treaty_id), 10, "still fresh", log)
    assert stance_of(treaty_id, actor, provision) == "undecided"
    assert state(treaty_id).build_count == built_before.build_count + 2


def test_worker_killed_mid_build_keeps_old_snapshot_then_build_completes(
    broker, tmp_path
):
    treaty_id, actor, provision, position = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    redis.Redis.from_url(broker).flushdb()
    built_before = state(treaty_id)
    services.position_update(position=position, user=None, stance="oppose")
    blocker = hold_builds_at_finish(treaty_id)
    with celery_worker(broker, tmp_path) as (process, log), blocker:
        wait_for(lambda: advisory_lock_holder(treaty_id), 20, "a build", log)
        (child,) = pool_children(process.pid)
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: child not in pool_children(process.pid), 10, "the kill")
        assert stance_of(treaty_id, actor, provision) == "support"
        assert state(treaty_id).stale
        blocker.rollback()
        # Late acknowledgement: the message goes back to the queue and the new
        # pool process builds once the dead build's transaction is gone.
        wait_for(lambda: is_fresh(treaty_id), 40, "a fresh matrix", log)
        assert b"WorkerLostError" in log.read_bytes()
    assert stance_of(treaty_id, actor, provision) == "oppose"
    assert state(treaty_id).build_count == built_before.build_count + 1


def test_a_transient_database_error_is_retried(broker, tmp_path):
    treaty_id, actor, provision, position = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    redis.Redis.from_url(broker).flushdb()
    services.position_update(position=position, user=None, stance="oppose")
    blocker = hold_builds_at_finish(treaty_id)
    with celery_worker(broker, tmp_path) as (_, log), blocker:
        wait_for(lambda: advisory_lock_holder(treaty_id), 20, "a build", log)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(%s)", [advisory_lock_holder(treaty_id)]
            )
        blocker.rollback()
        wait_for(lambda: is_fresh(treaty_id), 40, "a fresh matrix", log)
        assert b"Retry in" in log.read_bytes()
    assert stance_of(treaty_id, actor, provision) == "oppose"


@pytest.fixture
def silent_broker():
    """A TCP port that accepts connections and never answers (a hung broker)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


@pytest.mark.parametrize("outage", ["refused", "silent"])
def test_save_with_broker_unreachable_succeeds_fast_and_the_sweep_heals_it(
    broker, silent_broker, tmp_path, outage
):
    treaty_id, actor, provision, position = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    redis.Redis.from_url(broker).flushdb()
    _use_broker(silent_broker if outage == "silent" else "redis://127.0.0.1:1/0")
    started = time.monotonic()
    services.position_update(position=position, user=None, stance="oppose")
    assert time.monotonic() - started < 2
    position.refresh_from_db()
    assert position.stance == "oppose"
    assert state(treaty_id).stale
    _use_broker(broker)
    # Nothing was enqueued; beat's periodic sweep finds the stale matrix.
    schedule = tmp_path / "beat-schedule"
    with celery_worker(
        broker, tmp_path, "-B", "-s", str(schedule), sweep_seconds=1
    ) as (
        _,
        log,
    ):
        wait_for(lambda: is_fresh(treaty_id), 40, "a fresh matrix", log)
    assert stance_of(treaty_id, actor, provision) == "oppose"


def test_beat_schedules_the_sweep_by_task_name():
    entry = settings.CELERY_BEAT_SCHEDULE["rebuild-stale-matrices"]
    assert entry["task"] == "states.rebuild_stale_matrices"
    assert "states.rebuild_stale_matrices" in app.tasks


def matrix_partitions():
    """{partition name: detach pending} of the snapshot table (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.inhdetachpending FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent"
            " WHERE p.relname = 'states_matrixstance'"
        )
        return dict(cursor.fetchall())


def treaty_partitions(treaty_id):
    return sorted(
        name
        for name in matrix_partitions()
        if name.startswith(f"states_matrixstance_t{treaty_id}_g")
    )


def test_a_full_build_attaches_a_new_partition_unseen_until_commit_then_drops_the_old(
    broker, tmp_path
):
    treaty_id, actor, provision, position = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    (old,) = treaty_partitions(treaty_id)
    redis.Redis.from_url(broker).flushdb()
    services.position_update(position=position, user=None, stance="oppose")
    # Owed from session 0: a full build, into a new generation.
    services.matrix_mark_stale(treaty_id=treaty_id, from_session_number=None)
    blocker = hold_builds_at_finish(treaty_id)
    with celery_worker(broker, tmp_path) as (_, log), blocker:
        wait_for(lambda: advisory_lock_holder(treaty_id), 20, "a build", log)
        wait_for(
            lambda: _waits_on_matrix_state(treaty_id), 20, "the build's finish", log
        )
        # The new partition is attached in the build's open transaction: readers
        # are not blocked by the attach and still read the old generation only.
        started = time.monotonic()
        assert stance_of(treaty_id, actor, provision) == "support"
        assert treaty_partitions(treaty_id) == [old]
        assert time.monotonic() - started < 1
        blocker.rollback()
        wait_for(lambda: is_fresh(treaty_id), 30, "a fresh matrix", log)
        wait_for(
            lambda: old not in matrix_partitions(), 20, "the old partition dropped"
        )
    (new,) = treaty_partitions(treaty_id)
    assert new != old
    assert state(treaty_id).generation == int(new.rsplit("_g", 1)[1])
    assert stance_of(treaty_id, actor, provision) == "oppose"
    assert not any(matrix_partitions().values())


def _waits_on_matrix_state(treaty_id):
    """Whether the treaty's build is blocked on the state row (past its writes)."""
    holder = advisory_lock_holder(treaty_id)
    if holder is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [holder]
        )
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_cleanup_finishes_an_interrupted_detach_and_drops_a_detached_leftover():
    treaty_id, actor, provision, _ = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval('states_matrixstance_generation_seq')"
            " FROM generate_series(1, 2)"
        )
        numbers = [row[0] for row in cursor.fetchall()]
        pending, leftover = (f"states_matrixstance_t{treaty_id}_g{n}" for n in numbers)
        for name, number in zip((pending, leftover), numbers, strict=True):
            cursor.execute(
                f"CREATE TABLE {name} (LIKE states_matrixstance INCLUDING CONSTRAINTS)"
            )
            cursor.execute(
                f"ALTER TABLE states_matrixstance ATTACH PARTITION {name}"
                f" FOR VALUES IN ({number})"
            )
        cursor.execute(f"ALTER TABLE states_matrixstance DETACH PARTITION {leftover}")
    # A reader's open snapshot makes DETACH … CONCURRENTLY wait in its second
    # transaction; cancelled there (timeout), it leaves the partition pending.
    reader = psycopg.connect(_database_url())
    reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    reader.execute("SELECT count(*) FROM states_matrixstance").fetchone()
    detacher = psycopg.connect(_database_url(), autocommit=True)
    detacher.execute("SET statement_timeout = '500ms'")
    with pytest.raises(psycopg.errors.QueryCanceled):
        detacher.execute(
            f"ALTER TABLE states_matrixstance DETACH PARTITION {pending} CONCURRENTLY"
        )
    detacher.close()
    reader.close()
    assert matrix_partitions()[pending] is True

    services.matrix_rebuild(treaty_id=treaty_id, full=True)

    (current,) = treaty_partitions(treaty_id)
    assert current == f"states_matrixstance_t{treaty_id}_g{state(treaty_id).generation}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s), to_regclass(%s)", [pending, leftover])
        assert cursor.fetchone() == (None, None)
    assert stance_of(treaty_id, actor, provision) == "support"


def test_one_cleanup_at_a_time_and_the_sweep_drops_what_was_left():
    treaty_id, actor, provision, _ = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    (first,) = treaty_partitions(treaty_id)
    # Another worker's cleanup holds the lock: this build's cleanup leaves its old
    # generation rather than detach partitions under the other one.
    other = psycopg.connect(_database_url(), autocommit=True)
    other.execute("SELECT pg_advisory_lock(%s, %s)", list(cleanup.CLEANUP_LOCK))
    try:
        summary = services.matrix_rebuild(treaty_id=treaty_id, full=True)
        assert summary["rows_deleted"] == 0
        assert first in treaty_partitions(treaty_id)
    finally:
        other.close()
    # A deleted treaty's tables are left too (nothing drops them on delete).
    orphan = f"states_matrixstance_t{treaty_id + 1000}_g1"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {orphan} (LIKE states_matrixstance)")

    rebuild_stale_matrices.apply()

    (current,) = treaty_partitions(treaty_id)
    assert current == f"states_matrixstance_t{treaty_id}_g{state(treaty_id).generation}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [orphan])
        assert cursor.fetchone() == (None,)
    assert stance_of(treaty_id, actor, provision) == "support"
