"""The actors page and the group page."""

from django.shortcuts import render

from common.errors import ParameterError
from pages.selectors import actor as actor_page
from pages.selectors import actors as actors_page
from pages.selectors import group as group_page
from pages.selectors.shared import current_session
from pages.views.common import bad_request, rejecting_nul


@rejecting_nul
def actor_list(request):
    """Every actor; ?q= (name or code), ?kind=, ?group= narrow the list."""
    try:
        filters = actors_page.ActorFilter.from_querydict(request.GET)
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    actors = list(actors_page.actor_directory(filters))
    template = "pages/actor_list.html"
    if request.GET.get("partial") == "1":
        # What static/js/actors.js swaps in as the visitor types: the same rows.
        template = "pages/_actor_rows.html"
    return render(
        request,
        template,
        {"filters": filters, "actors": actors, **actors_page.filter_choices()},
    )


@rejecting_nul
def group_detail(request, slug):
    group, memberships = group_page.group_with_memberships(slug)
    try:
        treaty, treaties = actor_page.treaty_for_group(group, request.GET.get("treaty"))
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    context = {
        "group": group,
        "memberships": memberships,
        "current_members": sum(1 for m in memberships if m.end_date is None),
        "treaty": treaty,
        "treaties": treaties,
    }
    if treaty is not None and current_session(treaty) is not None:
        view, bands = group_page.group_cohesion(treaty, group)
        context.update(view=view, bands=bands)
    return render(request, "pages/group_detail.html", context)
