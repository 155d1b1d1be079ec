"""The compare page: two to six actors side by side."""

from common.errors import ParameterError
from pages.selectors.shared import (
    chapter_bands,
    chapters_by_id,
)
from states.models import (
    Actor,
)

COMPARE_MIN, COMPARE_MAX = 2, 6


def parse_compare_codes(raw):
    """Upper-case codes from "USA,CHN" (also repeated params); validates the count."""
    codes = []
    for chunk in raw:
        codes += [c.strip().upper() for c in chunk.split(",") if c.strip()]
    codes = list(dict.fromkeys(codes))
    if not COMPARE_MIN <= len(codes) <= COMPARE_MAX:
        raise ParameterError(
            "actors",
            f"Choose between {COMPARE_MIN} and {COMPARE_MAX} actors "
            f"(got {len(codes)}), e.g. ?actors=USA,CHN.",
        )
    known = dict(Actor.objects.filter(code__in=codes).values_list("code", "name"))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ParameterError("actors", f"Unknown actor code(s): {', '.join(unknown)}.")
    return codes


def compare_rows(view, codes):
    """[(chapter, [(provision, [cell per code])])] where any actor has a stance."""
    chapters = chapters_by_id(view.provisions)
    rows = [
        (provision, cells)
        for provision in view.provisions
        if any(cells := [view.cells.get((code, provision["id"])) for code in codes])
    ]
    return chapter_bands(rows, lambda row: chapters.get(row[0]["chapter_id"]))
