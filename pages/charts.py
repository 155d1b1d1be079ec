"""Small charts drawn by our own code: plain dataclasses that templates turn into SVG.

Geometry is computed here so templates only place shapes; each chart also carries the
numbers as text for its accessible description (`<title>` and a visually-hidden table).
"""

from dataclasses import dataclass, field

from states import stances


def legend(keys=stances.WITH_NO_POSITION):
    """[(stance, label, symbol)] for a legend, in display order."""
    return [(key, stances.LABELS[key], stances.SYMBOLS[key]) for key in keys]


@dataclass(frozen=True)
class Segment:
    stance: str
    label: str
    symbol: str
    count: int
    x: float
    width: float
    percent: int


@dataclass(frozen=True)
class StanceBar:
    """A horizontal bar split by stance, with counts for its text alternative."""

    segments: list[Segment]
    total: int
    width: int
    height: int

    @property
    def description(self):
        parts = [f"{s.label}: {s.count}" for s in self.segments]
        return "; ".join(parts) + f" (of {self.total})"


def stance_bar(totals, *, width=320, height=16, with_no_position=True):
    """Bar for a totals dict {stance: count} such as a matrix view's totals."""
    keys = stances.ORDER + ((stances.NO_POSITION,) if with_no_position else ())
    total = sum(totals.get(k, 0) for k in keys)
    segments, x = [], 0.0
    for key in keys:
        count = totals.get(key, 0)
        share = count / total if total else 0
        segments.append(
            Segment(
                stance=key,
                label=stances.LABELS[key],
                symbol=stances.SYMBOLS[key],
                count=count,
                x=round(x, 2),
                width=round(share * width, 2),
                percent=round(share * 100),
            )
        )
        x += share * width
    return StanceBar(segments=segments, total=total, width=width, height=height)


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    rects: list[tuple[str, float, float, int]]  # (stance, y, height, count)
    counts: dict = field(default_factory=dict)
    total: int = 0
    top: float = 0.0  # y of the column's top, for its total label


@dataclass(frozen=True)
class TrendChart:
    """Stacked columns, one per session, of the number of actors with each stance."""

    columns: list[Column]
    width: int
    height: int
    plot_height: int
    column_width: float
    max_total: int
    stances: tuple = stances.ORDER

    @property
    def description(self):
        if not self.columns:
            return "No session has a matrix yet."
        parts = []
        for column in self.columns:
            counts = ", ".join(
                f"{stances.LABELS[s].lower()} {column.counts.get(s, 0)}"
                for s in self.stances
            )
            parts.append(f"{column.label}: {counts}")
        return "; ".join(parts)

    @property
    def legend(self):
        return legend(self.stances)


def trend_chart(series, *, width=360, height=150, label_height=18, top_margin=14):
    """Chart for [(label, totals)] in session order; stances only (no 'no info')."""
    plot_height = height - label_height
    usable = plot_height - top_margin
    count = max(len(series), 1)
    slot = width / count
    column_width = min(slot * 0.7, 48)
    max_total = max(
        (sum(t.get(s, 0) for s in stances.ORDER) for _, t in series), default=0
    )
    columns = []
    for index, (label, totals) in enumerate(series):
        x = index * slot + (slot - column_width) / 2
        rects, y = [], float(plot_height)
        for stance in stances.ORDER:
            n = totals.get(stance, 0)
            h = (n / max_total * usable) if max_total else 0
            y -= h
            rects.append((stance, round(y, 2), round(h, 2), n))
        columns.append(
            Column(
                label=label,
                x=round(x, 2),
                rects=[r for r in rects if r[2] > 0],
                counts={s: totals.get(s, 0) for s in stances.ORDER},
                total=sum(totals.get(s, 0) for s in stances.ORDER),
                top=round(y, 2),
            )
        )
    return TrendChart(
        columns=columns,
        width=width,
        height=height,
        plot_height=plot_height,
        column_width=round(column_width, 2),
        max_total=max_total,
    )
