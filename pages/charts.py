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


# Cumulative counts over time (the treaty status page) ----------------------------


@dataclass(frozen=True)
class CumulativeSeries:
    key: str
    label: str
    path: str  # an SVG step path
    total: int
    steps: list  # [(date, count after it)] for the text alternative


@dataclass(frozen=True)
class CumulativeChart:
    series: list
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    max_count: int
    x_ticks: list  # [(x, label)]
    y_ticks: list  # [(y, count)]

    @property
    def description(self):
        parts = []
        for s in self.series:
            steps = ", ".join(f"{n} by {d:%-d %b %Y}" for d, n in s.steps) or "none"
            parts.append(f"{s.label}: {steps}")
        return "; ".join(parts)


def _nice_max(value):
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500):
        if value <= step * 5:
            return max(step, -(-value // step) * step), step
    return value, max(value // 5, 1)


def cumulative_chart(events, labels, *, start, end, width=560, height=190):
    """Step lines of how many actors had done each thing by each day.

    `events` is {key: [date, …]} (one date per actor), `labels` {key: words} in
    legend order; the x axis runs from `start` to `end` (dates).
    """
    left, bottom, top, right = 34, height - 22, 10, 8
    span = max((end - start).days, 1)
    counts = [len(events.get(key, [])) for key in labels]
    max_count, step = _nice_max(max(counts + [1]))

    def x_of(day):
        return round(left + (day - start).days / span * (width - left - right), 2)

    def y_of(n):
        return round(bottom - n / max_count * (bottom - top), 2)

    series = []
    for key, label in labels.items():
        dates = sorted(d for d in events.get(key, []) if start <= d <= end)
        path, steps, n = [f"M{x_of(start)},{y_of(0)}"], [], 0
        for day in sorted(set(dates)):
            n += dates.count(day)
            path.append(f"H{x_of(day)}V{y_of(n)}")
            steps.append((day, n))
        path.append(f"H{x_of(end)}")
        series.append(
            CumulativeSeries(
                key=key, label=label, path="".join(path), total=n, steps=steps
            )
        )
    years = range(start.year + 1, end.year + 1)
    x_ticks = [(x_of(start), f"{start:%b %Y}")]
    x_ticks += [
        (x_of(day), str(day.year))
        for day in (start.replace(year=y, month=1, day=1) for y in years)
        if (day - start).days > span / 8 and (end - day).days > span / 8
    ]
    x_ticks.append((x_of(end), f"{end:%b %Y}"))
    y_ticks = [(y_of(n), n) for n in range(0, max_count + 1, step)]
    return CumulativeChart(
        series=series,
        width=width,
        height=height,
        plot_left=left,
        plot_bottom=bottom,
        max_count=max_count,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
