"""Reads for the public pages: each returns everything a page needs in a fixed number
of queries, whatever the size of the data.

Matrix cells always come from the materialized snapshots through
`states.selectors.matrix_view` / `matrix_changes`; nothing here recomputes them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce
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


def evidence_for_positions(position_ids):
    """{position id: evidence dict} for the given positions, in one query."""
    rows = (
        Position.objects.filter(id__in=set(position_ids))
        .values(
            "id",
            "stance",
            "quote",
            "statement_id",
            "statement__title",
            "statement__date",
            "statement__kind",
            "statement__source_url",
            "statement__document_symbol",
            "statement__actor__code",
            "statement__actor__name",
            "statement__on_behalf_of__name",
            "statement__session__number",
            "statement__session__title",
            "statement__session__start_date",
        )
        .order_by()
    )
    return {
        row["id"]: {
            "stance": row["stance"],
            "quote": row["quote"],
            "statement": row["statement_id"],
            "title": row["statement__title"],
            "date": (
                row["statement__date"] or row["statement__session__start_date"]
            ).isoformat(),
            "kind": row["statement__kind"],
            "source": row["statement__source_url"],
            "symbol": row["statement__document_symbol"],
            "speaker": row["statement__actor__name"],
            "speaker_code": row["statement__actor__code"],
            "on_behalf_of": row["statement__on_behalf_of__name"],
            "session": row["statement__session__number"],
            "session_title": row["statement__session__title"],
        }
        for row in rows
    }


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


def provision_quotes(provision):
    """Published positions on the provision by stance: [(stance, [position])]."""
    positions = (
        Position.objects.published()
        .filter(provision=provision)
        .select_related(
            "statement__actor", "statement__session", "statement__on_behalf_of"
        )
        .order_by("-statement__session__number", "statement__actor__name", "id")
    )
    grouped = defaultdict(list)
    for position in positions:
        grouped[position.stance].append(position)
    return [(s, grouped[s]) for s in STANCES if grouped[s]]


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
    runs = list(
        MatrixStance.objects.filter(
            treaty_id=treaty.pk,
            provision_id=provision_id,
            actor__kind__in=Actor.PARTY_KINDS,
        ).values_list("from_number", "to_number", "stance")
    )
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


def actor_statements(actor, treaty=None):
    """Published statements the actor made, co-signed or that spoke for its groups."""
    member_groups = Membership.objects.filter(actor=actor).values("group_id")
    statements = (
        Statement.objects.published()
        .filter(
            Q(actor=actor) | Q(co_signers=actor) | Q(on_behalf_of_id__in=member_groups)
        )
        .select_related("session__treaty", "actor", "on_behalf_of")
        .annotate(
            position_count=Count(
                "positions", filter=Q(positions__status=Status.PUBLISHED)
            )
        )
        .distinct()
        .order_by("-session__number", "-date", "-id")
    )
    if treaty is not None:
        statements = statements.filter(session__treaty=treaty)
    return statements


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


def agreement(view, code, *, minimum=MIN_SHARED_PROVISIONS, limit=5):
    """(most, least) agreeing actors: share of shared provisions with equal stances.

    One pass over the snapshot's cells; only pairs with ≥ `minimum` shared provisions.
    """
    mine = {p: c["stance"] for (a, p), c in view.cells.items() if a == code}
    shared, same = Counter(), Counter()
    for (other, provision), cell in view.cells.items():
        if other == code or provision not in mine:
            continue
        shared[other] += 1
        same[other] += cell["stance"] == mine[provision]
    names = {a["code"]: a["name"] for a in view.actors}
    scored = [
        {
            "code": other,
            "name": names.get(other, other),
            "shared": n,
            "same": same[other],
            "share": round(100 * same[other] / n),
        }
        for other, n in shared.items()
        if n >= minimum
    ]
    most = sorted(scored, key=lambda r: (-r["share"], -r["shared"], r["name"]))[:limit]
    listed = {r["code"] for r in most}
    least = sorted(
        (r for r in scored if r["code"] not in listed),
        key=lambda r: (r["share"], -r["shared"], r["name"]),
    )[:limit]
    return most, least


# Session page -----------------------------------------------------------------------


def session_with_statements(treaty_slug, number):
    session = get_object_or_404(
        Session.objects.select_related("treaty"),
        treaty__slug=treaty_slug,
        number=number,
    )
    statements = list(
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
    return session, statements


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


def who_moved(session, previous):
    """Changes from the previous session to this one, grouped by provision."""
    params = matrix_selectors.matrix_params_from_query(
        session.treaty.slug, _query(session=session.number)
    )
    changes = matrix_selectors.matrix_changes(params, previous.number, session.number)
    provisions = Provision.objects.in_bulk({c["provision"] for c in changes})
    actors = {
        a.code: a for a in Actor.objects.filter(code__in={c["actor"] for c in changes})
    }
    grouped = defaultdict(list)
    for change in changes:
        grouped[change["provision"]].append(
            {**change, "actor": actors[change["actor"]]}
        )
    ordered = sorted(
        grouped, key=lambda pid: (provisions[pid].order, provisions[pid].id)
    )
    return [
        (provisions[pid], sorted(grouped[pid], key=lambda c: c["actor"].name))
        for pid in ordered
    ], len(changes)


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
