"""The database backend of a build terminated mid-build (pg_terminate_backend):
readers keep the last complete matrix, the task retries and the matrix becomes
fresh without anyone acting (issue 10, item 8)."""

import json
import time

import pytest
import redis
from django.db import connection
from rest_framework.test import APIClient

from provisions.models import Treaty
from states import services
from tests.api_helpers import api
from tests.states.test_rebuild_task import (
    advisory_lock_holder,
    celery_worker,
    hold_builds_at_finish,
    is_fresh,
    published_position,
    wait_for,
)
from tests.states.test_rebuild_task import broker as broker  # noqa: F401 (fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _matrix(slug):
    response = APIClient().get(api("matrix"), {"treaty": slug, "kind": "all"})
    assert response.status_code == 200, response.content
    body = json.loads(b"".join(response.streaming_content))
    return body["stale"], [cell["stance"] for cell in body["cells"]]


def test_a_terminated_build_connection_is_retried_and_readers_keep_the_old(
    broker, tmp_path
):
    treaty_id, actor, provision, position = published_position("support")
    slug = Treaty.objects.get(pk=treaty_id).slug
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
        terminated_at = time.monotonic()
        # Readers: the last complete build, marked stale, served at once.
        reads = 0
        for _ in range(5):
            assert _matrix(slug) == (True, ["support"])
            reads += 1
        blocker.rollback()
        wait_for(lambda: is_fresh(treaty_id), 60, "a fresh matrix", log)
        seconds = time.monotonic() - terminated_at
        assert b"Retry in" in log.read_bytes()
    assert _matrix(slug) == (False, ["oppose"])
    print(
        f"\nbuild connection terminated: {reads} reads served the old matrix; fresh "
        f"{seconds:.1f} s after the termination (task retried with back-off)"
    )
