"""The session page: its statements and who moved since the previous one."""

from django.shortcuts import render

from common.errors import ParameterError
from pages.selectors import session as session_page
from pages.views.common import bad_request, rejecting_nul


@rejecting_nul
def session_detail(request, treaty, number):
    try:
        session, statements = session_page.session_with_statements(
            treaty, number, request.GET.get("page")
        )
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
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
        moved = session_page.who_moved(
            session, previous, all_provisions=context["all_moves"]
        )
        context.update(
            moves=moved.groups,
            move_count=moved.count,
            moved_provisions=moved.provisions,
            first_stances=moved.first_stances,
            arrived=moved.arrived,
        )
    return render(request, "pages/session_detail.html", context)
