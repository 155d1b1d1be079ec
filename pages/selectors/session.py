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
    changes = changes_between(session.treaty, previous.number, session.number)
    grouped = by_provision(changes)
    shown = grouped if all_provisions else grouped[:MOVED_PROVISIONS]
    groups = [
        (
            provision,
            _transitions(moved[:MOVES_PER_PROVISION]),
            len(moved) - MOVES_PER_PROVISION,
        )
        for provision, moved in shown
    ]
    return groups, len(changes), len(grouped)


def changes_between(treaty, from_number, to_number, *, kind=None):
    """[{actor, name, provision, before, after}]: every stance that differs between
    two sessions (any two, `from_number` the earlier), as the API's
    /matrix/changes/ answers them for the same parameters; rows are the parties
    unless `kind` says otherwise ("all"). A bad session is a ParameterError.
    """
    query = matrix_query(**{"from": from_number, "to": to_number, "kind": kind})
    params = matrix_params.matrix_params_from_query(
        treaty.slug, query, session_param="to"
    )
    changes = matrix_read.matrix_changes(params, from_number, to_number)
    names = dict(
        Actor.objects.filter(code__in={c["actor"] for c in changes}).values_list(
            "code", "name"
        )
    )
    provisions = Provision.objects.in_bulk({c["provision"] for c in changes})
    return [
        {**c, "name": names[c["actor"]], "provision_obj": provisions[c["provision"]]}
        for c in changes
    ]


def by_provision(changes):
    """[(provision, changes by actor name)] in reading order."""
    grouped = defaultdict(list)
    for change in changes:
        grouped[change["provision"]].append(change)
    ordered = sorted(
        grouped.values(),
        key=lambda cs: (cs[0]["provision_obj"].order, cs[0]["provision"]),
    )
    return [
        (moved[0]["provision_obj"], sorted(moved, key=lambda c: c["name"]))
        for moved in ordered
    ]


def by_change(changes):
    """[(before, after, [(provision, changes by actor name)])]: each kind of move
    (stance → stance), in the order transitions are listed, with where it happened."""
    return [
        (before, after, by_provision(moved))
        for before, after, moved in _transitions(changes)
    ]


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


def moves_by_provision(changes):
    """[(provision, [(before, after, changes by actor name)])] in reading order."""
    return [
        (provision, _transitions(moved)) for provision, moved in by_provision(changes)
    ]
