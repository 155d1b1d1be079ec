"""The provision page: its texts across drafts, quotes by stance, stances by region
and by session."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404

from pages import charts, tilemap
from provisions.models import Provision, ProvisionText, Session
from states import stances
from states.matrix import read as matrix_read
from states.models import (
    Actor,
    Group,
    Membership,
    Position,
)

QUOTES_PER_STANCE = 25


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
        .prefetch_related(
            "statement__sources",
            Prefetch(
                "statement__co_signers", queryset=Actor.objects.only("code", "name")
            ),
            Prefetch(
                "statement__supporters", queryset=Actor.objects.only("code", "name")
            ),
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
    return [(s, grouped[s], totals[s]) for s in stances.ORDER if grouped[s]]


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
        totals[group][cell["stance"] if cell else stances.NO_POSITION] += 1
    return [(name, charts.stance_bar(totals[name])) for name in sorted(totals)]


@dataclass(frozen=True)
class StanceMap:
    """The member states coloured by their stance on one provision, and the same
    as a list for readers who cannot see the map."""

    map: tilemap.TileMap
    by_stance: list  # [(stance, label, [(code, name)])], in legend order


def stance_map(view, provision_id):
    """Every UN member state among the matrix's rows by its stance on the provision
    (no query: the view is already read). A state with no cell has no position."""
    members = [
        (actor["code"], actor["name"])
        for actor in view.actors
        if actor["kind"] == Actor.Kind.MEMBER_STATE
    ]

    def stance_of(code):
        cell = view.cells.get((code, provision_id))
        return cell["stance"] if cell else stances.NO_POSITION

    labels = {s: stances.LABELS[s] for s in stances.WITH_NO_POSITION}
    named = defaultdict(list)
    for code, name in sorted(members, key=lambda m: m[1]):
        named[stance_of(code)].append((code, name))
    return StanceMap(
        map=tilemap.tile_map(members, stance_of, labels),
        by_stance=[(s, label, named[s]) for s, label in labels.items()],
    )


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
    counts = matrix_read.stance_counts_by_session(
        treaty,
        numbers,
        Actor.objects.filter(kind__in=Actor.PARTY_KINDS).values("id"),
        provision_id,
    )
    series = [(f"S{number}", counts[number]) for number in numbers]
    return charts.trend_chart(series)


def label_trail(texts):
    """The distinct labels in draft order ("Article 5" → "Article 6")."""
    trail = []
    for text in texts:
        if not trail or trail[-1] != text.label:
            trail.append(text.label)
    return trail
