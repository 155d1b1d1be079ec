"""The session page: its statements, a page at a time, and who moved since the
previous session."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from pages.selectors import shared
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
# The first page of who moved: at UN scale a session changes ~32,000 cells on ~600
# provisions, which the page summarises (per stance arrived at) and leaves whole to
# the who-moved page (pages.views.moves) and ?moves=all.
MOVED_PROVISIONS = 20
MOVES_PER_PROVISION = 24
# Who moved is kept per build (the key names the generation and build count, and the
# rows' and columns' last edit): the changes only change when a build lands.
WHO_MOVED_CACHE_SECONDS = 60 * 60


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
            Prefetch("supporters", queryset=Actor.objects.only("code", "name")),
            "sources",
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


@dataclass
class WhoMoved:
    """Who moved between two sessions: `groups` of the provisions shown, each
    (provision, transitions, how many more changes are not shown), where transitions
    are (before, after, changes by actor name) for its first MOVES_PER_PROVISION
    changes; `count` changes on `provisions` provisions, `first_stances` of them a
    first stance on record; `arrived` [(stance, changes)] per stance arrived at, in
    the legend's order (None: no information any more)."""

    groups: list
    count: int
    provisions: int
    first_stances: int
    arrived: list


def who_moved(session, previous, *, all_provisions=False):
    """WhoMoved from the previous session to this one, grouped by provision: only the
    first MOVED_PROVISIONS provisions unless `all_provisions`. Read from the cache
    while no build landed since it was computed (the first page only)."""
    key = None if all_provisions else _who_moved_key(session, previous)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    moved = _who_moved(session, previous, all_provisions=all_provisions)
    if key is not None:
        cache.set(key, moved, WHO_MOVED_CACHE_SECONDS)
    return moved


def _who_moved_key(session, previous):
    """None before the first build."""
    return shared.cache_key_of_build(
        "who-moved", session.treaty, previous.number, session.number
    )


def _who_moved(session, previous, *, all_provisions):
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
    arrived = Counter(change["after"] for change in changes)
    return WhoMoved(
        groups=groups,
        count=len(changes),
        provisions=len(grouped),
        first_stances=sum(1 for change in changes if not change["before"]),
        arrived=sorted(arrived.items(), key=lambda item: _STANCE_ORDER[item[0]]),
    )


def changes_between(treaty, from_number, to_number, *, kind=None, wants=False):
    """[{actor, name, provision, before, after}]: every stance that differs between
    two sessions (any two, `from_number` the earlier), as the API's
    /matrix/changes/ answers them for the same parameters; rows are the parties
    unless `kind` says otherwise ("all"). A bad session is a ParameterError.

    With `wants`, each change also has `before_wants` and `after_wants` (what the
    actor wanted instead, as of each session), and a stance that stayed the same
    while what the actor wants changed is a change too (`wants_only`; 4 queries
    more).
    """
    query = matrix_query(**{"from": from_number, "to": to_number, "kind": kind})
    params = matrix_params.matrix_params_from_query(
        treaty.slug, query, session_param="to"
    )
    changes = matrix_read.matrix_changes(params, from_number, to_number)
    if wants:
        changes = _with_wants(params, changes, from_number, to_number)
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


def _with_wants(params, changes, first, second):
    """`changes` with what each actor wanted at both sessions, and the changes of
    `wants` alone, in the matrix's row and column order."""
    frame = matrix_read.matrix_frame(params)
    code_of = dict(zip(frame.actor_ids, (a["code"] for a in frame.actors), strict=True))
    held = {}  # (code, provision) → {session number: (stance, position id)}
    for (
        actor_id,
        provision_id,
        stance,
        position,
        *_,
        since,
        until,
        _,
    ) in matrix_read.live_runs(
        params.treaty.pk, [first, second], list(code_of), frame.column_filter
    ):
        for number in (first, second):
            if since <= number and (until is None or until > number):
                key = (code_of[actor_id], provision_id)
                held.setdefault(key, {})[number] = (stance, position)
    wanted = dict(
        Position.objects.filter(
            id__in={p for at in held.values() for _, p in at.values() if p}
        ).values_list("id", "wants")
    )

    def wants_at(key, number):
        _, position = held.get(key, {}).get(number, (None, None))
        return wanted.get(position, "")

    result = {
        (c["actor"], c["provision"]): {
            **c,
            "before_wants": wants_at((c["actor"], c["provision"]), first),
            "after_wants": wants_at((c["actor"], c["provision"]), second),
            "wants_only": False,
        }
        for c in changes
    }
    for key, at in held.items():
        if key in result or first not in at or second not in at:
            continue
        before, after = wants_at(key, first), wants_at(key, second)
        if at[first][0] == at[second][0] and before != after:
            result[key] = {
                "actor": key[0],
                "provision": key[1],
                "before": at[first][0],
                "after": at[second][0],
                "before_wants": before,
                "after_wants": after,
                "wants_only": True,
            }
    rows = {code: i for i, code in enumerate(code_of.values())}
    columns = {p["id"]: i for i, p in enumerate(frame.provisions)}
    return sorted(
        result.values(),
        key=lambda c: (rows.get(c["actor"], 0), columns.get(c["provision"], 0)),
    )


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
