"""Share cards: a 1200×630 PNG per provision, actor, group and treaty, drawn with
Pillow (its wheel bundles FreeType and a font: no system package) and cached per
matrix build, since the stances they show change only when a matrix is rebuilt."""

import io
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from PIL import Image, ImageDraw, ImageFont

from common.errors import ParameterError
from provisions.models import Provision, Session, Treaty
from states import stances
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read
from states.models import Actor, Group, MatrixState, Membership, Statement, Status

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
CACHE_SECONDS = 60 * 60 * 24
# Bumped when the drawing changes, so cached cards are redrawn.
CARD_VERSION = 2
# The site's stance colours (static/css/site.css), colour-blind safe.
COLOURS = {
    stances.SUPPORT: "#1f6fb2",
    stances.SUPPORT_WITH_CHANGES: "#9cc9ea",
    stances.UNDECIDED: "#e9dca6",
    stances.OPPOSE: "#d1560b",
    stances.NO_POSITION: "#e6e8ec",
}
INK, MUTED, PAPER, ACCENT = "#1b2130", "#586173", "#faf9f6", "#1f5fa8"


@dataclass
class Card:
    eyebrow: str
    title: str
    lines: list = field(default_factory=list)  # smaller text under the title
    counts: dict | None = None  # stance → count, for the bar
    footer: str = ""


# What each card shows -----------------------------------------------------------


def _matrix(treaty_slug, **params):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    try:
        return matrix_read.matrix_view(
            matrix_params.matrix_params_from_query(treaty_slug, query)
        )
    except ParameterError:  # no started session yet: nothing to count
        return None


def provision_card(treaty, slug):
    provision = get_object_or_404(
        Provision.objects.select_related("treaty"), treaty__slug=treaty, slug=slug
    )
    view = _matrix(treaty, provision=[str(provision.pk)])
    counts = view.totals.get(provision.pk) if view and view.totals else None
    return Card(
        eyebrow=f"{provision.treaty.short_title or provision.treaty} · "
        f"{provision.get_kind_display()}",
        title=provision.title,
        lines=[provision.proposition],
        counts=counts,
        footer=f"As of {view.session.title}" if view else "",
    )


def actor_card(code):
    actor = get_object_or_404(Actor, code=code.upper())
    treaty = (
        Treaty.objects.filter(sessions__statements__actor=actor)
        .annotate(n=Count("sessions__statements"))
        .order_by("-n", "slug")
        .first()
    )
    counts, footer = None, ""
    if treaty is not None:
        view = _matrix(treaty.slug, kind="all", actor=[actor.code])
        if view is not None:
            counts = {s: 0 for s in stances.ORDER}
            for cell in view.cells.values():
                counts[cell["stance"]] += 1
            counts[stances.NO_POSITION] = len(view.provisions) - len(view.cells)
            footer = f"{treaty.short_title or treaty} · as of {view.session.title}"
    statements = Statement.objects.filter(actor=actor, status=Status.PUBLISHED).count()
    return Card(
        eyebrow=f"{actor.get_kind_display()} · {actor.code}",
        title=actor.name,
        lines=[f"{statements} published statement{'s' if statements != 1 else ''}"],
        counts=counts,
        footer=footer,
    )


def group_card(slug):
    group = get_object_or_404(Group, slug=slug)
    members = Membership.objects.filter(group=group, end_date__isnull=True).count()
    return Card(
        eyebrow=group.get_kind_display(),
        title=group.name,
        lines=[f"{members} current member{'s' if members != 1 else ''}"],
    )


def treaty_card(treaty):
    treaty = get_object_or_404(Treaty, slug=treaty)
    sessions = Session.objects.filter(treaty=treaty).count()
    provisions = Provision.objects.filter(treaty=treaty).count()
    statements = Statement.objects.filter(
        session__treaty=treaty, status=Status.PUBLISHED
    ).count()
    return Card(
        eyebrow=treaty.negotiating_body or "Treaty negotiation",
        title=treaty.title,
        lines=[
            f"{sessions} sessions · {provisions} provisions · "
            f"{statements} published statements"
        ],
    )


def site_card():
    return Card(
        eyebrow="Treaty Tracker",
        title="Who supports what in treaty negotiations",
        lines=["A sourced public record: every position links to its source."],
    )


def build_stamp():
    """Changes whenever any matrix is rebuilt: the cards' cache key. The time of the
    last build is part of it, so a database restored or recreated with the same
    counts does not meet the cards of another."""
    stamp = MatrixState.objects.aggregate(n=Sum("build_count"), at=Max("built_at"))
    at = stamp["at"].timestamp() if stamp["at"] else 0
    return f"{CARD_VERSION}-{stamp['n'] or 0}-{at}"


def card_png(kind, *key):
    """The PNG bytes of a card, from the cache when this matrix build drew it."""
    cache_key = f"card:{kind}:{'/'.join(key)}:{build_stamp()}"
    png = cache.get(cache_key)
    if png is None:
        png = draw(_BUILDERS[kind](*key))
        cache.set(cache_key, png, CACHE_SECONDS)
    return png


_BUILDERS = {
    "provision": provision_card,
    "actor": actor_card,
    "group": group_card,
    "treaty": treaty_card,
    "site": site_card,
}


# Drawing ------------------------------------------------------------------------


def _font(size):
    return ImageFont.load_default(size=size)


def _wrap(draw, text, font, width, max_lines):
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return lines


def _fit(draw, text, font, width):
    """`text` on one line of at most `width` pixels, cut at a word with "…" (a
    long session title or negotiating body ran off the card or over the footer)."""
    if draw.textlength(text, font=font) <= width:
        return text
    words = text.split()
    while words and draw.textlength(" ".join(words) + "…", font=font) > width:
        words.pop()
    return (" ".join(words).rstrip(".,;:· ") + "…") if words else "…"


def _stance_bar(draw, counts, top):
    total = sum(counts.get(s, 0) for s in stances.WITH_NO_POSITION)
    if not total:
        return top
    x, width = MARGIN, WIDTH - 2 * MARGIN
    for stance in stances.WITH_NO_POSITION:
        n = counts.get(stance, 0)
        if not n:
            continue
        w = round(width * n / total)
        draw.rectangle(
            [x, top, min(x + w, MARGIN + width), top + 44], fill=COLOURS[stance]
        )
        x += w
    legend_font = _font(26)
    x, y = MARGIN, top + 60
    for stance in stances.WITH_NO_POSITION:
        n = counts.get(stance, 0)
        if not n:
            continue
        # Labels, not the site's symbols: the bundled font has no ✚ or ✖.
        label = f"{stances.LABELS[stance]}: {n}"
        width = 28 + draw.textlength(label, font=legend_font)
        if x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + 36
        draw.rectangle([x, y + 4, x + 20, y + 24], fill=COLOURS[stance], outline=MUTED)
        draw.text((x + 28, y), label, font=legend_font, fill=INK)
        x += width + 24
    return y + 40


def draw(card):
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 0, WIDTH, 14], fill=ACCENT)
    eyebrow_font = _font(30)
    eyebrow = _fit(pen, card.eyebrow, eyebrow_font, WIDTH - 2 * MARGIN)
    pen.text((MARGIN, 44), eyebrow, font=eyebrow_font, fill=MUTED)
    y = 96
    title_font = _font(64)
    for line in _wrap(pen, card.title, title_font, WIDTH - 2 * MARGIN, 2):
        pen.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 76
    text_font = _font(32)
    for text in card.lines:
        for line in _wrap(pen, text, text_font, WIDTH - 2 * MARGIN, 3):
            pen.text((MARGIN, y + 10), line, font=text_font, fill=INK)
            y += 42
    if card.counts:
        _stance_bar(pen, card.counts, max(y + 30, 400))
    footer_font = _font(28)
    brand = "Treaty Tracker"
    pen.text((MARGIN, HEIGHT - 64), brand, font=footer_font, fill=ACCENT)
    if card.footer:
        # Right-aligned beside the brand, never over it.
        room = WIDTH - 2 * MARGIN - pen.textlength(brand, font=footer_font) - 40
        footer = _fit(pen, card.footer, footer_font, room)
        width = pen.textlength(footer, font=footer_font)
        pen.text(
            (WIDTH - MARGIN - width, HEIGHT - 64),
            footer,
            font=footer_font,
            fill=MUTED,
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
