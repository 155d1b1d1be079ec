"""The compare page: two to six actors side by side."""

from common.errors import ParameterError
from pages.selectors.actors import actors_named
from pages.selectors.shared import (
    chapter_bands,
    chapters_by_id,
    position_notes,
)
from states.models import (
    Actor,
)

COMPARE_MIN, COMPARE_MAX = 2, 6


def parse_compare_codes(raw):
    """Codes of the actors named in ?actors= values (one per field, or several
    separated by commas, each a code, a name or "Name (CODE)"); validates them."""
    values = [value.strip() for value in raw if value.strip()]
    parts = [p.strip() for v in values if "," in v for p in v.split(",") if p.strip()]
    actors = actors_named([*values, *parts])
    named = []
    for value in values:
        if actors[value] is not None or "," not in value:
            named.append((value, actors[value]))
        else:
            named += [(p.strip(), actors[p.strip()]) for p in value.split(",")]
    named = [(text, actor) for text, actor in named if text]
    unknown = [text for text, actor in named if actor is None]
    if unknown:
        raise ParameterError(
            "actors", f"Unknown actor code(s) or name(s): {', '.join(unknown)}."
        )
    codes = list(dict.fromkeys(actor.code for _, actor in named))
    if not COMPARE_MIN <= len(codes) <= COMPARE_MAX:
        raise ParameterError(
            "actors",
            f"Choose between {COMPARE_MIN} and {COMPARE_MAX} actors "
            f"(got {len(codes)}), e.g. ?actors=USA,CHN.",
        )
    return codes


def actor_choices():
    """[(code, name)] of every actor, by name, for the compare form's list."""
    return list(Actor.objects.order_by("name", "code").values_list("code", "name"))


def compare_rows(view, codes):
    """[(chapter, [(provision, [(actor name, cell) per code])])] where any actor has
    a stance (the name labels the cell when a phone stacks the columns)."""
    chapters = chapters_by_id(view.provisions)
    names = {actor["code"]: actor["name"] for actor in view.actors}
    # What each actor wants instead, beside its stance (one query).
    notes = position_notes(cell["position"] for cell in view.cells.values())

    def noted(cell):
        return {**cell, "note": notes.get(cell["position"])} if cell else None

    rows = [
        (
            provision,
            [
                (names.get(code, code), noted(cell))
                for code, cell in zip(codes, cells, strict=True)
            ],
        )
        for provision in view.provisions
        if any(cells := [view.cells.get((code, provision["id"])) for code in codes])
    ]
    return chapter_bands(rows, lambda row: chapters.get(row[0]["chapter_id"]))
