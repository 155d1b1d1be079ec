"""/healthz on the real services: 200 when database, cache, broker and matrices are
healthy; 503 naming the check when Redis (cache or broker) is down or a matrix has
been stale too long."""

import datetime
import subprocess
import sys

import pytest
from django.conf import settings as project_settings
from django.utils import timezone

from provisions.models import Provision
from states import services
from states.models import MatrixState, Position, Statement
from tests.states.test_rebuild_task import ROOT, _use_broker, published_position
from tracker.celery import app

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def on_test_redis(redis_server, settings):
    """Cache and broker on the test's own redis-server."""
    default = project_settings.CACHES["default"]
    settings.CACHES = {"default": {**default, "LOCATION": redis_server.url}}
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    _use_broker(redis_server.url)
    yield redis_server
    app.conf.broker_url, app.conf.task_always_eager = saved
    _use_broker(saved[0])
    app.conf.task_always_eager = saved[1]


def _health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_healthy_services_are_a_200_naming_every_check(client, on_test_redis):
    treaty_id, *_ = published_position()
    services.matrix_rebuild(treaty_id=treaty_id)
    status, body = _health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "matrix"}
    assert body["checks"]["broker"]["detail"] == "redis"
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_redis_down_is_a_503_naming_cache_and_broker(client, on_test_redis):
    on_test_redis.stop()
    status, body = _health(client)
    assert status == 503
    assert body["status"] == "unhealthy"
    assert not body["checks"]["cache"]["ok"]
    assert not body["checks"]["broker"]["ok"]
    assert body["checks"]["database"]["ok"]
    on_test_redis.start()
    assert _health(client)[0] == 200


def test_a_matrix_stale_too_long_is_unhealthy_a_recent_change_is_not(
    client, on_test_redis, settings
):
    settings.HEALTH_MATRIX_STALE_MINUTES = 15
    treaty_id, actor, provision, position = published_position()
    services.matrix_rebuild(treaty_id=treaty_id)
    # Everything written a day ago and built right after; then marked stale without
    # a changed row (as a deletion does): stale since the build, a day: overdue.
    a_day_ago = timezone.now() - datetime.timedelta(days=1)
    for model in (Statement, Position, Provision):
        model.objects.all().update(updated_at=a_day_ago)
    MatrixState.objects.filter(treaty_id=treaty_id).update(
        built_at=a_day_ago + datetime.timedelta(minutes=1), stale_from=0
    )
    status, body = _health(client)
    assert status == 503
    assert "stale for" in body["checks"]["matrix"]["error"]
    # A change just now: stale, not overdue.
    Position.objects.filter(pk=position.pk).update(updated_at=timezone.now())
    status, body = _health(client)
    assert status == 200, body
    assert "1 stale" in body["checks"]["matrix"]["detail"]
    # Twenty minutes later, still not rebuilt: unhealthy.
    twenty_minutes_ago = timezone.now() - datetime.timedelta(minutes=20)
    Position.objects.filter(pk=position.pk).update(updated_at=twenty_minutes_ago)
    assert _health(client)[0] == 503


def test_the_worker_healthcheck_command_runs_the_same_checks():
    result = subprocess.run(
        [sys.executable, "-m", "tracker.healthcheck"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert '"database"' in result.stdout and '"matrix"' in result.stdout
    assert result.returncode in (0, 1)
