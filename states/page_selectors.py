"""Reads for the public pages: each returns everything a page needs in a fixed number
of queries, whatever the size of the data.

Matrix cells always come from the materialized snapshots through
`states.selectors.matrix_view` / `matrix_changes`; nothing here recomputes them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, RowNumber
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse

from provisions.models import Chapter, Provision, ProvisionText, Session, Treaty
from states import charts
from states import selectors as matrix_selectors
from states.models import (
    Actor,
    Group,
    MatrixStance,
    MatrixState,
    Membership,
    Position,
    Statement,
    Status,
)

STANCES = charts.STANCE_ORDER
PAGE_STANCE_VALUES = (*STANCES, "none")
# Agreement is only shown when two actors share enough coded provisions to mean much.
MIN_SHARED_PROVISIONS = 3
COMPARE_MIN, COMPARE_MAX = 2, 6
STATEMENTS_PER_PAGE = 50
ACTOR_STATEMENTS = 100
QUOTES_PER_STANCE = 25
MOVED_PROVISIONS = 60
MOVES_PER_PROVISION = 24
# Past this many cells the matrix page shows one chapter at a time.
MAX_MATRIX_CELLS = 30_000


class PageQueryError(ValueError):
    """A query parameter of a page that cannot be honoured; `.param` names it."""

    def __init__(self, param, message):
        super().__init__(message)
        self.param = param
        self.message = message


def _query(**params):
    """A QueryDict for the matrix selectors from keyword lists/values."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list | tuple):
            query.setlist(key, [str(v) for v in value])
        elif value is not None:
            query[key] = str(value)
    return query


def matrix_for(treaty_slug, **params):
    """The matrix view of a treaty with API-style parameters (kind, session, …)."""
    query = _query(**params)
    return matrix_selectors.matrix_view(
        matrix_selectors.matrix_params_from_query(treaty_slug, query)
    )


def current_session(treaty):
    """The session the current matrix is as of: the highest started one, or None."""
    return (
        Session.objects.with_snapshot()
        .filter(treaty=treaty)
        .order_by("-number")
        .first()
    )


# Evidence ---------------------------------------------------------------------------


def _ids_filter(ids):
    """`id IN ids`; on PostgreSQL one array parameter, because planning an IN list
    of a chapter's ~15,000 ids took longer than running it."""
    ids = sorted(set(ids))
    if connection.vendor == "postgresql":
        return Q(id__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return Q(id__in=ids)


def evidence_for_positions(position_ids):
    """Evidence for the given positions, in one query: {"positions": {id: [stance,
    quote, statement id]}, "statements": {id: {...}}}; statements are shared by
    many positions, so they are listed once."""
    rows = (
        Position.objects.filter(_ids_filter(position_ids))
        .values_list(
            "id",
            "stance",
            "quote",
            "statement_id",
            "statement__title",
            "statement__date",
            "statement__source_url",
            "statement__document_symbol",
            "statement__actor__name",
            "statement__on_behalf_of__name",
            "statement__session__number",
            "statement__session__title",
            "statement__session__start_date",
        )
        .order_by()
    )
    positions, statements = {}, {}
    for row in rows:
        positions[row[0]] = [row[1], row[2], row[3]]
        if row[3] not in statements:
            statements[row[3]] = {
                "title": row[4],
                "date": (row[5] or row[12]).isoformat(),
                "source": row[6],
                "symbol": row[7],
                "speaker": row[8],
                "on_behalf_of": row[9],
                "session": row[10],
                "session_title": row[11],
            }
    return {"positions": positions, "statements": statements}


# Matrix page ------------------------------------------------------------------------


@dataclass
class MatrixPage:
    view: object
    chapters: list  # [(chapter or None, [provision dicts])] in display order
    rows: list  # [(actor dict, [cell dict or None per provision])]
    evidence: dict
    stance: str
    only_coded: bool
    columns: list  # provision dicts in display order, with url, totals and bar


def matrix_page(view, *, stance="", only_coded=False):
    """Arrange a MatrixView for the heatmap: chapter bands, rows of cells, evidence."""
    chapter_by_id = Chapter.objects.in_bulk(
        {p["chapter_id"] for p in view.provisions if p["chapter_id"]}
    )
    bands = []
    for provision in view.provisions:
        chapter = chapter_by_id.get(provision["chapter_id"])
        if not bands or bands[-1][0] != chapter:
            bands.append((chapter, []))
        bands[-1][1].append(provision)
    for _, provisions in bands:
        provisions[-1] = {**provisions[-1], "chapter_end": True}
    ordered = [
        {
            **p,
            "url": reverse(
                "provision-detail",
                kwargs={"treaty": view.treaty.slug, "slug": p["slug"]},
            ),
            "totals": view.totals.get(p["id"], {}),
            "bar": _total_parts(view.totals.get(p["id"], {})),
        }
        for _, ps in bands
        for p in ps
    ]
    rows = []
    for actor in view.actors:
        cells = [view.cells.get((actor["code"], p["id"])) for p in ordered]
        if stance and not _row_has_stance(cells, stance):
            continue
        if only_coded and not any(cells):
            continue
        rows.append((actor, cells))
    position_ids = {c["position"] for _, cells in rows for c in cells if c}
    return MatrixPage(
        view=view,
        chapters=bands,
        rows=rows,
        evidence=evidence_for_positions(position_ids),
        stance=stance,
        only_coded=only_coded,
        columns=ordered,
    )


def chapter_if_too_large(params):
    """The first chapter when the unfiltered matrix has too many cells for one page.

    At UN scale (250 actors × 600 provisions) the whole matrix is 150,000 cells, tens
    of megabytes of HTML; one chapter stays readable. Two count queries, and only when
    neither a chapter, provisions nor actors were chosen.
    """
    if params.chapter or params.provision_ids or params.actor_codes:
        return None
    rows = Actor.objects.filter(kind__in=params.kinds).count()
    columns = Provision.objects.filter(treaty=params.treaty).count()
    if rows * columns <= MAX_MATRIX_CELLS:
        return None
    return Chapter.objects.filter(treaty=params.treaty).first()


def _row_has_stance(cells, stance):
    if stance == "none":
        return any(c is None for c in cells)
    return any(c and c["stance"] == stance for c in cells)


def _total_parts(totals):
    """Shares (percent) of each stance among the rows, for the totals mini-bar."""
    rows = sum(totals.get(k, 0) for k in (*STANCES, charts.NO_POSITION))
    return [
        (s, round(100 * totals.get(s, 0) / rows, 1) if rows else 0, totals.get(s, 0))
        for s in STANCES
    ]


def matrix_filter_choices(treaty):
    """Sessions with a snapshot, chapters and groups for the filter form."""
    return {
        "sessions": list(
            Session.objects.with_snapshot().filter(treaty=treaty).order_by("-number")
        ),
        "chapters": list(Chapter.objects.filter(treaty=treaty)),
        "groups": list(Group.objects.order_by("kind", "name")),
        "kinds": Actor.Kind.choices,
        "stances": [(s, charts.STANCE_LABELS[s]) for s in STANCES]
        + [("none", "No information")],
    }


# Provision page ---------------------------------------------------------------------


def provision_with_texts(treaty_slug, slug):
    """The provision (with treaty, chapter, parent) and its texts in draft order."""
    provision = get_object_or_404(
        Provision.objects.select_related(
            "treaty", "chapter", "parent"
        ).prefetch_related(
            Prefetch(
                "texts",
                queryset=ProvisionText.objects.select_related("draft").order_by(
                    # Many drafts carry only the session they were prepared for.
                    Coalesce("draft__published_on", "draft__session__start_date"),
                    "draft_id",
                ),
            )
        ),
        treaty__slug=treaty_slug,
        slug=slug,
    )
    return provision, list(provision.texts.all())


def provision_quotes(provision, *, limit=None):
    """Published positions on the provision by stance: [(stance, [position], total)],
    newest session first, at most `limit` per stance (None: all)."""
    newest_first = ("-statement__session__number", "statement__actor__name", "id")
    by_stance = {"partition_by": F("stance")}
    positions = (
        Position.objects.published()
        .filter(provision=provision)
        .select_related(
            "statement__actor", "statement__session", "statement__on_behalf_of"
        )
        .annotate(
            stance_total=Window(Count("id"), **by_stance),
            place=Window(RowNumber(), order_by=newest_first, **by_stance),
        )
        .order_by(*newest_first)
    )
    if limit is not None:
        # A much discussed provision has hundreds of positions per stance: only those
        # shown are read (and made objects), the window still counts them all.
        positions = positions.filter(place__lte=limit)
    grouped, totals = defaultdict(list), {}
    for position in positions:
        grouped[position.stance].append(position)
        totals[position.stance] = position.stance_total
    return [(s, grouped[s], totals[s]) for s in STANCES if grouped[s]]


def regional_breakdown(view, provision_id, session):
    """Per UN regional group, the stances of its members on one provision (1 query)."""
    group_of = dict(
        Membership.objects.covering(session.start_date)
        .filter(group__kind=Group.Kind.UN_REGIONAL_GROUP)
        .values_list("actor__code", "group__name")
        .order_by()
    )
    totals = defaultdict(Counter)
    for actor in view.actors:
        group = group_of.get(actor["code"])
        if group is None:
            continue
        cell = view.cells.get((actor["code"], provision_id))
        totals[group][cell["stance"] if cell else charts.NO_POSITION] += 1
    return [(name, charts.stance_bar(totals[name])) for name in sorted(totals)]


def provision_trend(treaty, provision_id):
    """Stance counts on one provision as of each session with a snapshot (2 queries).

    Rows are the actors of the default matrix (the negotiating parties). Read from the
    snapshot runs directly: one run (from ≤ s < to) counts for every session it spans.
    """
    numbers = list(
        Session.objects.with_snapshot()
        .filter(treaty=treaty)
        .order_by("number")
        .values_list("number", flat=True)
    )
    # The matrix selector's snapshot read (it knows which build generation is
    # current); one query for every session at once.
    runs = [
        (since, until, stance)
        for _, _, stance, _, _, since, until, _ in matrix_selectors._live_stances(
            treaty.pk,
            numbers,
            Actor.objects.filter(kind__in=Actor.PARTY_KINDS).values("id"),
            [provision_id],
        )
    ]
    series = []
    for number in numbers:
        counts = Counter(
            stance
            for since, until, stance in runs
            if since <= number and (until is None or number < until)
        )
        series.append((f"S{number}", counts))
    return charts.trend_chart(series)


def label_trail(texts):
    """The distinct labels in draft order ("Article 5" → "Article 6")."""
    trail = []
    for text in texts:
        if not trail or trail[-1] != text.label:
            trail.append(text.label)
    return trail


# Actor page -------------------------------------------------------------------------


def actor_with_groups(code):
    actor = get_object_or_404(Actor, code=code)
    memberships = list(
        Membership.objects.filter(actor=actor)
        .select_related("group")
        .order_by("group__kind", "group__name", "start_date")
    )
    return actor, memberships


def actor_statements(actor, treaty=None, *, limit=ACTOR_STATEMENTS):
    """(the latest `limit` published statements the actor made, co-signed or that
    spoke for one of its groups, how many there are in all)."""
    co_signed = Statement.co_signers.through.objects.filter(actor=actor).values(
        "statement_id"
    )
    member_groups = Membership.objects.filter(actor=actor).values("group_id")
    # IN-subqueries rather than OR across a join, which needed DISTINCT over every
    # statement of the treaty.
    statements = Statement.objects.published().filter(
        Q(actor=actor) | Q(id__in=co_signed) | Q(on_behalf_of_id__in=member_groups)
    )
    if treaty is not None:
        statements = statements.filter(session__treaty=treaty)
    latest = list(
        statements.select_related("session__treaty", "actor", "on_behalf_of")
        .annotate(
            position_count=Count(
                "positions", filter=Q(positions__status=Status.PUBLISHED)
            )
        )
        .order_by("-session__number", "-date", "-id")[:limit]
    )
    return latest, statements.count()


def treaty_for_actor(actor, slug=None):
    """The treaty the actor page shows: ?treaty=slug, else the one it spoke in last."""
    treaties = list(Treaty.objects.order_by("title"))
    if slug:
        for treaty in treaties:
            if treaty.slug == slug:
                return treaty, treaties
        raise PageQueryError("treaty", f"Unknown treaty {slug!r}.")
    last = (
        Statement.objects.filter(actor=actor)
        .order_by("-session__start_date")
        .values_list("session__treaty_id", flat=True)
        .first()
    )
    chosen = next(
        (t for t in treaties if t.id == last), treaties[0] if treaties else None
    )
    return chosen, treaties


def positions_by_chapter(view, code, group_names=None):
    """[(chapter, [(provision, cell)])] of the actor's cells in the view; each cell
    gains `via_name`, the name of the group it was inherited through."""
    group_names = group_names or {}
    chapters = Chapter.objects.in_bulk(
        {p["chapter_id"] for p in view.provisions if p["chapter_id"]}
    )
    bands = []
    for provision in view.provisions:
        cell = view.cells.get((code, provision["id"]))
        if cell is None:
            continue
        chapter = chapters.get(provision["chapter_id"])
        if not bands or bands[-1][0] != chapter:
            bands.append((chapter, []))
        via_name = group_names.get(cell["via"], cell["via"])
        bands[-1][1].append((provision, {**cell, "via_name": via_name}))
    return bands


def agreement(treaty, session, actor, *, minimum=MIN_SHARED_PROVISIONS, limit=5):
    """(most, least) agreeing actors as of `session`: the share of provisions on
    which both have a stance and the stances are equal, for actors sharing at least
    `minimum` provisions. One SQL self-join over the snapshot, not a query per actor.
    """
    table = MatrixStance._meta.db_table
    # Only the generation readers use (a full rebuild writes the next one beside it).
    live = (
        "{t}.from_number <= %s AND ({t}.to_number IS NULL OR {t}.to_number > %s)"
        f" AND {{t}}.generation = (SELECT generation FROM {MatrixState._meta.db_table}"
        " WHERE treaty_id = %s)"
    )
    sql = f"""
        SELECT a.code, a.name, COUNT(*) AS shared,
               SUM(CASE WHEN o.stance = m.stance THEN 1 ELSE 0 END) AS same
        FROM {table} m
        JOIN {table} o ON o.treaty_id = m.treaty_id
             AND o.provision_id = m.provision_id AND o.actor_id <> m.actor_id
        JOIN {Actor._meta.db_table} a ON a.id = o.actor_id
        WHERE m.treaty_id = %s AND m.actor_id = %s
          AND {live.format(t="m")} AND {live.format(t="o")}
        GROUP BY a.id, a.code, a.name
        HAVING COUNT(*) >= %s
    """
    number = session.number
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [treaty.pk, actor.pk, *(number, number, treaty.pk) * 2, minimum],
        )
        scored = [
            {
                "code": code,
                "name": name,
                "shared": shared,
                "same": same,
                "share": round(100 * same / shared),
            }
            for code, name, shared, same in cursor.fetchall()
        ]
    return rank_agreement(scored, limit=limit)


def rank_agreement(scored, *, limit=5):
    """Most agreeing first; the least agreeing among those not already listed."""
    most = sorted(scored, key=lambda r: (-r["share"], -r["shared"], r["name"]))[:limit]
    listed = {r["code"] for r in most}
    least = sorted(
        (r for r in scored if r["code"] not in listed),
        key=lambda r: (r["share"], -r["shared"], r["name"]),
    )[:limit]
    return most, least


# Session page -----------------------------------------------------------------------


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
    return session, _page(statements, page_number, STATEMENTS_PER_PAGE)


def _page(queryset, page_number, per_page):
    """One page of `queryset`; a bad page number is a PageQueryError (→ 400)."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number or 1)
    except InvalidPage as error:
        raise PageQueryError("page", str(error)) from None


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
    params = matrix_selectors.matrix_params_from_query(
        session.treaty.slug, _query(session=session.number)
    )
    changes = matrix_selectors.matrix_changes(params, previous.number, session.number)
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
_STANCE_ORDER = {stance: i for i, stance in enumerate([*Position.Stance.values, None])}


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


# Compare page -----------------------------------------------------------------------


def parse_compare_codes(raw):
    """Upper-case codes from "USA,CHN" (also repeated params); validates the count."""
    codes = []
    for chunk in raw:
        codes += [c.strip().upper() for c in chunk.split(",") if c.strip()]
    codes = list(dict.fromkeys(codes))
    if not COMPARE_MIN <= len(codes) <= COMPARE_MAX:
        raise PageQueryError(
            "actors",
            f"Choose between {COMPARE_MIN} and {COMPARE_MAX} actors "
            f"(got {len(codes)}), e.g. ?actors=USA,CHN.",
        )
    known = dict(Actor.objects.filter(code__in=codes).values_list("code", "name"))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise PageQueryError("actors", f"Unknown actor code(s): {', '.join(unknown)}.")
    return codes


def compare_rows(view, codes):
    """[(chapter, [(provision, [cell per code])])] where any actor has a stance."""
    chapters = Chapter.objects.in_bulk(
        {p["chapter_id"] for p in view.provisions if p["chapter_id"]}
    )
    bands = []
    for provision in view.provisions:
        cells = [view.cells.get((code, provision["id"])) for code in codes]
        if not any(cells):
            continue
        chapter = chapters.get(provision["chapter_id"])
        if not bands or bands[-1][0] != chapter:
            bands.append((chapter, []))
        bands[-1][1].append((provision, cells))
    return bands
