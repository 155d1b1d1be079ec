"""Redis stopped while the API is read and written (issue 10, item 2).

The cache (throttle counters) and the broker live in Redis. Stopping it must cost
no request: reads and writes are served with throttling off (logged once), a save
still succeeds with the broker down (the sweep rebuilds the matrix later), and once
Redis is back the throttle counts again.
"""

import logging
import time

import pytest
from django.conf import settings as project_settings
from django.contrib.auth.models import Permission, User

from states.models import Actor, MatrixState
from tests.api_helpers import api, token_client
from tests.states.test_rebuild_task import (
    _use_broker,
    celery_worker,
    is_fresh,
    published_position,
    stance_of,
)
from tests.states.test_rebuild_task import broker as broker  # noqa: F401 (fixture)

pytestmark = pytest.mark.services

ANON_LIMIT = 5


@pytest.fixture
def cache_on(redis_server, settings):
    """The project's cache configuration, pointed at the test's own redis-server,
    with a short back-off so the test sees Redis come back quickly."""
    default = project_settings.CACHES["default"]
    assert default["BACKEND"] == "common.cache.DegradingRedisCache"
    settings.CACHES = {
        "default": {
            **default,
            "LOCATION": redis_server.url,
            "OPTIONS": {**default["OPTIONS"], "outage_backoff": 0.2},
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": f"{ANON_LIMIT}/minute",
            "user": "1000/minute",
            "writes": "1000/minute",
        },
    }
    return redis_server


def _anonymous_reads_until_throttled(anon, most):
    statuses = [anon.get(api("actor-list")).status_code for _ in range(most)]
    return statuses


@pytest.mark.django_db
def test_a_redis_outage_costs_no_read_or_write_and_throttling_comes_back(
    cache_on, anon, editor_client, caplog
):
    caplog.set_level(logging.WARNING, logger="common.cache")
    # Redis up: the anonymous budget holds.
    before = _anonymous_reads_until_throttled(anon, ANON_LIMIT + 1)
    assert before == [200] * ANON_LIMIT + [429]

    # Redis stopped while reading and writing: a mixed stream of requests.
    statuses = []
    started = time.monotonic()
    for n in range(40):
        if n == 5:
            cache_on.stop()
        if n % 4 == 3:
            response = editor_client.post(
                api("actor-list"),
                {"code": f"OUT{n}", "name": f"Outage {n}", "kind": "academia"},
                format="json",
            )
        elif n % 2:
            response = editor_client.get(api("actor-list"))
        else:
            response = anon.get(api("actor-list"))
        statuses.append(response.status_code)
    seconds = time.monotonic() - started
    during = statuses[5:]
    print(
        f"\nRedis outage: {sum(s < 400 for s in during)} of {len(during)} requests "
        f"served ({during.count(201)} writes, {len(during) - during.count(201)} reads; "
        f"{seconds:.1f} s for all {len(statuses)} requests)"
    )
    # Before the stop the anonymous client was still over its budget; during the
    # outage every request is served.
    assert statuses[0] == 429
    assert all(status in (200, 201) for status in during), during
    assert Actor.objects.filter(code__startswith="OUT").count() == 10
    outage_logs = [r for r in caplog.records if "cache unreachable" in r.message]
    assert len(outage_logs) == 1

    # Redis back (empty): the throttle counts again.
    cache_on.start()
    time.sleep(0.3)  # past the back-off
    after = _anonymous_reads_until_throttled(anon, ANON_LIMIT + 1)
    assert after == [200] * ANON_LIMIT + [429]
    assert any("answers again" in r.message for r in caplog.records)


@pytest.fixture
def publisher_client(db):
    """A token client allowed to edit published positions. (Granted directly: a
    transactional test's flush drops the editorial groups of the data migration.)"""
    user = User.objects.create_user("pia", password="pw-for-tests-only")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="states",
            codename__in=["view_position", "change_position", "publish_position"],
        )
    )
    return token_client(user)


@pytest.mark.django_db(transaction=True)
def test_a_save_with_redis_down_succeeds_and_the_sweep_makes_it_fresh(
    cache_on, publisher_client, tmp_path
):
    """Cache and broker both on the stopped Redis: the API write is still a 200."""
    treaty_id, actor, provision, position = published_position("support")
    _use_broker(cache_on.url)
    assert (
        publisher_client.get(api("position-detail", pk=position.pk)).status_code == 200
    )
    cache_on.stop()
    started = time.monotonic()
    response = publisher_client.patch(
        api("position-detail", pk=position.pk), {"stance": "oppose"}, format="json"
    )
    save_seconds = time.monotonic() - started
    assert response.status_code == 200, response.content
    assert save_seconds < 3
    assert MatrixState.objects.get(treaty_id=treaty_id).stale
    cache_on.start()
    _use_broker(cache_on.url)
    restarted = time.monotonic()
    with celery_worker(
        cache_on.url, tmp_path, "-B", "-s", str(tmp_path / "beat"), sweep_seconds=1
    ) as (_, log):
        deadline = time.monotonic() + 60
        while not is_fresh(treaty_id):
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
    print(
        f"\nsave with Redis down: {response.status_code} in {save_seconds:.2f} s; "
        f"fresh {time.monotonic() - restarted:.1f} s after Redis was back "
        "(worker start and the sweep)"
    )
    assert stance_of(treaty_id, actor, provision) == "oppose"
