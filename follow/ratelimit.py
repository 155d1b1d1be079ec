"""A fixed-window counter per address and per IP for the public forms, in the cache
(Redis in production, so every web process shares the counts)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from common.security import client_address

WINDOW_SECONDS = 3600


def _key(scope, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    window = int(time.time() // WINDOW_SECONDS)
    return f"follow:rate:{scope}:{digest}:{window}"


def hit(scope, value, *, limit=None):
    """Count one attempt; True when it is within the limit for this hour."""
    limit = settings.FOLLOW_RATE_PER_HOUR if limit is None else limit
    if not value:
        return True
    key = _key(scope, value)
    # add() is atomic: the first attempt of the window creates the counter.
    cache.add(key, 0, WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS + 60)
        count = 1
    return count <= limit


def allowed(request, *addresses, scope):
    """Count the attempt against the client's IP and each address given."""
    within = hit(f"{scope}:ip", client_address(request))
    for address in addresses:
        within = hit(f"{scope}:addr", address) and within
    return within
