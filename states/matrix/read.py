"""Every read of the materialized snapshots: a slice of the matrix as of a session,
its rows one at a time, its totals, the changes between two sessions, agreement.

Reads see one build generation, in the same statement as its rows: a build that
commits meanwhile is seen entirely or not at all.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import Case, F, Max, Q, Subquery, When

from common.errors import ParameterError
from provisions.models import Provision, Session, Treaty
from states.matrix import rules
from states.models import Actor, MatrixStance, MatrixState, Membership


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


def _matrix_state(treaty):
    try:
        return treaty.matrix_state
    except MatrixState.DoesNotExist:
        return None


def _row_actors(params, as_of):
    """The actors of the rows, in no order."""
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
    return actors


def _rows(params, as_of):
    """Row actors (dicts with id, code, name, kind), validated against the query."""
    rows = list(
        _row_actors(params, as_of)
        .order_by("name", "code")
        .values("id", "code", "name", "kind", "updated_at")
    )
    if params.actor_codes and len(rows) < len(params.actor_codes):
        found = {row["code"] for row in rows}
        missing = [code for code in params.actor_codes if code not in found]
        known = set(
            Actor.objects.filter(code__in=missing).values_list("code", flat=True)
        )
        unknown = [code for code in missing if code not in known]
        if unknown:
            raise ParameterError("actor", f"There is no actor '{unknown[0]}'.")
    return rows


def _column_provisions(params):
    """The provisions of the columns, in no order."""
    provisions = Provision.objects.filter(treaty=params.treaty)
    if params.chapter is not None:
        provisions = provisions.filter(chapter=params.chapter)
    if params.provision_ids:
        provisions = provisions.filter(id__in=params.provision_ids)
    return provisions


def _columns(params):
    columns = list(
        _column_provisions(params)
        .in_reading_order()
        .values(
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
            raise ParameterError(
                "provision", f"This treaty has no provision with id {missing[0]}."
            )
    return columns


def _etag(params, state, rows, columns):
    """Changes whenever a build lands, a change is owed, or a row or column changes."""
    stamp = max(
        [r["updated_at"] for r in rows] + [c["updated_at"] for c in columns],
        default=None,
    )
    return _etag_of(params, state, len(rows), len(columns), stamp)


def _etag_of(params, state, row_count, column_count, stamp):
    """The ETag from the build and the rows' and columns' count and latest change."""
    parts = [
        params.cache_key(),
        str(state.build_count if state else 0),
        str(state.dirty_version if state else 0),
        str(row_count),
        str(column_count),
        stamp.isoformat() if stamp else "",
    ]
    digest = hashlib.sha1("/".join(parts).encode(), usedforsecurity=False)
    return f'"m{params.treaty.pk}-{digest.hexdigest()[:20]}"'


def live_runs(treaty_id, numbers, actor_ids, provision_ids):
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


@dataclass(frozen=True)
class MatrixFingerprint:
    """What names a matrix answer without reading its rows, columns or cells: the
    ETag of the MatrixView that matrix_frame would give, and the rest of its frame
    that is not in the ETag."""

    etag: str
    build_count: int
    built_at: datetime.datetime | None
    stale: bool


def matrix_fingerprint(params):
    """The MatrixFingerprint of params in one query (the count and latest change of
    the rows and of the columns), or None when only matrix_frame can answer: no
    build yet, or an actor or provision asked for by name that is not there (the
    frame says which)."""
    state = _matrix_state(params.treaty)
    if state is None:
        return None
    (row_count, row_stamp), (column_count, column_stamp) = _counts_and_stamps(
        [_row_actors(params, params.session), _column_provisions(params)]
    )
    if row_count < len(params.actor_codes) or column_count < len(params.provision_ids):
        return None
    stamps = [stamp for stamp in (row_stamp, column_stamp) if stamp is not None]
    return MatrixFingerprint(
        etag=_etag_of(
            params, state, row_count, column_count, max(stamps, default=None)
        ),
        build_count=state.build_count,
        built_at=state.built_at,
        stale=state.stale or state.built_at is None,
    )


def _counts_and_stamps(querysets):
    """(rows, latest updated_at) of each queryset, in one statement."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        rows = queryset.order_by().values("updated_at")
        sql, part_params = rows.query.sql_with_params()
        parts.append(
            f"SELECT {number} AS part, count(*), max(u.updated_at) FROM ({sql}) u"
        )
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts) + " ORDER BY part", params)
        rows = cursor.fetchall()
    return [(count, _aware(stamp)) for _, count, stamp in rows]


def _aware(stamp):
    """A max() of timestamps as the ORM would give it (SQLite returns text)."""
    if stamp is None or isinstance(stamp, datetime.datetime):
        return stamp
    return datetime.datetime.fromisoformat(stamp).replace(tzinfo=datetime.UTC)


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
    stances = live_runs(
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
    a Counter of (provision id, stance) over its cells (the rules' own arithmetic)."""
    return rules.totals_from_counts(
        len(view.actors), [column["id"] for column in view.provisions], stance_counts
    )


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
        raise ParameterError("to", "The parameters were built for another session.")
    if from_number >= to_number:
        raise ParameterError("from", "'from' must be a session before 'to'.")
    if params.compare_from is not None and params.compare_from.number == from_number:
        return
    status = (
        Session.objects.filter(treaty_id=params.treaty.pk, number=from_number)
        .values_list("status", flat=True)
        .first()
    )
    if status is None:
        raise ParameterError("from", f"This treaty has no session {from_number}.")
    if status == Session.Status.SCHEDULED:
        raise ParameterError("from", f"Session {from_number} is scheduled.")


def _holding(number):
    """The runs that hold as of session `number`."""
    return Q(from_number__lte=number) & (
        Q(to_number__isnull=True) | Q(to_number__gt=number)
    )


def _changed_cells(params, rows, columns, first, second):
    """[(actor id, provision id, stance as of `first`, as of `second`)] of the cells
    whose stance differs, computed in SQL: one query that skips every run holding
    through both sessions (most cells: the same run, so the same stance) and compares
    what is left per cell."""
    if not (rows and columns):
        return []
    current = MatrixState.objects.filter(treaty_id=params.treaty.pk).values(
        "generation"
    )
    runs = MatrixStance.objects.filter(
        _holding(first) | _holding(second),
        treaty_id=params.treaty.pk,
        generation=Subquery(current[:1]),
        actor_id__in=[r["id"] for r in rows],
    ).exclude(
        Q(from_number__lte=first)
        & (Q(to_number__isnull=True) | Q(to_number__gt=second))
    )
    column_filter = _column_filter(params, columns)
    if column_filter is not None:
        runs = runs.filter(provision_id__in=column_filter)
    # A cell has at most one run per session: Max picks it out of the two.
    return list(
        runs.values("actor_id", "provision_id")
        .annotate(
            before=Max(Case(When(_holding(first), then=F("stance")))),
            after=Max(Case(When(_holding(second), then=F("stance")))),
        )
        .filter(Q(before__isnull=True) | Q(after__isnull=True) | ~Q(before=F("after")))
        .order_by()
        .values_list("actor_id", "provision_id", "before", "after")
    )


def matrix_changes(params, from_number, to_number):
    """[{actor, provision, before, after}] whose stance differs between two sessions,
    in row order then column order (as states.matrix.rules.changes lists them).

    Rows and columns are selected as of `to_number` (params.session must be that
    session); `from_number` must be an earlier session with a snapshot.
    """
    _check_from_session(params, from_number, to_number)
    rows = _rows(params, params.session)
    columns = _columns(params)
    row_at = {r["id"]: (i, r["code"]) for i, r in enumerate(rows)}
    column_at = {c["id"]: i for i, c in enumerate(columns)}
    changed = sorted(
        (row_at[actor_id], column_at[provision_id], provision_id, before, after)
        for actor_id, provision_id, before, after in _changed_cells(
            params, rows, columns, from_number, to_number
        )
        if provision_id in column_at
    )
    return [
        {"actor": code, "provision": provision_id, "before": before, "after": after}
        for (_, code), _, provision_id, before, after in changed
    ]


def agreement_scores(treaty, session, actor, *, minimum):
    """[{code, name, shared, same, share}] for every actor sharing at least `minimum`
    coded provisions with `actor` as of `session`: how many (`shared`), on how many
    the stances are equal (`same`) and that as a percentage (`share`). One query,
    not a query per actor.

    The actor's own cells (a few hundred, by its primary-key prefix) are read once
    and hashed; the others' cells as of the session are matched against them by
    provision and counted per actor, and only the counted rows (one per actor) meet
    the actors table — not a self-join of the whole snapshot joined to every actor.
    """
    table = MatrixStance._meta.db_table
    # Only the generation readers use (a full rebuild writes the next one beside it).
    live = (
        "{t}.treaty_id = %(treaty)s AND {t}.generation = (SELECT generation FROM "
        f"{MatrixState._meta.db_table} WHERE treaty_id = %(treaty)s)"
        " AND {t}.from_number <= %(number)s"
        " AND ({t}.to_number IS NULL OR {t}.to_number > %(number)s)"
    )
    sql = f"""
        WITH mine AS (
          SELECT m.provision_id, m.stance FROM {table} m
          WHERE {live.format(t="m")} AND m.actor_id = %(actor)s
        )
        SELECT a.code, a.name, scored.shared, scored.same
        FROM (
          SELECT o.actor_id, COUNT(*) AS shared,
                 SUM(CASE WHEN o.stance = mine.stance THEN 1 ELSE 0 END) AS same
          FROM {table} o
          JOIN mine ON mine.provision_id = o.provision_id
          WHERE {live.format(t="o")} AND o.actor_id <> %(actor)s
          GROUP BY o.actor_id
          HAVING COUNT(*) >= %(minimum)s
        ) scored
        JOIN {Actor._meta.db_table} a ON a.id = scored.actor_id
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "treaty": treaty.pk,
                "actor": actor.pk,
                "number": session.number,
                "minimum": minimum,
            },
        )
        return [
            {
                "code": code,
                "name": name,
                "shared": shared,
                "same": same,
                "share": round(100 * same / shared),
            }
            for code, name, shared, same in cursor.fetchall()
        ]


def stance_counts_by_session(treaty, numbers, actor_ids, provision_id):
    """{session number: Counter(stance)} over `actor_ids` on one provision, one query
    for every session in `numbers`: a run (from ≤ s < to) counts for each it spans."""
    runs = [
        (run_from, run_to, stance)
        for _, _, stance, _, _, run_from, run_to, _ in live_runs(
            treaty.pk, numbers, actor_ids, [provision_id]
        )
    ]
    return {
        number: Counter(
            stance
            for run_from, run_to, stance in runs
            if run_from <= number and (run_to is None or number < run_to)
        )
        for number in numbers
    }
