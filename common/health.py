"""Health checks of the services the site runs on: each check returns a short
detail or raises; run() times them and never raises."""

import time

from django.core.cache import caches
from django.db import connection


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def check_cache():
    cache = caches["default"]
    if hasattr(cache, "ping"):
        # The Redis cache degrades silently during an outage: ask Redis itself.
        cache.ping()
        return "redis"
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was written")
    return type(cache).__name__


def check_broker(celery_app, timeout=2.0):
    """Connect to the Celery broker (a no-op when tasks run in-process)."""
    if celery_app.conf.task_always_eager:
        return "none: tasks run in-process"
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
        conn.default_channel  # noqa: B018 - opening the channel pings Redis
    return conn.transport_cls


def run(checks):
    """{name: callable} → (healthy, {name: {"ok", "detail" or "error", "ms"}})."""
    results = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            result = {"ok": True, "detail": check()}
        except Exception as error:  # a failing check is the answer, not a 500
            result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return all(result["ok"] for result in results.values()), results
