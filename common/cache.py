"""A Redis cache whose outage costs no request.

The cache holds only what can be lost: the API's throttle counters (and anything
else that may be recomputed). When Redis does not answer, a read is a miss and a
write is skipped, so throttling and caching are off for the outage instead of every
request being a 500. The outage is logged once per LOG_INTERVAL_SECONDS, and Redis is
not asked again for OUTAGE_BACKOFF seconds after a failure, so a Redis that hangs
costs one socket timeout per back-off rather than one per request.

OPTIONS take two keys of ours beside redis-py's connection options:
`outage_backoff` (seconds, default 5) and `log_interval` (seconds, default 60).
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_OUTAGE_BACKOFF = 5.0
DEFAULT_LOG_INTERVAL = 60.0


def _degrades_to(fallback):
    """Run the Redis call; on a Redis error (or during the back-off) return
    fallback(*args) instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._in_backoff():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                self._record_failure(method.__name__, error)
                return fallback(*args, **kwargs)
            self._record_success()
            return result

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


def _false(*args, **kwargs):
    return False


def _nothing(*args, **kwargs):
    return None


def _no_values(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _counted_from_zero(key, delta=1, version=None):
    return delta


class DegradingRedisCache(RedisCache):
    """django's RedisCache, where a Redis error is a miss or a skipped write."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.outage_backoff = float(
            options.pop("outage_backoff", DEFAULT_OUTAGE_BACKOFF)
        )
        self.log_interval = float(options.pop("log_interval", DEFAULT_LOG_INTERVAL))
        super().__init__(server, {**params, "OPTIONS": options})
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._logged_at = None  # when the current outage was last logged
        self.failures = 0  # calls answered by the fallback because of an error

    # The outage's bookkeeping ------------------------------------------------------

    def _in_backoff(self):
        return time.monotonic() < self._down_until

    def _record_failure(self, operation, error):
        now = time.monotonic()
        with self._lock:
            self.failures += 1
            self._down_until = now + self.outage_backoff
            due = self._logged_at is None or now - self._logged_at >= self.log_interval
            if due:
                self._logged_at = now
        if due:
            logger.warning(
                "cache unreachable (%s on %s: %s); throttling and caching are off "
                "until it answers",
                type(error).__name__,
                operation,
                error,
            )

    def _record_success(self):
        if self._logged_at is None:
            return
        with self._lock:
            was_down, self._logged_at = self._logged_at is not None, None
        if was_down:
            logger.warning("cache answers again; throttling and caching are back")

    def ping(self):
        """Ask Redis directly (the health check): raises when it does not answer."""
        return self._cache.get_client(write=True).ping()

    # The cache API, degraded -------------------------------------------------------

    add = _degrades_to(_false)(RedisCache.add)
    get = _degrades_to(_default)(RedisCache.get)
    set = _degrades_to(_nothing)(RedisCache.set)
    touch = _degrades_to(_false)(RedisCache.touch)
    delete = _degrades_to(_false)(RedisCache.delete)
    get_many = _degrades_to(_no_values)(RedisCache.get_many)
    has_key = _degrades_to(_false)(RedisCache.has_key)
    incr = _degrades_to(_counted_from_zero)(RedisCache.incr)
    set_many = _degrades_to(_all_failed)(RedisCache.set_many)
    delete_many = _degrades_to(_nothing)(RedisCache.delete_many)
    clear = _degrades_to(_false)(RedisCache.clear)
