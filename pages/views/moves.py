"""Who moved between any two sessions of a treaty."""

from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from common.errors import ParameterError
from pages.selectors import session as session_page
from pages.views.common import bad_request, rejecting_nul
from provisions.models import Session, Treaty

API_CHANGES = "/api/v1/matrix/changes/"
GROUPINGS = ("provision", "change")


@rejecting_nul
def treaty_moves(request, treaty):
    """?from=&to= (session numbers; default the last two with a matrix), ?kind=all
    for every actor rather than the parties, ?by=provision|change."""
    treaty_obj = get_object_or_404(Treaty, slug=treaty)
    sessions = list(
        Session.objects.with_snapshot().filter(treaty=treaty_obj).order_by("number")
    )
    try:
        choice = _choice(request.GET, sessions)
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    context = {"treaty": treaty_obj, "sessions": sessions, **choice}
    if choice["from_number"] is None:
        return render(request, "pages/moves.html", context)
    try:
        changes = session_page.changes_between(
            treaty_obj,
            choice["from_number"],
            choice["to_number"],
            kind=choice["kind"] or None,
        )
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    query = {
        "treaty": treaty,
        "from": choice["from_number"],
        "to": choice["to_number"],
        **({"kind": "all"} if choice["kind"] else {}),
    }
    context.update(
        changes=changes,
        moved_actors=len({c["actor"] for c in changes}),
        groups=session_page.moves_by_provision(changes)
        if choice["by"] == "provision"
        else session_page.by_change(changes),
        export={
            "json": f"{API_CHANGES}?{urlencode(query)}",
            "csv": f"{API_CHANGES}?{urlencode({**query, 'format': 'csv'})}",
        },
    )
    return render(request, "pages/moves.html", context)


def _choice(data, sessions):
    """The pickers' values, validated; defaults to the last two sessions."""
    by = data.get("by") or "provision"
    if by not in GROUPINGS:
        raise ParameterError("by", f"{by!r} is not one of {', '.join(GROUPINGS)}.")
    kind = data.get("kind", "")
    if kind not in ("", "all"):
        raise ParameterError("kind", "use kind=all or leave it out (the parties).")
    numbers = [s.number for s in sessions]
    default_to = numbers[-1] if numbers else None
    default_from = numbers[-2] if len(numbers) > 1 else None
    to_number = _number(data, "to", default_to)
    from_number = _number(data, "from", default_from)
    if from_number is not None and to_number is not None and from_number >= to_number:
        raise ParameterError("from", "Choose a 'from' session before the 'to' one.")
    return {
        "by": by,
        "kind": kind,
        "from_number": from_number if to_number is not None else None,
        "to_number": to_number,
    }


def _number(data, name, default):
    raw = data.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or len(raw) > 6:
        raise ParameterError(name, f"{raw!r} is not a session number.")
    return int(raw)
