"""The matrix page: the heatmap's chapter bands, rows of cells and their evidence."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse

from pages.selectors.shared import (
    chapter_bands,
    chapters_by_id,
)
from provisions.models import Chapter, Provision, Session
from states import stances
from states.models import (
    Actor,
    Group,
    Position,
    Statement,
    StatementSource,
    Verification,
)

PAGE_STANCE_VALUES = (*stances.ORDER, "none")
# Past this many cells the matrix page shows one chapter at a time.
MAX_MATRIX_CELLS = 30_000


def _ids_filter(ids):
    """`id IN ids`; on PostgreSQL one array parameter, because planning an IN list
    of a large chapter's ids took longer than running it."""
    ids = sorted(set(ids))
    if connection.vendor == "postgresql":
        return Q(id__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return Q(id__in=ids)


VERIFICATION_LABELS = dict(Verification.choices)
SOURCE_KIND_LABELS = dict(StatementSource.Kind.choices)


def evidence_for_positions(position_ids):
    """Evidence for the given positions, in three queries: {"positions": {id: [stance,
    quote, statement id, wants]}, "statements": {id: {...}}}.

    Statements are shared by many positions (a chapter at UN scale: 5,800 positions
    of 1,600 statements), so they are read and listed once, apart: joining them to
    every position read each statement's columns and its first source again per
    position, which took more than twice as long.
    """
    positions = {
        pk: [stance, quote, statement_id, wants]
        for pk, stance, quote, statement_id, wants in Position.objects.filter(
            _ids_filter(position_ids)
        )
        .values_list("id", "stance", "quote", "statement_id", "wants")
        .order_by()
    }
    statement_ids = {statement_id for _, _, statement_id, _ in positions.values()}
    return {"positions": positions, "statements": _evidence_statements(statement_ids)}


def _evidence_statements(statement_ids):
    if not statement_ids:
        return {}
    rows = (
        Statement.objects.filter(_ids_filter(statement_ids))
        .values(
            "id",
            "title",
            "verification",
            "also_for",
            source=F("source_url"),
            date_or_start=Coalesce("date", "session__start_date"),
            # The first source's kind (official record, NGO report, …): the
            # source_url is always the first source.
            source_kind=Subquery(
                StatementSource.objects.filter(statement_id=OuterRef("id"))
                .order_by("order", "id")
                .values("kind")[:1]
            ),
            symbol=F("document_symbol"),
            speaker=F("actor__name"),
            speaker_code=F("actor__code"),
            on_behalf_of_name=F("on_behalf_of__name"),
            session_number=F("session__number"),
            session_title=F("session__title"),
        )
        .order_by()
    )
    statements = {
        row["id"]: {
            "title": row["title"],
            "date": row["date_or_start"].isoformat(),
            "source": row["source"],
            "source_kind": SOURCE_KIND_LABELS.get(row["source_kind"], ""),
            "symbol": row["symbol"],
            "speaker": row["speaker"],
            "speaker_code": row["speaker_code"],
            "also_for": row["also_for"],
            "co_signers": [],
            "supporters": [],
            "co_signer_names": [],
            "supporter_names": [],
            "on_behalf_of": row["on_behalf_of_name"],
            "session": row["session_number"],
            "session_title": row["session_title"],
            "verification": VERIFICATION_LABELS[row["verification"]],
        }
        for row in rows
    }
    _add_roles(statements)
    return statements


# Where each role's names go beside its codes in a statement's evidence.
ROLE_NAMES = {"co_signers": "co_signer_names", "supporters": "supporter_names"}


def _add_roles(statements):
    """The codes and names of each statement's co-signers and supporters, so that a
    direct cell's evidence says what part its actor took (speaker, co-signer or
    supporter) and names them all as the provision page does, whichever of them is
    shown as a row. One query for both roles, in name order as on that page."""
    ids = list(statements)
    fields = ("statement_id", "actor__code", "actor__name")
    co_signers = Statement.co_signers.through.objects.filter(
        statement_id__in=ids
    ).values_list(*fields, Value("co_signers"))
    supporters = Statement.supporters.through.objects.filter(
        statement_id__in=ids
    ).values_list(*fields, Value("supporters"))
    rows = co_signers.union(supporters, all=True).order_by("actor__name")
    for statement_id, code, name, role in rows:
        statement = statements[statement_id]
        statement[role].append(code)
        statement[ROLE_NAMES[role]].append(name)


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
    chapters = chapters_by_id(view.provisions)
    bands = chapter_bands(view.provisions, lambda p: chapters.get(p["chapter_id"]))
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
    rows = sum(totals.get(k, 0) for k in (*stances.ORDER, stances.NO_POSITION))
    return [
        (s, round(100 * totals.get(s, 0) / rows, 1) if rows else 0, totals.get(s, 0))
        for s in stances.ORDER
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
        "stances": [(s, stances.LABELS[s]) for s in stances.ORDER]
        + [("none", "No information")],
    }
