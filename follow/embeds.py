"""What the embeds show: a provision's stance summary and a small matrix slice,
read from the materialized matrix like the pages, and a treaty's status counter,
from its published treaty actions like the status page."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from common.errors import ParameterError
from follow.cards import _matrix
from provisions.models import Provision, Treaty
from states import stances
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read
from states.treaty_status import treaty_status

# An embed is a glance, not the matrix: larger slices are refused (400) with a link
# to the full page.
MAX_SLICE_CELLS = 600


@dataclass
class StanceSegment:
    stance: str
    label: str
    symbol: str
    count: int
    percent: int
    x: float = 0.0
    width: float = 0.0


@dataclass
class StanceBar:
    """What templates/includes/stance_bar.html draws."""

    segments: list
    width: int = 320
    height: int = 16

    @property
    def description(self):
        return ", ".join(f"{s.label} {s.count}" for s in self.segments)


def stance_summary(treaty, slug):
    """(provision, view or None, StanceBar) for the provision's embed."""
    provision = get_object_or_404(
        Provision.objects.select_related("treaty"), treaty__slug=treaty, slug=slug
    )
    view = _matrix(treaty, provision=[str(provision.pk)])
    totals = (view.totals or {}).get(provision.pk, {}) if view else {}
    total = sum(totals.values()) or 1
    segments = [
        StanceSegment(
            stance=s,
            label=stances.LABELS[s],
            symbol=stances.SYMBOLS[s],
            count=totals.get(s, 0),
            percent=round(100 * totals.get(s, 0) / total),
        )
        for s in stances.WITH_NO_POSITION
    ]
    bar = StanceBar(segments)
    x = 0.0
    for segment in segments:
        segment.x = round(x, 2)
        segment.width = round(bar.width * segment.count / total, 2)
        x += segment.width
    return provision, view, bar


def matrix_slice(treaty, query):
    """The matrix view for the API's parameters; ParameterError when bad or when
    the slice is larger than MAX_SLICE_CELLS."""
    params = matrix_params.matrix_params_from_query(treaty, query)
    frame = matrix_read.matrix_frame(params)
    cells = len(frame.actors) * len(frame.provisions)
    if cells > MAX_SLICE_CELLS:
        raise ParameterError(
            "provision",
            f"This slice has {cells} cells; an embed shows at most {MAX_SLICE_CELLS}."
            " Narrow it with provision=, actor=, group= or chapter=.",
        )
    view = matrix_read.matrix_view(params)
    rows = []
    for actor in view.actors:
        cells = [view.cells.get((actor["code"], p["id"])) for p in view.provisions]
        rows.append(
            (actor, [(c, stances.SYMBOLS[c["stance"]]) if c else None for c in cells])
        )
    return view, rows


@dataclass(frozen=True)
class StatusCounter:
    treaty: Treaty
    status: object  # states.treaty_status.TreatyStatus
    # The progress bar's fill out of PROGRESS_WIDTH, capped at the full width.
    fill: int

    PROGRESS_WIDTH = 400

    @property
    def signatory_count(self):
        return len(self.status.signatories)

    @property
    def party_count(self):
        return len(self.status.parties)


def status_counter(treaty):
    """The StatusCounter of the treaty with slug `treaty` (2 queries)."""
    treaty = get_object_or_404(Treaty, slug=treaty)
    status = treaty_status(treaty)
    threshold = status.threshold or 0
    fill = (
        min(
            StatusCounter.PROGRESS_WIDTH,
            round(StatusCounter.PROGRESS_WIDTH * status.counted_count / threshold),
        )
        if threshold
        else 0
    )
    return StatusCounter(treaty=treaty, status=status, fill=fill)
