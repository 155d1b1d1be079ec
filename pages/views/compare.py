"""The compare page: two to six actors side by side."""

from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from common.errors import ParameterError
from pages.selectors import compare as compare_page
from pages.selectors.shared import matrix_for
from pages.views.common import bad_request, rejecting_nul
from pages.views.matrix import API_MATRIX
from provisions.models import Treaty


@rejecting_nul
def treaty_compare(request, treaty):
    treaty_obj = get_object_or_404(Treaty, slug=treaty)
    raw = [v for v in request.GET.getlist("actors") if v.strip()]
    context = {
        "treaty": treaty_obj,
        # ?with=CODE: the form with one actor filled in (an actor page's link when
        # the actor has no close partners to suggest).
        "slots": _form_slots(raw or [request.GET.get("with", "")[:200]]),
        "choices": compare_page.actor_choices(),
    }
    if not raw:
        return render(request, "pages/compare.html", context)
    try:
        codes = compare_page.parse_compare_codes(raw)
        view = matrix_for(treaty, kind="all", actor=codes)
    except ParameterError as error:
        if error.param == "actors":
            # The form again, with what was typed and why it cannot be compared.
            context["error"] = error.message
            return render(request, "pages/compare.html", context, status=400)
        return bad_request(request, f"{error.param}: {error.message}")
    names = {a["code"]: a for a in view.actors}
    context["slots"] = _form_slots([f"{names[c]['name']} ({c})" for c in codes])
    context.update(
        codes=codes,
        actors=[names[c] for c in codes if c in names],
        view=view,
        bands=compare_page.compare_rows(view, codes),
        export=API_MATRIX
        + "?"
        + urlencode({"treaty": treaty, "kind": "all", "actor": codes}, doseq=True),
    )
    return render(request, "pages/compare.html", context)


def _form_slots(values):
    """What the form's fields hold: the actors asked for, then empty fields up to
    the most that can be compared."""
    return [*values, *[""] * (compare_page.COMPARE_MAX - len(values))]
