"""A worker killed mid-build (SIGKILL of the whole worker, not just its pool child):
the message it held is redelivered by the broker to the next worker, without beat
(issue 10, item 8). Readers keep the old matrix meanwhile.

The workers run with a short CELERY_VISIBILITY_TIMEOUT_SECONDS so the test need not
wait the production value (360 s, which the last test bounds).
"""

import os
import signal
import time

import pytest
import redis

from states import services
from states.tasks import rebuild_matrix
from tests.states.test_rebuild_task import (
    advisory_lock_holder,
    celery_worker,
    hold_builds_at_finish,
    is_fresh,
    published_position,
    stance_of,
    state,
    wait_for,
)
from tests.states.test_rebuild_task import broker as broker  # noqa: F401 (fixture)
from tracker.celery import app

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TEST_VISIBILITY_SECONDS = 5


def test_a_worker_killed_mid_build_has_its_message_redelivered_without_beat(
    broker, tmp_path, monkeypatch
):
    monkeypatch.setenv(
        "CELERY_VISIBILITY_TIMEOUT_SECONDS", str(TEST_VISIBILITY_SECONDS)
    )
    treaty_id, actor, provision, position = published_position("support")
    services.matrix_rebuild(treaty_id=treaty_id)
    redis.Redis.from_url(broker).flushdb()
    built_before = state(treaty_id)
    services.position_update(position=position, user=None, stance="oppose")
    blocker = hold_builds_at_finish(treaty_id)
    with blocker:
        with celery_worker(broker, tmp_path) as (process, log):
            wait_for(lambda: advisory_lock_holder(treaty_id), 20, "a build", log)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
            killed_at = time.monotonic()
        # The message is neither in the queue nor acknowledged: unacked.
        client = redis.Redis.from_url(broker)
        assert client.llen("celery") == 0
        assert client.hlen("unacked") == 1
        assert stance_of(treaty_id, actor, provision) == "support"
        blocker.rollback()  # the dead build's transaction goes away
    with celery_worker(broker, tmp_path) as (_, log):
        wait_for(lambda: is_fresh(treaty_id), 60, "a fresh matrix", log)
        seconds = time.monotonic() - killed_at
    # No beat: the sweep never ran.
    assert b"Task states.rebuild_stale_matrices[" not in log.read_bytes()
    assert b"Task states.rebuild_matrix[" in log.read_bytes()
    print(
        f"\nworker killed mid-build: fresh {seconds:.1f} s after the kill "
        f"(visibility timeout {TEST_VISIBILITY_SECONDS} s, a new worker started)"
    )
    assert stance_of(treaty_id, actor, provision) == "oppose"
    assert state(treaty_id).build_count == built_before.build_count + 1


def test_the_visibility_timeout_outlasts_the_longest_build():
    options = app.conf.broker_transport_options
    assert options["visibility_timeout"] > rebuild_matrix.time_limit
    # ...and a killed worker's message comes back within minutes, not kombu's hour.
    assert options["visibility_timeout"] <= 600
    assert (
        options["unacked_restore_interval"] * options["unacked_restore_throttle"] <= 30
    )
