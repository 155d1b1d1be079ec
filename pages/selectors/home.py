"""The home page: every treaty with its counts, and the actors on record by kind."""

import hashlib
from collections import Counter

from django.core.cache import cache
from django.db.models import Count

from provisions.models import Provision, Treaty
from states.models import Actor, Position, Statement

# The published counts are kept between requests (two GROUP BYs over every position,
# ~0.2 s at UN scale). Every write that can change them marks the treaty's matrix stale
# (states.services), which bumps its dirty_version: the key carries each treaty's, so a
# publish is counted on the next read. The expiry bounds what a write made around the
# services (a raw SQL fix) can leave.
COUNTS_CACHE_SECONDS = 10 * 60


def treaty_overviews():
    """Every treaty with its sessions and counts of provisions, published statements
    and published positions (`provision_count`, `statement_count`, `position_count`).

    Each count is its own GROUP BY over one table (positions join their statement
    for its status and session): one query joining sessions × statements × positions
    × provisions with DISTINCT counts would multiply them (~180 M rows at UN scale).
    The queries are fixed in number, whatever the number of treaties; the published
    counts come from the cache while no treaty changed (published_counts).
    """
    treaties = list(
        Treaty.objects.select_related("matrix_state")
        .prefetch_related("sessions")
        .order_by("title")
    )
    provisions = dict(
        Provision.objects.values_list("treaty_id").annotate(n=Count("id")).order_by()
    )
    counts = published_counts(treaties)
    for treaty in treaties:
        treaty.provision_count = provisions.get(treaty.pk, 0)
        treaty.statement_count, treaty.position_count = counts.get(treaty.pk, (0, 0))
    return treaties


def _counts_key(treaties):
    """Names every treaty as it is now: its id, when it was made (a test database
    made again reuses ids) and how many changes its matrix has been owed."""
    parts = []
    for treaty in treaties:
        try:
            version = treaty.matrix_state.dirty_version
        except Treaty.matrix_state.RelatedObjectDoesNotExist:
            version = "-"
        parts.append(f"{treaty.pk}.{treaty.created_at.timestamp()}.{version}")
    digest = hashlib.sha1(":".join(parts).encode(), usedforsecurity=False)
    return f"home-counts:{digest.hexdigest()}"


def published_counts(treaties):
    """{treaty id: (published statements, published positions)}; two queries, or none
    while the cached counts are current."""
    key = _counts_key(treaties)
    counts = cache.get(key)
    if counts is not None:
        return counts
    statements = _per_treaty(
        treaties,
        Statement.objects.published()
        .values_list("session_id")
        .annotate(n=Count("id"))
        .order_by(),
    )
    positions = _per_treaty(
        treaties,
        Position.objects.published()
        .values_list("statement__session_id")
        .annotate(n=Count("id"))
        .order_by(),
    )
    counts = {t.pk: (statements[t.pk], positions[t.pk]) for t in treaties}
    cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def _per_treaty(treaties, counts_per_session):
    """Sum (session id, count) rows into a Counter by treaty id (the sessions are
    prefetched: no join with the session table)."""
    treaty_of = {
        session.pk: treaty.pk
        for treaty in treaties
        for session in treaty.sessions.all()
    }
    totals = Counter()
    for session_id, count in counts_per_session:
        totals[treaty_of[session_id]] += count
    return totals


def actor_counts_by_kind():
    """[(kind label, count)] for the actors on record, in the order of Actor.Kind."""
    counts = dict(Actor.objects.values_list("kind").annotate(n=Count("id")).order_by())
    return [
        (label, counts[kind]) for kind, label in Actor.Kind.choices if kind in counts
    ]
