"""Who moved between any two sessions of a treaty."""

import csv
import io

from django.http import HttpResponse
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
            wants=True,
        )
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    if request.GET.get("format") == "csv":
        return moves_csv(treaty, choice, changes)
    query = {
        "from": choice["from_number"],
        "to": choice["to_number"],
        **({"kind": "all"} if choice["kind"] else {}),
    }
    page_query = {
        **query,
        **({"by": choice["by"]} if choice["by"] != "provision" else {}),
    }
    wants_changes = sum(1 for c in changes if c["wants_only"])
    # A first recorded stance ("no information" before) is not a change of mind:
    # counted apart, so that 108 first stances do not read as 108 reversals.
    first_stances = sum(1 for c in changes if not c["before"] and not c["wants_only"])
    context.update(
        changes=changes,
        stance_changes=len(changes) - wants_changes - first_stances,
        first_stances=first_stances,
        wants_changes=wants_changes,
        moved_actors=len({c["actor"] for c in changes}),
        groups=session_page.moves_by_provision(changes)
        if choice["by"] == "provision"
        else session_page.by_change(changes),
        export={
            "json": f"?{urlencode({**page_query, 'format': 'json'})}",
            "csv": f"?{urlencode({**page_query, 'format': 'csv'})}",
            "api": f"{API_CHANGES}?{urlencode({'treaty': treaty, **query})}",
        },
    )
    return render(request, "pages/moves.html", context)


MOVES_CSV_COLUMNS = [
    "actor",
    "name",
    "provision",
    "provision_title",
    "before",
    "after",
    "before_wants",
    "after_wants",
    "wants_only",
]


def change_json(change):
    """A change as the page's CSV and JSON give it: the API's fields and `wants`."""
    return {
        "actor": change["actor"],
        "name": change["name"],
        "provision": change["provision"],
        "provision_title": change["provision_obj"].title,
        "before": change["before"],
        "after": change["after"],
        "before_wants": change["before_wants"],
        "after_wants": change["after_wants"],
        "wants_only": change["wants_only"],
    }


def moves_csv(treaty, choice, changes):
    out = io.StringIO()
    writer = csv.DictWriter(out, MOVES_CSV_COLUMNS)
    writer.writeheader()
    for change in changes:
        writer.writerow(
            {k: "" if v is None else v for k, v in change_json(change).items()}
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{treaty}-moves-{choice['from_number']}-{choice['to_number']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def moves_data(request, treaty):
    """(treaty, choice, changes) for the page's twin: the same parameters and rows;
    a ParameterError when they are bad."""
    treaty_obj = get_object_or_404(Treaty, slug=treaty)
    sessions = list(
        Session.objects.with_snapshot().filter(treaty=treaty_obj).order_by("number")
    )
    choice = _choice(request.GET, sessions)
    if choice["from_number"] is None:
        return treaty_obj, choice, []
    changes = session_page.changes_between(
        treaty_obj,
        choice["from_number"],
        choice["to_number"],
        kind=choice["kind"] or None,
        wants=True,
    )
    return treaty_obj, choice, changes


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
