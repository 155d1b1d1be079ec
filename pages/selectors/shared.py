"""What several page selectors share: the matrix as a page asks for it, the current
session, chapter bands and one page of a list."""

import hashlib
from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import QueryDict

from common.errors import ParameterError
from provisions.models import Chapter, Provision, Session
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read
from states.models import Actor, MatrixState, Position, Statement, Verification


def _last_edit(records):
    return records.order_by("-updated_at").values("updated_at")[:1]


def cache_key_of_build(kind, treaty, *parts):
    """A cache key for what a page reads off the treaty's snapshots, naming what it
    depends on, in one query: the build readers use (generation, build count) and
    the last edit of an actor or of a provision of the treaty (names, titles, order,
    kind), beside `parts`. None before the first build.

    A result read off the snapshots only changes when a build lands, which a page
    cannot wait for: kept under this key, it is computed once per build.
    """
    stamps = (
        MatrixState.objects.filter(treaty_id=treaty.pk)
        .annotate(
            actors=Subquery(_last_edit(Actor.objects.all())),
            provisions=Subquery(
                _last_edit(Provision.objects.filter(treaty_id=OuterRef("treaty_id")))
            ),
        )
        .values_list("generation", "build_count", "actors", "provisions")
        .first()
    )
    if stamps is None:
        return None
    # The treaty's creation too: a test database made again reuses its ids.
    named = [treaty.pk, treaty.created_at, *parts, *stamps]
    digest = hashlib.sha1("/".join(map(str, named)).encode(), usedforsecurity=False)
    return f"{kind}:{digest.hexdigest()}"


def matrix_query(**params):
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
    query = matrix_query(**params)
    return matrix_read.matrix_view(
        matrix_params.matrix_params_from_query(treaty_slug, query)
    )


def current_session(treaty):
    """The session the current matrix is as of: the highest started one, or None."""
    return (
        Session.objects.with_snapshot()
        .filter(treaty=treaty)
        .order_by("-number")
        .first()
    )


def one_page(queryset, page_number, per_page):
    """One page of `queryset`; a bad page number is a ParameterError (→ 400)."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number or 1)
    except InvalidPage as error:
        raise ParameterError("page", str(error)) from None


def chapter_bands(items, chapter_of):
    """[(chapter, [item, …])]: runs of consecutive items (in reading order) that
    `chapter_of` puts in the same chapter."""
    return [(chapter, list(run)) for chapter, run in groupby(items, key=chapter_of)]


def chapters_by_id(provisions):
    """{id: Chapter} for the chapters of provision dicts (as the matrix reads
    them), in one query."""
    return Chapter.objects.in_bulk(
        {p["chapter_id"] for p in provisions if p["chapter_id"]}
    )


@dataclass(frozen=True)
class PositionNote:
    """What readers are told beside a stance from the matrix: what the actor wants
    instead, how well its statement is verified, and whose statement it was (a
    co-signer or supporter holds the stance of another actor's statement)."""

    wants: str
    verification: str
    speaker_code: str
    speaker_name: str
    role: str = ""  # for `actor`: "speaker", "co_signer", "supporter" or ""

    @property
    def verification_label(self):
        return Verification(self.verification).label


def _role(row, actor):
    """How `actor` took part in the statement of a position_notes row."""
    if actor is None:
        return ""
    if row["statement__actor_id"] == actor.pk:
        return "speaker"
    if row["co_signed"]:
        return "co_signer"
    if row["supported"]:
        return "supporter"
    return ""


def position_notes(position_ids, actor=None):
    """{position id: PositionNote} in one query; with `actor`, each note says how
    that actor took part in the statement (speaker, co-signer or supporter)."""
    ids = {pid for pid in position_ids if pid}
    if not ids:
        return {}
    positions = Position.objects.filter(id__in=ids)
    if actor is not None:
        statement = OuterRef("statement_id")
        positions = positions.annotate(
            co_signed=Exists(
                Statement.co_signers.through.objects.filter(
                    statement_id=statement, actor_id=actor.pk
                )
            ),
            supported=Exists(
                Statement.supporters.through.objects.filter(
                    statement_id=statement, actor_id=actor.pk
                )
            ),
        )
    # Plain rows, not model instances: a UN-scale compare reads ~3,000 positions,
    # and building deferred-field instances of them cost more than the query.
    fields = [
        "pk",
        "wants",
        "statement__verification",
        "statement__actor_id",
        "statement__actor__code",
        "statement__actor__name",
    ]
    if actor is not None:
        fields += ["co_signed", "supported"]
    notes = {}
    for row in positions.values(*fields):
        notes[row["pk"]] = PositionNote(
            wants=row["wants"],
            verification=row["statement__verification"],
            speaker_code=row["statement__actor__code"],
            speaker_name=row["statement__actor__name"],
            role=_role(row, actor),
        )
    return notes
