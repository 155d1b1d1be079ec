"""The session page: its statements, a page at a time, and who moved since the
previous session."""

from collections import defaultdict

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from pages.selectors.shared import (
    matrix_query,
    one_page,
)
from provisions.models import Provision, Session
from states import stances
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read
from states.models import (
    Actor,
    Position,
    Status,
)

STATEMENTS_PER_PAGE = 50
MOVED_PROVISIONS = 60
MOVES_PER_PROVISION = 24


def session_with_statements(treaty_slug, number, page_number=None):
    """The session and one page of its published statements (with positions)."""
    session = get_object_or_404(
        Session.objects.select_related("treaty"),
        treaty__slug=treaty_slug,
        number=number,
    )
    statements = (
        session.statements.published()
        .select_related("actor", "on_behalf_of")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(status=Status.PUBLISHED)
                .select_related("provision")
                .order_by("provision__order", "id"),
            ),
            Prefetch("co_signers", queryset=Actor.objects.only("code", "name")),
        )
        .order_by("date", "actor__name", "id")
    )
    return session, one_page(statements, page_number, STATEMENTS_PER_PAGE)


def neighbour_sessions(session):
    """(previous with a snapshot, previous, next) sessions of the treaty, one query."""
    sessions = list(
        Session.objects.filter(treaty_id=session.treaty_id)
        .order_by("number")
        .only("number", "title", "status")
    )
    before = [s for s in sessions if s.number < session.number]
    after = [s for s in sessions if s.number > session.number]
    with_snapshot = [s for s in before if s.status != Session.Status.SCHEDULED]
    return (
        with_snapshot[-1] if with_snapshot else None,
        before[-1] if before else None,
        after[0] if after else None,
    )


def who_moved(session, previous, *, all_provisions=False):
    """Changes from the previous session to this one, grouped by provision.

    Returns (groups, number of changes, number of provisions with changes); each
    group is (provision, transitions, how many more changes are not shown), where
    transitions are (before, after, changes by actor name) for the first
    MOVES_PER_PROVISION changes. Only the first MOVED_PROVISIONS provisions unless
    `all_provisions`.
    """
    params = matrix_params.matrix_params_from_query(
        session.treaty.slug, matrix_query(session=session.number)
    )
    changes = matrix_read.matrix_changes(params, previous.number, session.number)
    grouped = defaultdict(list)
    for change in changes:
        grouped[change["provision"]].append(change)
    provisions = Provision.objects.in_bulk(grouped)
    ordered = sorted(grouped, key=lambda pid: (provisions[pid].order, pid))
    if not all_provisions:
        ordered = ordered[:MOVED_PROVISIONS]
    shown = {pid: grouped[pid] for pid in ordered}
    names = dict(
        Actor.objects.filter(
            code__in={c["actor"] for cs in shown.values() for c in cs}
        ).values_list("code", "name")
    )
    groups = []
    for pid in ordered:
        moved = sorted(
            ({**c, "name": names[c["actor"]]} for c in shown[pid]),
            key=lambda c: c["name"],
        )
        groups.append(
            (
                provisions[pid],
                _transitions(moved[:MOVES_PER_PROVISION]),
                len(moved) - MOVES_PER_PROVISION,
            )
        )
    return groups, len(changes), len(grouped)


# Where a stance went matters more than where it came from: transitions are listed
# by the stance arrived at, in the order of the legend, "no information" last.
_STANCE_ORDER = {stance: i for i, stance in enumerate([*stances.ORDER, None])}


def _transitions(changes):
    """[(before, after, changes)] — who went from one stance to another, together."""
    by_transition = defaultdict(list)
    for change in changes:
        by_transition[(change["before"], change["after"])].append(change)
    return [
        (before, after, moved)
        for (before, after), moved in sorted(
            by_transition.items(),
            key=lambda item: (
                _STANCE_ORDER[item[0][1]],
                _STANCE_ORDER[item[0][0]],
            ),
        )
    ]
