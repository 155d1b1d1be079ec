"""The home page: every treaty with its counts, and the actors on record by kind."""

from django.db.models import Count, Q

from provisions.models import Treaty
from states.models import Actor, Status


def treaty_overviews():
    """Every treaty with its sessions and counts of statements and positions."""
    return (
        Treaty.objects.annotate(
            statement_count=Count(
                "sessions__statements",
                filter=Q(sessions__statements__status=Status.PUBLISHED),
                distinct=True,
            ),
            position_count=Count(
                "sessions__statements__positions",
                filter=Q(
                    sessions__statements__positions__status=Status.PUBLISHED,
                    sessions__statements__status=Status.PUBLISHED,
                ),
                distinct=True,
            ),
            provision_count=Count("provisions", distinct=True),
        )
        .prefetch_related("sessions")
        .order_by("title")
    )


def actor_counts_by_kind():
    """[(kind label, count)] for the actors on record, in the order of Actor.Kind."""
    counts = dict(Actor.objects.values_list("kind").annotate(n=Count("id")).order_by())
    return [
        (label, counts[kind]) for kind, label in Actor.Kind.choices if kind in counts
    ]
