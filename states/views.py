"""The public site: thin views that parse the request, call a selector and render."""

import functools

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from provisions.diff import word_diff
from provisions.models import Draft, Treaty
from states import charts, page_search, page_selectors
from states import selectors as matrix_selectors
from states.models import Actor


def rejecting_nul(view):
    """400 for a query parameter holding a NUL character, which PostgreSQL text
    cannot store or compare (it would raise, a 500, in any lookup)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return _bad_request(
                    request, f"{name.strip(chr(0))}: NUL characters are not allowed."
                )
        return view(request, *args, **kwargs)

    return wrapper


def _bad_request(request, message, *, title="That request cannot be answered"):
    return render(
        request,
        "states/bad_request.html",
        {"message": message, "title": title},
        status=400,
    )


def home(request):
    return render(
        request,
        "home.html",
        {
            "treaties": matrix_selectors.treaty_overviews(),
            "actor_counts": matrix_selectors.actor_counts_by_kind(),
        },
    )


def methodology(request):
    return render(
        request,
        "states/methodology.html",
        {
            "stances": [
                (s, charts.STANCE_LABELS[s], charts.STANCE_SYMBOLS[s])
                for s in (*charts.STANCE_ORDER, charts.NO_POSITION)
            ],
            "kinds": Actor.Kind.choices,
        },
    )


# Matrix -----------------------------------------------------------------------------

API_MATRIX = "/api/v1/matrix/"


@rejecting_nul
def treaty_matrix(request, treaty):
    treaty_obj = get_object_or_404(Treaty, slug=treaty)
    query = request.GET.copy()
    try:
        options = _page_options(query)
        params = matrix_selectors.matrix_params_from_query(treaty, query)
    except page_selectors.PageQueryError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    except matrix_selectors.MatrixQueryError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    first_chapter = page_selectors.chapter_if_too_large(params)
    if first_chapter is not None:
        narrowed = request.GET.copy()
        narrowed["chapter"] = first_chapter.pk
        narrowed["large"] = "1"
        return redirect(f"{request.path}?{narrowed.urlencode()}")
    view = matrix_selectors.matrix_view(params)
    page = page_selectors.matrix_page(
        view, stance=options["stance"], only_coded=options["coded"]
    )
    choices = page_selectors.matrix_filter_choices(treaty_obj)
    return render(
        request,
        "states/matrix.html",
        {
            "treaty": treaty_obj,
            "params": params,
            "page": page,
            "large": options["large"],
            "choices": choices,
            "selected_kinds": set(params.kinds),
            "evidence": _evidence_data(treaty, page, choices),
            "export": _export_links(treaty, query, page),
            "legend": [
                (s, charts.STANCE_LABELS[s], charts.STANCE_SYMBOLS[s])
                for s in (*charts.STANCE_ORDER, charts.NO_POSITION)
            ],
        },
    )


def _page_options(query):
    """Pop and validate the page-only parameters (the API does not know them)."""
    stance = query.pop("stance", [""])[-1]
    if stance and stance not in page_selectors.PAGE_STANCE_VALUES:
        raise page_selectors.PageQueryError(
            "stance",
            f"{stance!r} is not one of {', '.join(page_selectors.PAGE_STANCE_VALUES)}.",
        )
    flags = {}
    for name in ("coded", "large"):
        value = query.pop(name, [""])[-1]
        if value not in ("", "1"):
            raise page_selectors.PageQueryError(name, f"use {name}=1 or leave it out.")
        flags[name] = value == "1"
    return {"stance": stance, **flags}


def _evidence_data(treaty, page, choices):
    """What the evidence dialog needs, for the cells shown (see static/js/matrix.js)."""
    return {
        **page.evidence,
        "provisions": {
            p["id"]: {"title": p["title"], "proposition": p["proposition"]}
            for p in page.columns
        },
        "actors": {actor["code"]: actor["name"] for actor, _ in page.rows},
        "groups": {g.slug: g.name for g in choices["groups"]},
        "stances": charts.STANCE_LABELS,
        "symbols": charts.STANCE_SYMBOLS,
        "sessionUrl": reverse(
            "session-detail", kwargs={"treaty": treaty, "number": 999999}
        ),
    }


def _export_links(treaty, query, page):
    """API links for exactly the rows and columns shown."""
    query = query.copy()
    query["treaty"] = treaty
    if page.stance or page.only_coded:
        # The API knows no stance filter: name the rows that the filter kept.
        query.setlist("actor", [actor["code"] for actor, _ in page.rows])
    csv_query = query.copy()
    csv_query["format"] = "csv"
    whole = csv_query.copy()
    whole.pop("chapter", None)
    return {
        "json": f"{API_MATRIX}?{query.urlencode()}",
        "csv": f"{API_MATRIX}?{csv_query.urlencode()}",
        "whole_csv": f"{API_MATRIX}?{whole.urlencode()}",
    }


# Provision --------------------------------------------------------------------------


@rejecting_nul
def provision_detail(request, treaty, slug):
    provision, texts = page_selectors.provision_with_texts(treaty, slug)
    try:
        diff = _diff_from_request(request, texts)
    except page_selectors.PageQueryError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    context = {
        "treaty": provision.treaty,
        "provision": provision,
        "texts": texts,
        "label_trail": page_selectors.label_trail(texts),
        "diff": diff,
        "quotes": page_selectors.provision_quotes(
            provision,
            limit=None
            if request.GET.get("quotes") == "all"
            else page_selectors.QUOTES_PER_STANCE,
        ),
        "stance_labels": charts.STANCE_LABELS,
    }
    session = page_selectors.current_session(provision.treaty)
    if session is not None:
        view = page_selectors.matrix_for(treaty, provision=[provision.id])
        context.update(
            session=session,
            view=view,
            overall=charts.stance_bar(view.totals.get(provision.id, {})),
            regions=page_selectors.regional_breakdown(view, provision.id, session),
            trend=page_selectors.provision_trend(provision.treaty, provision.id),
        )
    return render(request, "states/provision_detail.html", context)


def _diff_from_request(request, texts):
    """The diff between ?from and ?to drafts, by default the first and last texts."""
    if len(texts) < 2:
        if "from" in request.GET or "to" in request.GET:
            raise page_selectors.PageQueryError(
                "from", "This provision has fewer than two drafts to compare."
            )
        return None
    by_draft = {t.draft_id: t for t in texts}
    old = _text_param(request, "from", by_draft, default=texts[0])
    new = _text_param(request, "to", by_draft, default=texts[-1])
    return {
        "old": old,
        "new": new,
        "ops": word_diff(old.text, new.text),
        "drafts": [t.draft for t in texts],
    }


def _text_param(request, name, by_draft, *, default):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        draft_id = int(raw)
    except ValueError:
        raise page_selectors.PageQueryError(
            name, f"{raw!r} is not a draft id."
        ) from None
    if draft_id not in by_draft:
        exists = Draft.objects.filter(id=draft_id).exists()
        reason = "has no text for this provision" if exists else "does not exist"
        raise page_selectors.PageQueryError(name, f"draft {draft_id} {reason}.")
    return by_draft[draft_id]


# Actor ------------------------------------------------------------------------------


@rejecting_nul
def actor_detail(request, code):
    if code != code.upper():
        return redirect("actor-detail", code=code.upper())
    actor, memberships = page_selectors.actor_with_groups(code)
    try:
        treaty, treaties = page_selectors.treaty_for_actor(
            actor, request.GET.get("treaty")
        )
    except page_selectors.PageQueryError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    statements, statement_count = page_selectors.actor_statements(actor, treaty)
    context = {
        "actor": actor,
        "memberships": memberships,
        "treaty": treaty,
        "treaties": treaties,
        "statements": statements,
        "statement_count": statement_count,
        "min_shared": page_selectors.MIN_SHARED_PROVISIONS,
    }
    session = page_selectors.current_session(treaty) if treaty else None
    if session is not None:
        view = page_selectors.matrix_for(treaty.slug, actor=[actor.code])
        most, least = page_selectors.agreement(treaty, session, actor)
        context.update(
            view=view,
            by_chapter=page_selectors.positions_by_chapter(
                view, actor.code, {m.group.slug: m.group.name for m in memberships}
            ),
            most=most,
            least=least,
        )
    return render(request, "states/actor_detail.html", context)


# Session ----------------------------------------------------------------------------


@rejecting_nul
def session_detail(request, treaty, number):
    try:
        session, statements = page_selectors.session_with_statements(
            treaty, number, request.GET.get("page")
        )
    except page_selectors.PageQueryError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    previous, previous_any, next_any = page_selectors.neighbour_sessions(session)
    context = {
        "treaty": session.treaty,
        "session": session,
        "statements": statements,
        "previous": previous,
        "previous_any": previous_any,
        "next_any": next_any,
        "all_moves": request.GET.get("moves") == "all",
    }
    if previous is not None and session.status != session.Status.SCHEDULED:
        moves, move_count, provision_count = page_selectors.who_moved(
            session, previous, all_provisions=context["all_moves"]
        )
        context.update(
            moves=moves, move_count=move_count, moved_provisions=provision_count
        )
    return render(request, "states/session_detail.html", context)


# Compare ----------------------------------------------------------------------------


@rejecting_nul
def treaty_compare(request, treaty):
    treaty_obj = get_object_or_404(Treaty, slug=treaty)
    raw = request.GET.getlist("actors")
    context = {"treaty": treaty_obj, "raw": ",".join(raw)}
    if not raw:
        return render(request, "states/compare.html", context)
    try:
        codes = page_selectors.parse_compare_codes(raw)
        view = page_selectors.matrix_for(treaty, kind="all", actor=codes)
    except page_selectors.PageQueryError as error:
        return _bad_request(request, error.message, title="Cannot compare these actors")
    except matrix_selectors.MatrixQueryError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    names = {a["code"]: a for a in view.actors}
    context.update(
        codes=codes,
        actors=[names[c] for c in codes if c in names],
        view=view,
        bands=page_selectors.compare_rows(view, codes),
        export=API_MATRIX
        + "?"
        + urlencode({"treaty": treaty, "kind": "all", "actor": codes}, doseq=True),
    )
    return render(request, "states/compare.html", context)


# Search -----------------------------------------------------------------------------


@rejecting_nul
def search_page(request):
    try:
        query = page_search.SearchQuery.from_querydict(request.GET)
    except page_selectors.PageQueryError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    results = page_search.run(query) if query.q else None
    return render(
        request,
        "states/search.html",
        {"query": query, "results": results, "header_q": query.q},
    )
