"""Every read at UN scale through gunicorn, single-client and under load, each beside
its floor: the same bytes served as a static file by the same gunicorn in the run."""

import statistics
from dataclasses import dataclass

from tests.bench import load
from tests.bench.report import ms, size
from tests.bench.server import READ_TIMEOUT, fetch, write_floor_file
from tests.bench.setup import READ_RUNS

TARGET_MS = 100  # every page and list, p50 single-client
WHOLE_MATRIX_RATIO = 1.5  # the whole matrix against its static floor
SLICE_TARGET_MS = 20


@dataclass
class Read:
    label: str
    path: str
    target_ms: float | None = TARGET_MS
    target_ratio: float | None = None
    seconds: float = 0.0
    floor_seconds: float = 0.0
    body: bytes = b""
    status: int = 0
    floor_path: str = ""
    first_seconds: float = 0.0
    gzipped: bytes = b""
    gzip_floor_path: str = ""


GZIP = {"Accept-Encoding": "gzip"}


def choose_reads(treaty):
    """The reads of issue 15, on the UN-scale treaty's largest or busiest objects."""
    from urllib.parse import urlencode

    chapter = _largest_chapter(treaty)
    group = _largest_group(treaty)
    provision = _most_discussed_provision(treaty)
    active = _most_active_actors(treaty, 6)
    session = treaty.sessions.exclude(status="scheduled").order_by("-number")[0]
    t = treaty.slug
    statements_deep, statements_after = _deep_page("statement", treaty)
    positions_deep, positions_after = _deep_page("position", treaty)
    compare = urlencode({"actors": ",".join(active)})
    return [
        Read("home", "/"),
        Read("treaty page", f"/t/{t}/"),
        Read(
            f"matrix page, chapter {chapter.number}",
            f"/t/{t}/matrix/?chapter={chapter.id}",
        ),
        Read(
            f"provision page {provision.slug} ({provision.n:,} positions)",
            f"/t/{t}/provisions/{provision.slug}/",
        ),
        Read(
            f"actor page {active[0]} (most statements)",
            f"/actors/{active[0]}/?treaty={t}",
        ),
        Read(f"session page {session.number}", f"/t/{t}/sessions/{session.number}/"),
        Read("compare, 6 actors", f"/t/{t}/compare/?{compare}"),
        Read("search 'statement'", "/search/?q=statement"),
        Read("API statements, page 1", f"/api/v1/statements/?treaty={t}"),
        Read(
            f"API statements, page {statements_deep} by number",
            f"/api/v1/statements/?treaty={t}&page={statements_deep}",
        ),
        Read(
            f"API statements, page {statements_deep} by its next link",
            f"/api/v1/statements/?treaty={t}&page={statements_deep}"
            f"&after={statements_after}",
        ),
        Read("API positions, page 1", "/api/v1/positions/"),
        Read(
            f"API positions, page {positions_deep} by number",
            f"/api/v1/positions/?page={positions_deep}",
        ),
        Read(
            f"API positions, page {positions_deep} by its next link",
            f"/api/v1/positions/?page={positions_deep}&after={positions_after}",
        ),
        Read(
            "API matrix, whole (kind=all)",
            f"/api/v1/matrix/?treaty={t}&kind=all",
            target_ms=None,
            target_ratio=WHOLE_MATRIX_RATIO,
        ),
        Read(
            f"API matrix, {group[0].slug} ({group[1]} actors) × chapter "
            f"{chapter.number} ({chapter.n} provisions)",
            f"/api/v1/matrix/?treaty={t}&group={group[0].slug}&chapter={chapter.id}",
            target_ms=SLICE_TARGET_MS,
        ),
    ]


def _largest_chapter(treaty):
    from django.db.models import Count

    return treaty.chapters.annotate(n=Count("provisions")).order_by("-n", "order")[0]


def _largest_group(treaty):
    """(group, members on the current session's start) with the most members."""
    from states.models import Group, Membership

    session = treaty.sessions.exclude(status="scheduled").order_by("-number").first()
    counts = [
        (g, Membership.objects.covering(session.start_date).filter(group=g).count())
        for g in Group.objects.all()
    ]
    return max(counts, key=lambda gc: (gc[1], gc[0].slug))


def _most_discussed_provision(treaty):
    from django.db.models import Count

    return treaty.provisions.annotate(n=Count("positions")).order_by("-n", "id")[0]


def _most_active_actors(treaty, n):
    from django.db.models import Count

    from states.models import Actor

    actors = Actor.objects.filter(
        statements__session__treaty=treaty, statements__status="published"
    )
    top = actors.annotate(n=Count("statements")).order_by("-n", "code")[:n]
    return [a.code for a in top]


def _deep_page(model, treaty):
    """(a page near the end of the published list, the id its `next` link of the
    page before gives as `after`): the last full page."""
    from states.models import Position, Statement

    if model == "statement":
        rows = Statement.objects.published().filter(session__treaty=treaty)
    else:
        rows = Position.objects.published()
    count = rows.count()
    page = max(2, count // 100)
    after = rows.order_by("id").values_list("id", flat=True)[(page - 1) * 100 - 1]
    return page, after


def learn_sizes(port, reads, static_root):
    """One GET of each read (its bytes, and a warm-up); the floor files from them.

    WhiteNoise finds files at start-up: the caller starts a new gunicorn after.
    """
    for number, read in enumerate(reads):
        try:
            read.status, read.body, read.first_seconds = fetch(port, read.path)
        except TimeoutError:
            read.status = f"no answer in {READ_TIMEOUT:g} s"
            continue
        read.floor_path = write_floor_file(static_root, str(number), read.body)
    whole = _whole_matrix(reads)
    status, whole.gzipped, _ = fetch(port, whole.path, GZIP)
    whole.gzip_floor_path = write_floor_file(static_root, "gzip", whole.gzipped)


def measure(port, reads):
    """READ_RUNS timed GETs of each read after a warm-up, then of its floor file."""
    for read in reads:
        if read.status != 200:
            continue
        fetch(port, read.path)
        read.seconds = _median(port, read.path)
        status, body, _ = fetch(port, read.floor_path)
        if status != 200 or len(body) != len(read.body):
            raise RuntimeError(f"floor {read.floor_path}: HTTP {status}, {len(body)} B")
        read.floor_seconds = _median(port, read.floor_path)


def _median(port, path, headers=None):
    return statistics.median(fetch(port, path, headers)[2] for _ in range(READ_RUNS))


def _whole_matrix(reads):
    return next(r for r in reads if r.target_ratio is not None)


def report_compression(report, port, reads, static_root):
    """The whole matrix with Accept-Encoding: gzip, beside its compressed bytes."""
    whole = _whole_matrix(reads)
    status, body, _ = fetch(port, whole.path, GZIP)
    seconds = _median(port, whole.path, GZIP)
    floor = _median(port, whole.gzip_floor_path)
    report.add(
        f"API matrix, whole, gzip: {size(len(body))} (of {size(len(whole.body))})",
        ms(seconds),
        floor=ms(floor),
        ratio=f"{seconds / floor:.1f}",
    )
    report.add(
        "API matrix, whole: first read after the build (gunicorn warm-up)",
        ms(whole.first_seconds),
    )


def report_single(report, reads):
    report.section(
        f"single client, to the last byte, median of {READ_RUNS} "
        "(floor: the same bytes as a static file)"
    )
    for read in reads:
        if read.status != 200:
            status = read.status
            text = status if isinstance(status, str) else f"HTTP {status}"
            report.add(read.label, text, met=False)
            continue
        ratio = read.seconds / read.floor_seconds if read.floor_seconds else 0
        target, met = "", None
        if read.target_ms is not None:
            target, met = (
                f"≤ {read.target_ms} ms",
                read.seconds * 1000 <= read.target_ms,
            )
        if read.target_ratio is not None:
            target = f"≤ {read.target_ratio} × floor"
            met = ratio <= read.target_ratio
        report.add(
            f"{read.label} ({size(len(read.body))})",
            ms(read.seconds),
            target,
            met,
            floor=ms(read.floor_seconds),
            ratio=f"{ratio:.1f}",
        )


def report_load(report, port, reads):
    report.section(
        f"under load: {load.USERS} clients, {load.SECONDS:g} s per URL "
        f"(floor: its static file, {load.FLOOR_SECONDS:g} s), requests/s, p50, p99"
    )
    for read in reads:
        if read.status != 200:
            continue
        under = load.run_load(port, [read.path])
        floor = load.run_load(port, [read.floor_path], seconds=load.FLOOR_SECONDS)
        ratio = floor.per_second / under.per_second if under.per_second else 0
        report.add(
            f"{read.label}, {under.requests:,} requests, errors {under.failures}",
            under.text(),
            "no error",
            under.failures == 0,
            floor=floor.text(),
            ratio=f"{ratio:.1f}",
        )
