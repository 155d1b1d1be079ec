"""The public site: thin views that parse the request, call a selector and render."""

import functools

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from common.errors import ParameterError
from pages import charts, search
from pages.selectors import actor as actor_page
from pages.selectors import compare as compare_page
from pages.selectors import data as data_page
from pages.selectors import home as home_page
from pages.selectors import matrix as matrix_page
from pages.selectors import provision as provision_page
from pages.selectors import session as session_page
from pages.selectors import treaty as treaty_page
from pages.selectors.shared import current_session, matrix_for
from provisions.diff import word_diff
from provisions.models import Draft, Treaty
from states import downloads, stances
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read
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
        "pages/bad_request.html",
        {"message": message, "title": title},
        status=400,
    )


def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "treaties": home_page.treaty_overviews(),
            "actor_counts": home_page.actor_counts_by_kind(),
        },
    )


def treaty_detail(request, treaty):
    """The treaty: sessions, drafts, and every provision by chapter with its label."""
    page = treaty_page.treaty_page(treaty)
    return render(request, "pages/treaty_detail.html", vars(page))


def methodology(request):
    return render(
        request,
        "pages/methodology.html",
        {
            "stances": charts.legend(),
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
        params = matrix_params.matrix_params_from_query(treaty, query)
    except ParameterError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    first_chapter = matrix_page.chapter_if_too_large(params)
    if first_chapter is not None:
        narrowed = request.GET.copy()
        narrowed["chapter"] = first_chapter.pk
        narrowed["large"] = "1"
        return redirect(f"{request.path}?{narrowed.urlencode()}")
    view = matrix_read.matrix_view(params)
    page = matrix_page.matrix_page(
        view, stance=options["stance"], only_coded=options["coded"]
    )
    choices = matrix_page.matrix_filter_choices(treaty_obj)
    return render(
        request,
        "pages/matrix.html",
        {
            "treaty": treaty_obj,
            "params": params,
            "page": page,
            "large": options["large"],
            "choices": choices,
            "selected_kinds": set(params.kinds),
            "evidence": _evidence_data(treaty, page, choices),
            "export": _export_links(treaty, query, page),
            "legend": charts.legend(),
        },
    )


def _page_options(query):
    """Pop and validate the page-only parameters (the API does not know them)."""
    stance = query.pop("stance", [""])[-1]
    if stance and stance not in matrix_page.PAGE_STANCE_VALUES:
        raise ParameterError(
            "stance",
            f"{stance!r} is not one of {', '.join(matrix_page.PAGE_STANCE_VALUES)}.",
        )
    flags = {}
    for name in ("coded", "large"):
        value = query.pop(name, [""])[-1]
        if value not in ("", "1"):
            raise ParameterError(name, f"use {name}=1 or leave it out.")
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
        "stances": stances.LABELS,
        "symbols": stances.SYMBOLS,
        "sessionUrl": reverse(
            "session-detail", kwargs={"treaty": treaty, "number": 999999}
        ),
    }


def _export_links(treaty, query, page):
    """API links for exactly the rows and columns shown; the CSV ones in the forms
    meant for spreadsheets (labelled headers or one line per cell, with a BOM)."""
    query = query.copy()
    query["treaty"] = treaty
    if page.stance or page.only_coded:
        # The API knows no stance filter: name the rows that the filter kept.
        query.setlist("actor", [actor["code"] for actor, _ in page.rows])
    wide = query.copy()
    wide.update({"format": "csv", "header": "labels", "bom": "1"})
    long = query.copy()
    long.update({"format": "csv", "shape": "long", "bom": "1"})
    whole = wide.copy()
    whole.pop("chapter", None)
    return {
        "json": f"{API_MATRIX}?{query.urlencode()}",
        "csv": f"{API_MATRIX}?{wide.urlencode()}",
        "csv_long": f"{API_MATRIX}?{long.urlencode()}",
        "whole_csv": f"{API_MATRIX}?{whole.urlencode()}",
    }


# Provision --------------------------------------------------------------------------


@rejecting_nul
def provision_detail(request, treaty, slug):
    provision, texts = provision_page.provision_with_texts(treaty, slug)
    try:
        diff = _diff_from_request(request, texts)
    except ParameterError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
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


# Actor ------------------------------------------------------------------------------


@rejecting_nul
def actor_detail(request, code):
    if code != code.upper():
        return redirect("actor-detail", code=code.upper())
    actor, memberships = actor_page.actor_with_groups(code)
    try:
        treaty, treaties = actor_page.treaty_for_actor(actor, request.GET.get("treaty"))
    except ParameterError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    statements, statement_count = actor_page.actor_statements(actor, treaty)
    context = {
        "actor": actor,
        "memberships": memberships,
        "treaty": treaty,
        "treaties": treaties,
        "statements": statements,
        "statement_count": statement_count,
        "min_shared": actor_page.MIN_SHARED_PROVISIONS,
    }
    session = current_session(treaty) if treaty else None
    if session is not None:
        view = matrix_for(treaty.slug, actor=[actor.code])
        most, least = actor_page.agreement(treaty, session, actor)
        context.update(
            view=view,
            by_chapter=actor_page.positions_by_chapter(
                view, actor.code, {m.group.slug: m.group.name for m in memberships}
            ),
            most=most,
            least=least,
        )
    return render(request, "pages/actor_detail.html", context)


# Session ----------------------------------------------------------------------------


@rejecting_nul
def session_detail(request, treaty, number):
    try:
        session, statements = session_page.session_with_statements(
            treaty, number, request.GET.get("page")
        )
    except ParameterError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    previous, previous_any, next_any = session_page.neighbour_sessions(session)
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
        moves, move_count, provision_count = session_page.who_moved(
            session, previous, all_provisions=context["all_moves"]
        )
        context.update(
            moves=moves, move_count=move_count, moved_provisions=provision_count
        )
    return render(request, "pages/session_detail.html", context)


# Compare ----------------------------------------------------------------------------


@rejecting_nul
def treaty_compare(request, treaty):
    treaty_obj = get_object_or_404(Treaty, slug=treaty)
    raw = request.GET.getlist("actors")
    context = {"treaty": treaty_obj, "raw": ",".join(raw)}
    if not raw:
        return render(request, "pages/compare.html", context)
    try:
        codes = compare_page.parse_compare_codes(raw)
        view = matrix_for(treaty, kind="all", actor=codes)
    except ParameterError as error:
        if error.param == "actors":
            return _bad_request(
                request, error.message, title="Cannot compare these actors"
            )
        return _bad_request(request, f"{error.param}: {error.message}")
    names = {a["code"]: a for a in view.actors}
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


# Search -----------------------------------------------------------------------------


@rejecting_nul
def search_page(request):
    try:
        query = search.SearchQuery.from_querydict(request.GET)
    except ParameterError as error:
        return _bad_request(request, f"{error.param}: {error.message}")
    results = search.run(query) if query.q else None
    return render(
        request,
        "pages/search.html",
        {"query": query, "results": results, "header_q": query.q},
    )


# Downloads --------------------------------------------------------------------------


def data(request):
    return render(request, "pages/data.html", {"entries": data_page.treaty_downloads()})


def data_file(request, treaty, kind):
    """The treaty's current ZIP or SQLite file, streamed from DOWNLOADS_ROOT."""
    found = downloads.built_file(treaty, kind)
    if found is None:
        raise Http404("No such download.")
    path, entry = found
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=data_page.download_name(treaty, kind, downloads.manifest(treaty)),
        content_type=downloads.KINDS[kind],
    )
    # The SHA-256 of the manifest is the file's: a strong validator for caches.
    response["ETag"] = f'"{entry["sha256"]}"'
    response["Cache-Control"] = "public, max-age=300"
    return response
