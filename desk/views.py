"""The editors' desk: pages for signed-in editors and reviewers (the Django admin stays
for superusers). Views parse, call a selector or a service, and render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from states import selectors

DRAFTS_SHOWN = 50


@login_required
def desk_home(request):
    """The editor's own drafts, and for reviewers every draft awaiting review."""
    user = request.user
    if not user.has_perm("states.view_statement"):
        raise PermissionDenied("The desk is for editors and reviewers.")
    context = {
        "own_drafts": selectors.draft_statements(created_by=user)[:DRAFTS_SHOWN],
        "reviewer": user.has_perm("states.publish_statement"),
    }
    if context["reviewer"]:
        context["awaiting_review"] = selectors.draft_statements()[:DRAFTS_SHOWN]
    return render(request, "desk/home.html", context)
