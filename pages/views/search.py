"""The search page."""

from django.shortcuts import render

from common.errors import ParameterError
from pages import search
from pages.views.common import bad_request, rejecting_nul


@rejecting_nul
def search_page(request):
    try:
        query = search.SearchQuery.from_querydict(request.GET)
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    results = search.run(query) if query.q else None
    return render(
        request,
        "pages/search.html",
        {"query": query, "results": results, "header_q": query.q},
    )
