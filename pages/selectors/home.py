"""The home page: every treaty with its counts, and the actors on record by kind."""

from collections import Counter

from django.db.models import Count

from provisions.models import Provision, Treaty
from states.models import Actor, Position, Statement


def treaty_overviews():
    """Every treaty with its sessions and counts of provisions, published statements
    and published positions (`provision_count`, `statement_count`, `position_count`).

    Each count is its own GROUP BY over one table (positions join their statement
    for its status and session): one query joining sessions × statements × positions
    × provisions with DISTINCT counts would multiply them (~180 M rows at UN scale).
    The queries are fixed in number, whatever the number of treaties.
    """
    treaties = list(Treaty.objects.prefetch_related("sessions").order_by("title"))
    provisions = dict(
        Provision.objects.values_list("treaty_id").annotate(n=Count("id")).order_by()
    )
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
    for treaty in treaties:
        treaty.provision_count = provisions.get(treaty.pk, 0)
        treaty.statement_count = statements[treaty.pk]
        treaty.position_count = positions[treaty.pk]
    return treaties


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
