"""The matrix page: the API's matrix as a table, with the evidence dialog."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from common.errors import ParameterError
from pages import charts
from pages.selectors import matrix as matrix_page
from pages.views.common import bad_request, rejecting_nul
from provisions.models import Treaty
from states import stances
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read

API_MATRIX = "/api/v1/matrix/"


@rejecting_nul
def treaty_matrix(request, treaty):
    treaty_obj = get_object_or_404(Treaty, slug=treaty)
    query = request.GET.copy()
    try:
        options = _page_options(query)
        params = matrix_params.matrix_params_from_query(treaty, query)
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
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
