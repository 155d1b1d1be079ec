"""/healthz: database, cache, broker and matrix freshness, as JSON; 200 when all
are healthy, 503 otherwise. docker-compose's healthchecks use it (web) and
`python -m tracker.healthcheck` (worker: the same checks without HTTP)."""

import datetime

from django.conf import settings
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common import health
from provisions.models import Provision, Treaty
from states.models import MatrixState, Position, Statement
from tracker.celery import app


def stale_since(state, treaty):
    """When the treaty's matrix became stale: its oldest change after the last build
    (the last build, or the treaty's creation, when no changed row is left, e.g.
    after a deletion)."""
    since = state.built_at if state and state.built_at else treaty.created_at
    changes = [
        Statement.objects.filter(session__treaty=treaty, updated_at__gt=since),
        Position.objects.filter(
            statement__session__treaty=treaty, updated_at__gt=since
        ),
        Provision.objects.filter(treaty=treaty, updated_at__gt=since),
    ]
    oldest = [rows.aggregate(oldest=Min("updated_at"))["oldest"] for rows in changes]
    return min([moment for moment in oldest if moment] or [since])


def check_matrix_freshness():
    """Unhealthy when a treaty's matrix has been stale longer than allowed."""
    allowed = datetime.timedelta(minutes=settings.HEALTH_MATRIX_STALE_MINUTES)
    states = {state.treaty_id: state for state in MatrixState.objects.all()}
    now = timezone.now()
    fresh, stale, overdue = 0, 0, []
    for treaty in Treaty.objects.order_by("slug"):
        state = states.get(treaty.pk)
        if state is not None and state.stale_from is None and state.built_at:
            fresh += 1
            continue
        stale += 1
        age = now - stale_since(state, treaty)
        if age > allowed:
            overdue.append(f"{treaty.slug} stale for {int(age.total_seconds())} s")
    if overdue:
        raise RuntimeError("; ".join(overdue))
    return f"{fresh} fresh, {stale} stale (for less than {allowed})"


CHECKS = {
    "database": health.check_database,
    "cache": health.check_cache,
    "broker": lambda: health.check_broker(app),
    "matrix": check_matrix_freshness,
}


@never_cache
@require_safe
def healthz(request):
    healthy, results = health.run(CHECKS)
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": results},
        status=200 if healthy else 503,
    )
