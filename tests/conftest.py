import importlib
import os
import socket

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

REQUIRE_SERVICES = os.environ.get("TRACKER_REQUIRE_SERVICES") == "1"

# API fixtures: users in the editorial groups and token clients.
pytest_plugins = ["tests.api_helpers"]


def _reachable(url_host, port):
    try:
        socket.create_connection((url_host, port), 1).close()
    except OSError:
        return False
    return True


def _need(what, available):
    """Skip a test that needs a service, except in CI where that is a failure."""
    if available:
        return
    message = f"{what} is not configured or not reachable"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}; CI requires it.")
    pytest.skip(message)


@pytest.fixture
def require_postgresql():
    _need("PostgreSQL (DATABASE_URL)", settings.IS_POSTGRESQL)


@pytest.fixture
def redis_url():
    """The Redis the suite may use; fails in CI if there is none."""
    url = settings.REDIS_URL
    _need("Redis (REDIS_URL)", bool(url) and _reachable("127.0.0.1", 6379))
    return url


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "services" in item.keywords:
            item.fixturenames.append("require_postgresql")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    # Downloads built by a test (directly or after a rebuild) stay out of the tree.
    settings.DOWNLOADS_ROOT = tmp_path_factory.mktemp("downloads")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests speak plain HTTP and need no collectstatic manifest.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # API throttle counters live in the (shared, persistent) cache: off unless a test
    # of throttling sets its own rates, so repeated runs never hit a 429.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "writes": None},
    }


# The data migrations that create the editorial groups, in order.
GROUP_MIGRATIONS = (
    "states.migrations.0003_editor_and_reviewer_groups",
    "states.migrations.0006_editors_view_sessions",
    "states.migrations.0009_revisions",
    "states.migrations.0011_formal_acts",
    "states.migrations.0018_editors_add_actor_aliases",
)


def editorial_groups_restore():
    """Re-run the data migrations that create Editors and Reviewers (idempotent)."""
    apps = MigrationLoader(connection).project_state().apps
    for name in GROUP_MIGRATIONS:
        for operation in importlib.import_module(name).Migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


@pytest.fixture(autouse=True)
def _editorial_groups(request):
    """Every test that uses the database finds the Editors and Reviewers groups.

    Data migrations create them; a transactional test's flush empties them for every
    test that runs after it, in any folder. Recreated when missing (idempotent).
    """
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db")
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=["Editors", "Reviewers"]).count() < 2:
        editorial_groups_restore()


@pytest.fixture(autouse=True)
def _no_request_left_over():
    """Each test starts outside any request. A response nobody closed (schemathesis'
    WSGI transport does not) leaves its request as the current one, and the history
    would then attribute the next test's writes to a user rolled back with its test."""
    from common.logging import forget_request

    forget_request()
    yield
    forget_request()


_CELERY_AS_CONFIGURED = []


@pytest.fixture(autouse=True)
def _celery_as_configured():
    """Each test starts with Celery as the settings configure it. Tests that point
    the broker at a redis-server of their own restore it, but one left behind (a
    fault test's stopped server) made later tests' rebuilds go nowhere."""
    from states import tasks
    from tracker.celery import app

    if not _CELERY_AS_CONFIGURED:
        _CELERY_AS_CONFIGURED.append((app.conf.broker_url, app.conf.task_always_eager))
    broker_url, eager = _CELERY_AS_CONFIGURED[0]
    if (app.conf.broker_url, app.conf.task_always_eager) != (broker_url, eager):
        app.conf.broker_url, app.conf.task_always_eager = broker_url, eager
        app._pool = None
        app.amqp._producer_pool = None
        tasks.reset_broker_backoff()
    yield
