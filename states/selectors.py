"""Reads that are more than a one-line queryset."""

import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import Count, Q, Subquery

from provisions.models import Chapter, Provision, Session, Treaty
from states.models import (
    Actor,
    Group,
    MatrixStance,
    MatrixState,
    Membership,
    Position,
    Status,
)

PARTY_KINDS = tuple(str(k) for k in Actor.PARTY_KINDS)
ACTOR_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,11}$")


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


# The matrix ---------------------------------------------------------------------


class MatrixQueryError(ValueError):
    """A bad matrix query parameter: `param` names it, `message` says what is wrong."""

    def __init__(self, param, message):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class MatrixParams:
    treaty: Treaty
    session: Session
    kinds: tuple = PARTY_KINDS
    group: Group | None = None
    actor_codes: tuple = ()
    chapter: Chapter | None = None
    provision_ids: tuple = ()
    # Changes only: the earlier session, validated with the rest (`from`).
    compare_from: Session | None = None

    def cache_key(self):
        return "|".join(
            [
                str(self.treaty.pk),
                str(self.session.number),
                ",".join(sorted(self.kinds)),
                self.group.slug if self.group else "",
                ",".join(sorted(self.actor_codes)),
                str(self.chapter.pk) if self.chapter else "",
                ",".join(str(i) for i in sorted(self.provision_ids)),
            ]
        )


@dataclass
class MatrixView:
    treaty: Treaty
    session: Session
    built_at: datetime.datetime | None
    stale: bool
    etag: str
    actors: list
    provisions: list
    cells: dict | None
    totals: dict | None
    # For reading the cells; not part of the API body.
    actor_ids: list = field(default_factory=list, repr=False)
    column_filter: list | None = field(default=None, repr=False)


def _getlist(querydict, name):
    if hasattr(querydict, "getlist"):
        values = querydict.getlist(name)
    else:
        value = querydict.get(name)
        values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def _get(querydict, name):
    values = _getlist(querydict, name)
    return values[-1] if values else None


def _integer(value, param):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise MatrixQueryError(param, f"'{value}' is not a whole number.") from None
    if number < 0 or number > 2**31 - 1:
        raise MatrixQueryError(param, f"'{value}' is out of range.")
    return number


def _snapshot_session(slug, number, param):
    """(session `number` or the current one, all the treaty's sessions), one query.

    A treaty has a handful of sessions: reading them all at once also answers
    which session comes before (for changes) without another query.
    """
    sessions = list(
        Session.objects.select_related("treaty", "treaty__matrix_state")
        .filter(treaty__slug=slug)
        .order_by("number")
    )
    if not sessions and not Treaty.objects.filter(slug=slug).exists():
        raise MatrixQueryError("treaty", f"There is no treaty '{slug}'.")
    return _pick_session(sessions, number, param), sessions


def _pick_session(sessions, number, param):
    if number is None:
        started = [s for s in sessions if s.status != Session.Status.SCHEDULED]
        if not started:
            raise MatrixQueryError(
                param, "This treaty has no session in progress or closed yet."
            )
        return started[-1]
    session = next((s for s in sessions if s.number == number), None)
    if session is None:
        raise MatrixQueryError(param, f"This treaty has no session {number}.")
    if session.status == Session.Status.SCHEDULED:
        raise MatrixQueryError(
            param,
            f"Session {number} is scheduled; only sessions in progress or closed "
            "have a matrix.",
        )
    return session


def _compare_from(querydict, sessions, to_session):
    """The `from` session of a changes query (default: the snapshot before `to`)."""
    raw = _get(querydict, "from")
    if raw is None:
        earlier = [
            s
            for s in sessions
            if s.number < to_session.number and s.status != Session.Status.SCHEDULED
        ]
        if not earlier:
            raise MatrixQueryError(
                "from", "There is no earlier session with a snapshot to compare with."
            )
        return earlier[-1]
    session = _pick_session(sessions, _integer(raw, "from"), "from")
    if session.number >= to_session.number:
        raise MatrixQueryError("from", "'from' must be a session before 'to'.")
    return session


def _kinds(querydict, explicit_actors):
    values = _getlist(querydict, "kind")
    if not values:
        # Asking for actors by code shows them whatever their kind.
        return tuple(Actor.Kind.values) if explicit_actors else PARTY_KINDS
    if "all" in values:
        return tuple(Actor.Kind.values)
    for value in values:
        if value not in Actor.Kind.values:
            raise MatrixQueryError(
                "kind",
                f"'{value}' is not an actor kind; use one of "
                f"{', '.join(Actor.Kind.values)} or 'all'.",
            )
    return tuple(dict.fromkeys(values))


def matrix_params_from_query(
    treaty_slug_or_none, querydict, *, session_param="session"
):
    """Validated matrix parameters from query parameters (API.md names).

    Raises MatrixQueryError naming the bad parameter. With `session_param="to"` (the
    changes endpoint) `from` is validated too and kept as params.compare_from.
    """
    slug = treaty_slug_or_none or _get(querydict, "treaty")
    if not slug:
        raise MatrixQueryError("treaty", "This parameter is required.")
    raw_number = _get(querydict, session_param)
    number = None if raw_number is None else _integer(raw_number, session_param)
    actor_codes = tuple(dict.fromkeys(c.upper() for c in _getlist(querydict, "actor")))
    for code in actor_codes:
        if not ACTOR_CODE.match(code):
            raise MatrixQueryError("actor", f"'{code}' is not an actor code.")
    kinds = _kinds(querydict, bool(actor_codes))
    provision_ids = tuple(
        dict.fromkeys(
            _integer(v, "provision") for v in _getlist(querydict, "provision")
        )
    )
    raw_chapter = _get(querydict, "chapter")
    chapter_id = None if raw_chapter is None else _integer(raw_chapter, "chapter")
    session, sessions = _snapshot_session(slug, number, session_param)
    compare_from = None
    if session_param == "to":
        compare_from = _compare_from(querydict, sessions, session)
    group = None
    group_slug = _get(querydict, "group")
    if group_slug:
        group = Group.objects.filter(slug=group_slug).first()
        if group is None:
            raise MatrixQueryError("group", f"There is no group '{group_slug}'.")
    chapter = None
    if chapter_id is not None:
        chapter = Chapter.objects.filter(pk=chapter_id, treaty=session.treaty).first()
        if chapter is None:
            raise MatrixQueryError(
                "chapter", f"This treaty has no chapter with id {chapter_id}."
            )
    return MatrixParams(
        treaty=session.treaty,
        session=session,
        kinds=kinds,
        group=group,
        actor_codes=actor_codes,
        chapter=chapter,
        provision_ids=provision_ids,
        compare_from=compare_from,
    )


def _matrix_state(treaty):
    try:
        return treaty.matrix_state
    except MatrixState.DoesNotExist:
        return None


def _rows(params, as_of):
    """Row actors (dicts with id, code, name, kind), validated against the query."""
    actors = Actor.objects.filter(kind__in=params.kinds)
    if params.group is not None:
        members = (
            Membership.objects.covering(as_of.start_date)
            .filter(group=params.group)
            .values("actor_id")
        )
        actors = actors.filter(id__in=members)
    if params.actor_codes:
        actors = actors.filter(code__in=params.actor_codes)
    rows = list(
        actors.order_by("name", "code").values(
            "id", "code", "name", "kind", "updated_at"
        )
    )
    if params.actor_codes and len(rows) < len(params.actor_codes):
        found = {row["code"] for row in rows}
        missing = [code for code in params.actor_codes if code not in found]
        known = set(
            Actor.objects.filter(code__in=missing).values_list("code", flat=True)
        )
        unknown = [code for code in missing if code not in known]
        if unknown:
            raise MatrixQueryError("actor", f"There is no actor '{unknown[0]}'.")
    return rows


def _columns(params):
    provisions = Provision.objects.filter(treaty=params.treaty)
    if params.chapter is not None:
        provisions = provisions.filter(chapter=params.chapter)
    if params.provision_ids:
        provisions = provisions.filter(id__in=params.provision_ids)
    columns = list(
        provisions.in_reading_order().values(
            "id",
            "slug",
            "title",
            "kind",
            "proposition",
            "chapter_id",
            "order",
            "updated_at",
        )
    )
    if params.provision_ids and len(columns) < len(params.provision_ids):
        found = {column["id"] for column in columns}
        missing = [i for i in params.provision_ids if i not in found]
        if params.chapter is None:
            raise MatrixQueryError(
                "provision", f"This treaty has no provision with id {missing[0]}."
            )
    return columns


def _etag(params, state, rows, columns):
    """Changes whenever a build lands, a change is owed, or a row or column changes."""
    stamp = max(
        [r["updated_at"] for r in rows] + [c["updated_at"] for c in columns],
        default=None,
    )
    parts = [
        params.cache_key(),
        str(state.build_count if state else 0),
        str(state.dirty_version if state else 0),
        str(len(rows)),
        str(len(columns)),
        stamp.isoformat() if stamp else "",
    ]
    digest = hashlib.sha1("/".join(parts).encode(), usedforsecurity=False)
    return f'"m{params.treaty.pk}-{digest.hexdigest()[:20]}"'


def _live_stances(treaty_id, numbers, actor_ids, provision_ids):
    """Snapshot rows holding as of any of `numbers`, as value tuples."""
    holding = Q()
    for number in numbers:
        holding |= Q(from_number__lte=number) & (
            Q(to_number__isnull=True) | Q(to_number__gt=number)
        )
    # The generation is read in the same statement as the rows: a build that
    # commits meanwhile is seen entirely or not at all.
    current = MatrixState.objects.filter(treaty_id=treaty_id).values("generation")
    rows = MatrixStance.objects.filter(
        holding, treaty_id=treaty_id, generation=Subquery(current[:1])
    )
    if actor_ids is not None:
        rows = rows.filter(actor_id__in=actor_ids)
    if provision_ids is not None:
        rows = rows.filter(provision_id__in=provision_ids)
    return rows.values_list(
        "actor_id",
        "provision_id",
        "stance",
        "position_id",
        "statement_id",
        "from_number",
        "to_number",
        "via",
    )


def _column_filter(params, columns):
    filtered = params.chapter is not None or params.provision_ids
    return [c["id"] for c in columns] if filtered else None


def matrix_frame(params):
    """A MatrixView of params without its cells (cells and totals None).

    Two queries (rows and columns); enough for the ETag, so that an unchanged matrix
    is answered without reading its cells.
    """
    state = _matrix_state(params.treaty)
    rows = _rows(params, params.session)
    columns = _columns(params)
    return MatrixView(
        treaty=params.treaty,
        session=params.session,
        built_at=state.built_at if state else None,
        stale=state is None or state.stale or state.built_at is None,
        etag=_etag(params, state, rows, columns),
        actors=[
            {"code": r["code"], "name": r["name"], "kind": r["kind"]} for r in rows
        ],
        provisions=[
            {key: value for key, value in c.items() if key != "updated_at"}
            for c in columns
        ],
        cells=None,
        totals=None,
        actor_ids=[r["id"] for r in rows],
        column_filter=_column_filter(params, columns),
    )


# A whole UN-scale matrix has ~150,000 cells: they are converted to objects a chunk at
# a time, never all at once.
ROW_CHUNK = 5_000


def matrix_rows(view):
    """(actor code, {provision id: cell}) for every row of `view` with a cell, in no
    particular row order; one query. A cell is a dict as the API emits it.
    """
    if not (view.actor_ids and view.provisions):
        return
    code_of = dict(zip(view.actor_ids, (a["code"] for a in view.actors), strict=True))
    stances = _live_stances(
        view.treaty.pk, [view.session.number], view.actor_ids, view.column_filter
    ).order_by("actor_id")  # a row's cells arrive together, whichever row is first
    for actor_id, rows in groupby(_in_chunks(stances), key=itemgetter(0)):
        code = code_of[actor_id]
        yield (
            code,
            {
                provision_id: {
                    "actor": code,
                    "provision": provision_id,
                    "stance": stance,
                    "position": position,
                    "statement": statement,
                    "since": since,
                    "via": via,
                }
                for _, provision_id, stance, position, statement, since, _, via in rows
            },
        )


def row_stance_counts(cells):
    """(provision id, stance) pairs of a row's cells, for a Counter of matrix_totals."""
    return zip(cells, map(itemgetter("stance"), cells.values()), strict=True)


def _in_chunks(values_list):
    """The rows of a values_list queryset, fetched a chunk at a time. No field
    converters run: only for columns that need none (integers, text).

    Not QuerySet.iterator(): on PostgreSQL that declares a cursor, which is planned for
    a fast first row; with ORDER BY that meant walking the primary key in actor order
    and filtering, over ten times slower than sorting for a group of 50 actors.
    """
    sql, params = values_list.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(ROW_CHUNK):
            yield from rows


def matrix_totals(view, stance_counts):
    """{provision id: {stance: n, …, "no_position": n}} over the view's columns, from
    a Counter of (provision id, stance) over its cells."""
    row_count = len(view.actors)
    totals = {}
    for column in view.provisions:
        counts = {s: stance_counts[column["id"], s] for s in Position.Stance.values}
        counts["no_position"] = row_count - sum(counts.values())
        totals[column["id"]] = counts
    return totals


def matrix_view(params):
    """The matrix as of params.session over the selected rows and columns, with its
    cells as {(actor code, provision id): cell dict} (as the API emits them).

    A fixed number of queries (rows, columns, cells; the parameters took up to
    three). The API reads a large matrix row by row instead (matrix_frame and
    matrix_rows).
    """
    view = matrix_frame(params)
    view.cells = {}
    stance_counts = Counter()
    for code, row in matrix_rows(view):
        view.cells.update(
            ((code, provision_id), cell) for provision_id, cell in row.items()
        )
        stance_counts.update(row_stance_counts(row))
    view.totals = matrix_totals(view, stance_counts)
    return view


def _check_from_session(params, from_number, to_number):
    if to_number != params.session.number:
        raise MatrixQueryError("to", "The parameters were built for another session.")
    if from_number >= to_number:
        raise MatrixQueryError("from", "'from' must be a session before 'to'.")
    if params.compare_from is not None and params.compare_from.number == from_number:
        return
    status = (
        Session.objects.filter(treaty_id=params.treaty.pk, number=from_number)
        .values_list("status", flat=True)
        .first()
    )
    if status is None:
        raise MatrixQueryError("from", f"This treaty has no session {from_number}.")
    if status == Session.Status.SCHEDULED:
        raise MatrixQueryError("from", f"Session {from_number} is scheduled.")


def _stances_at_two(params, rows, columns, first, second):
    """({(code, provision): stance} as of `first`, the same as of `second`)."""
    code_of = {r["id"]: r["code"] for r in rows}
    at_first, at_second = {}, {}
    if not (rows and columns):
        return at_first, at_second
    for actor_id, provision_id, stance, _, _, since, until, _ in _live_stances(
        params.treaty.pk,
        [first, second],
        list(code_of),
        _column_filter(params, columns),
    ):
        key = (code_of[actor_id], provision_id)
        if since <= first and (until is None or until > first):
            at_first[key] = stance
        if since <= second and (until is None or until > second):
            at_second[key] = stance
    return at_first, at_second


def matrix_changes(params, from_number, to_number):
    """[{actor, provision, before, after}] whose stance differs between two sessions.

    Rows and columns are selected as of `to_number` (params.session must be that
    session); `from_number` must be an earlier session with a snapshot.
    """
    _check_from_session(params, from_number, to_number)
    rows = _rows(params, params.session)
    columns = _columns(params)
    before, after = _stances_at_two(params, rows, columns, from_number, to_number)
    changes = []
    for row in rows:
        for column in columns:
            key = (row["code"], column["id"])
            if before.get(key) != after.get(key):
                changes.append(
                    {
                        "actor": row["code"],
                        "provision": column["id"],
                        "before": before.get(key),
                        "after": after.get(key),
                    }
                )
    return changes
