"""The public changelog: every published change to the record."""

from django.shortcuts import render

from common.errors import ParameterError
from pages.selectors import changes as changes_selector
from pages.views.common import bad_request, rejecting_nul


@rejecting_nul
def changes(request):
    """Every public change to the record, newest first (pages.selectors.changes)."""
    try:
        page = changes_selector.changes_page(request.GET)
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    return render(request, "pages/changes.html", {"page": page})
