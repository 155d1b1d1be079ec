"""The provision page: its texts in every draft, a diff, and who stands where."""

from django.shortcuts import render

from common.errors import ParameterError
from pages import charts
from pages.selectors import provision as provision_page
from pages.selectors.shared import current_session, matrix_for
from pages.views.common import bad_request, rejecting_nul
from provisions.diff import word_diff
from provisions.models import Draft
from states import stances


@rejecting_nul
def provision_detail(request, treaty, slug):
    provision, texts = provision_page.provision_with_texts(treaty, slug)
    try:
        diff = _diff_from_request(request, texts)
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    context = {
        "treaty": provision.treaty,
        "provision": provision,
        "texts": texts,
        "label_trail": provision_page.label_trail(texts),
        "diff": diff,
        "quotes": provision_page.provision_quotes(
            provision,
            limit=None
            if request.GET.get("quotes") == "all"
            else provision_page.QUOTES_PER_STANCE,
        ),
        "stance_labels": stances.LABELS,
    }
    session = current_session(provision.treaty)
    if session is not None:
        view = matrix_for(treaty, provision=[provision.id])
        context.update(
            session=session,
            view=view,
            overall=charts.stance_bar(view.totals.get(provision.id, {})),
            regions=provision_page.regional_breakdown(view, provision.id, session),
            stance_map=provision_page.stance_map(view, provision.id),
            trend=provision_page.provision_trend(provision.treaty, provision.id),
        )
    return render(request, "pages/provision_detail.html", context)


def _diff_from_request(request, texts):
    """The diff between ?from and ?to drafts, by default the first and last texts on
    record; offered only between two texts on record (not labels alone)."""
    recorded = [t for t in texts if t.on_record]
    if len(recorded) < 2:
        if "from" in request.GET or "to" in request.GET:
            raise ParameterError(
                "from",
                "This provision has fewer than two drafts whose text is on record.",
            )
        return None
    by_draft = {t.draft_id: t for t in recorded}
    unrecorded = {t.draft_id for t in texts if not t.on_record}
    old = _text_param(request, "from", by_draft, unrecorded, default=recorded[0])
    new = _text_param(request, "to", by_draft, unrecorded, default=recorded[-1])
    return {
        "old": old,
        "new": new,
        "ops": word_diff(old.text, new.text),
        "drafts": [t.draft for t in recorded],
    }


def _text_param(request, name, by_draft, unrecorded, *, default):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        draft_id = int(raw)
    except ValueError:
        raise ParameterError(name, f"{raw!r} is not a draft id.") from None
    if draft_id in unrecorded:
        raise ParameterError(
            name, f"draft {draft_id}: this provision's text in it is not on record."
        )
    if draft_id not in by_draft:
        exists = Draft.objects.filter(id=draft_id).exists()
        reason = "has no text for this provision" if exists else "does not exist"
        raise ParameterError(name, f"draft {draft_id} {reason}.")
    return by_draft[draft_id]
