"""The actor page."""

from django.shortcuts import redirect, render

from common.errors import ParameterError
from pages.selectors import actor as actor_page
from pages.selectors.shared import current_session, matrix_for
from pages.views.common import bad_request, rejecting_nul


@rejecting_nul
def actor_detail(request, code):
    if code != code.upper():
        return redirect("actor-detail", code=code.upper())
    actor, memberships = actor_page.actor_with_groups(code)
    try:
        treaty, treaties = actor_page.treaty_for_actor(actor, request.GET.get("treaty"))
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    statements, statement_count = actor_page.actor_statements(actor, treaty)
    context = {
        "actor": actor,
        "memberships": memberships,
        "treaty": treaty,
        "treaties": treaties,
        "statements": statements,
        "statement_count": statement_count,
        "min_shared": actor_page.MIN_SHARED_PROVISIONS,
        "formal_acts": actor_page.formal_acts(actor),
    }
    session = current_session(treaty) if treaty else None
    if session is not None:
        view = matrix_for(treaty.slug, actor=[actor.code])
        most, least = actor_page.agreement(treaty, session, actor)
        context.update(
            view=view,
            by_chapter=actor_page.positions_by_chapter(
                view,
                actor.code,
                {m.group.slug: m.group.name for m in memberships},
                actor=actor,
            ),
            most=most,
            least=least,
        )
    return render(request, "pages/actor_detail.html", context)
