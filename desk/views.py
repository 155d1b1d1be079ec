"""The editors' desk: pages for signed-in editors and reviewers (the Django admin stays
for superusers). Views parse, call a selector or a service, and render."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from desk import editing, entry, forms, proposal_diff, proposing, selectors
from follow import selectors as follow_selectors
from states import proposals, revisions, services
from states import selectors as state_selectors
from states.models import ChangeProposal, Position, Revision, Statement, Status

DRAFTS_SHOWN = 50
EDIT_PERMISSION = "states.view_statement"
REVIEW_PERMISSION = "states.publish_statement"


def _require(user, permission, why):
    if not user.has_perm(permission):
        raise PermissionDenied(why)


@login_required
def desk_home(request):
    """The editor's own drafts, and for reviewers every draft awaiting review."""
    user = request.user
    _require(user, EDIT_PERMISSION, "The desk is for editors and reviewers.")
    context = {
        "own_drafts": state_selectors.draft_statements(created_by=user)[:DRAFTS_SHOWN],
        # Published ones too: an edit of them is proposed from their desk page.
        "own_published": state_selectors.draft_statements(
            created_by=user, status=Status.PUBLISHED
        )[:DRAFTS_SHOWN],
        "own_proposals": selectors.proposals_by(user),
        "reviewer": user.has_perm(REVIEW_PERMISSION),
    }
    if context["reviewer"]:
        context["awaiting_review"] = state_selectors.draft_statements()[:DRAFTS_SHOWN]
    return render(request, "desk/home.html", context)


@login_required
def actor_suggestions(request):
    """JSON: actors matching `q` by code, name or alias (the form's type-ahead)."""
    _require(request.user, EDIT_PERMISSION, "For editors and reviewers.")
    return JsonResponse(
        {"actors": selectors.actor_suggestions(request.GET.get("q", "")[:100])}
    )


@login_required
def provision_suggestions(request):
    """JSON: provisions of the `session`'s treaty matching `q` by label as printed in
    any draft, slug or title, in that session's numbering (the grid's type-ahead)."""
    _require(request.user, EDIT_PERMISSION, "For editors and reviewers.")
    session_id = request.GET.get("session", "")
    if not session_id:
        return JsonResponse({"provisions": []})  # no session chosen yet: no treaty
    session = (
        selectors.sessions_for_entry().filter(pk=int(session_id)).first()
        if session_id.isdigit() and len(session_id) < 10
        else None
    )
    if session is None:
        return JsonResponse(
            {"error": f"No session has the id “{session_id}”."}, status=400
        )
    return JsonResponse(
        {
            "provisions": selectors.provision_suggestions(
                session, request.GET.get("q", "")
            )
        }
    )


def _formsets(data=None, initial=None, rows=forms.PositionFormSet):
    initial = initial or {}
    return {
        "others": forms.OtherActorFormSet(
            data, prefix="others", initial=initial.get("others")
        ),
        "sources": forms.SourceFormSet(
            data, prefix="sources", initial=initial.get("sources")
        ),
        "rows": rows(data, prefix="rows", initial=initial.get("rows")),
    }


def _clone_initial(statement):
    """What "clone for another speaker" keeps: session, date, sources, positions."""
    return {
        "form": {
            "session": statement.session_id,
            "date": statement.date,
            "kind": statement.kind,
            "verification": statement.verification,
            "language": statement.language,
            "document_symbol": statement.document_symbol,
            "title": statement.title,
        },
        "sources": [{"url": s.url, "kind": s.kind} for s in statement.sources.all()],
        "rows": [
            {
                "provision": p.provision.title,
                "stance": p.stance,
                "wants": p.wants,
                "quote": p.quote,
            }
            for p in statement.positions.select_related("provision")
        ],
    }


def _draft_initial(statement):
    """The whole draft as its edit form shows it: what a clone keeps, and the rest
    (speaker, other actors, group, texts, the positions' notes)."""
    initial = _clone_initial(statement)
    initial["form"].update(
        actor=statement.actor.code,
        on_behalf_of=statement.on_behalf_of_id,
        also_for=statement.also_for,
        text=statement.text,
        note=statement.note,
    )
    initial["others"] = [
        {"actor": a.code, "role": "co_signer"} for a in statement.co_signers.all()
    ] + [{"actor": a.code, "role": "supporter"} for a in statement.supporters.all()]
    initial["rows"] = editing.grid_initial(statement)
    return initial


def _preview(request, form, formsets):
    """The preview step: the page with the preview, or (desk.js) the preview alone."""
    preview = entry.statement_preview(form=form, **formsets)
    if request.GET.get("partial"):
        return preview, render(request, "desk/_statement_preview.html", {"s": preview})
    return preview, None


def _form_page(request, form, formsets, preview, editing_statement=None):
    return render(
        request,
        "desk/statement_form.html",
        {
            "form": form,
            **formsets,
            "sessions": _session_dates(),
            "preview": preview,
            "editing": editing_statement,
        },
    )


def _submitted(request, form, formsets, save):
    """A posted statement form, checked: (response, preview). The response ends
    the request — `save`'s redirect, or the preview alone that desk.js asks for as
    the editor types; otherwise the form is shown again, with its preview (read as
    the public pages would, saving nothing) or the reasons it was refused."""
    valid = form.is_valid() & all(f.is_valid() for f in formsets.values())
    if request.POST.get("step") == "preview":
        preview, partial = _preview(request, form, formsets)
        return partial, preview
    if valid:
        try:
            return save(request, form, formsets), None
        except entry.EntryRefused:  # the reasons are on the forms
            pass
    return None, None


def _save_draft(request, form, formsets):
    statement = entry.statement_enter(user=request.user, form=form, **formsets)
    messages.success(request, f"Saved as a draft: {statement.title}")
    return redirect("desk:statement", pk=statement.pk)


def _save_edit(request, form, formsets, *, statement):
    editing.statement_revise(
        user=request.user, statement=statement, form=form, **formsets
    )
    messages.success(request, f"Saved: {form.cleaned_data['title']}")
    return redirect("desk:statement", pk=statement.pk)


@login_required
def statement_new(request):
    """One form for a statement and its positions, saved as a draft in one submit."""
    user = request.user
    _require(user, "states.add_statement", "Entering statements is for editors.")
    preview = None
    if request.method == "POST":
        form = forms.StatementForm(request.POST)
        formsets = _formsets(request.POST)
        done, preview = _submitted(request, form, formsets, _save_draft)
        if done:
            return done
    else:
        initial = {}
        clone = request.GET.get("clone", "")
        if clone.isdigit():
            initial = _clone_initial(get_object_or_404(Statement, pk=int(clone)))
        form = forms.StatementForm(initial=initial.get("form"))
        formsets = _formsets(initial=initial)
    return _form_page(request, form, formsets, preview)


@login_required
def statement_edit(request, pk):
    """A draft's own entry form, filled with it, saved over it in one submit: for
    its editor and for reviewers. A published statement is changed by a proposal,
    on its page."""
    user = request.user
    statement = _statement(pk)
    try:
        editing.require_may_edit(user, statement)
    except editing.Published:
        messages.info(request, "This statement is published: propose a change below.")
        return redirect("desk:statement", pk=pk)
    preview = None
    if request.method == "POST":
        form = forms.EditStatementForm(request.POST)
        formsets = _formsets(request.POST, rows=forms.EditPositionFormSet)
        done, preview = _submitted(
            request, form, formsets, functools.partial(_save_edit, statement=statement)
        )
        if done:
            return done
    else:
        initial = _draft_initial(statement)
        form = forms.EditStatementForm(initial=initial["form"])
        formsets = _formsets(initial=initial, rows=forms.EditPositionFormSet)
    return _form_page(request, form, formsets, preview, statement)


def _session_dates():
    return {
        str(s.pk): {"start": s.start_date.isoformat(), "end": s.end_date.isoformat()}
        for s in selectors.sessions_for_entry()
    }


def _statement_page(request, statement, propose=None, status=200):
    """The desk's page of a statement; `propose` is the proposal's (form, formsets)
    when a refused one is shown again with its errors."""
    form, formsets = propose or proposing.proposal_forms(statement)
    lines = selectors.statement_positions(statement)
    return render(
        request,
        "desk/statement_detail.html",
        {
            "statement": statement,
            "language_name": selectors.language_name(statement.language),
            "positions": [
                (line, forms.ProposePositionForm.for_position(line.position))
                for line in lines
            ],
            "proposals": selectors.statement_proposals(statement, lines),
            "reviewer": request.user.has_perm(REVIEW_PERMISSION),
            "published": statement.status == Status.PUBLISHED,
            "may_edit": editing.may_edit(request.user, statement),
            "history": selectors.record_history(statement),
            "may_restore": revisions.restore_refusal(
                request.user, Revision.Entity.STATEMENT, statement
            )
            is None,
            "propose_form": form,
            **{f"propose_{prefix}": formset for prefix, formset in formsets.items()},
        },
        status=status,
    )


def _statement(pk):
    return get_object_or_404(selectors.statement_for_desk(), pk=pk)


@login_required
def statement_detail(request, pk):
    """A statement as entered, its positions, proposals and history."""
    _require(request.user, EDIT_PERMISSION, "For editors and reviewers.")
    return _statement_page(request, _statement(pk))


@login_required
@require_POST
def statement_propose(request, pk):
    """An editor's change of a published statement, held for a reviewer; a refused
    one is shown again with each reason beside its field."""
    _require(request.user, EDIT_PERMISSION, "For editors and reviewers.")
    statement = _statement(pk)
    form, formsets = proposing.proposal_forms(statement, request.POST)
    try:
        proposing.statement_propose(
            user=request.user, statement=statement, form=form, formsets=formsets
        )
    except proposing.ProposalRefused:
        messages.error(request, "The proposal was refused: see the reasons below.")
        return _statement_page(request, statement, (form, formsets))
    messages.success(
        request, f"Your change of “{statement}” is proposed to the reviewers."
    )
    return redirect("desk:statement", pk=pk)


@login_required
@require_POST
def position_propose(request, pk):
    """An editor's change of a published position, held for a reviewer."""
    _require(request.user, EDIT_PERMISSION, "For editors and reviewers.")
    position = get_object_or_404(
        Position.objects.select_related("provision", "statement"), pk=pk
    )
    form = forms.ProposePositionForm(request.POST, prefix=f"position-{position.pk}")
    if form.is_valid():
        try:
            proposals.change_propose(
                user=request.user, record=position, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            (line,) = selectors.position_lines([position])
            messages.success(
                request,
                f"Your change of the position on {line.provision_name} in "
                f"“{position.statement}” is proposed.",
            )
    else:
        messages.error(request, "The proposal was refused: " + form.errors.as_text())
    return redirect("desk:statement", pk=position.statement_id)


@login_required
def review(request):
    """For reviewers: drafts and change proposals, each with what to check."""
    _require(request.user, REVIEW_PERMISSION, "The review queue is for reviewers.")
    drafts, sent_back = selectors.split_sent_back(selectors.review_queue(DRAFTS_SHOWN))
    return render(
        request,
        "desk/review.html",
        {
            "drafts": drafts,
            "sent_back": sent_back,
            "proposals": proposal_diff.review_items(selectors.pending_proposals()),
            "open_reports": follow_selectors.open_correction_reports().count(),
        },
    )


def _reasons(error):
    return "; ".join(error.messages)


def _back_from_review(request):
    """Where a reviewer's decision returns: the page it was taken on (`next`, the
    statement's page) when that is on this site, else the queue."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("desk:review")


@login_required
@require_POST
def review_publish(request, pk):
    _require(request.user, REVIEW_PERMISSION, "Publishing is for reviewers.")
    # With its session and treaty: the message links the public session page.
    statement = get_object_or_404(
        Statement.objects.select_related("session__treaty"), pk=pk
    )
    try:
        services.statement_publish_with_positions(
            statement=statement, user=request.user
        )
    except ValidationError as error:
        messages.error(request, f"Not published, “{statement}”: {_reasons(error)}")
    else:
        messages.success(request, _published_message(statement))
    return _back_from_review(request)


def _published_message(statement):
    """The "Published …" message, linking the statement's desk page and where readers
    now see it (its anchor on the public session page), so the reviewer can check.
    format_html escapes the title (typed by an editor) and marks the rest safe; the
    message storage keeps that mark."""
    session = statement.session
    public = reverse(
        "session-detail",
        kwargs={"treaty": session.treaty.slug, "number": session.number},
    )
    return format_html(
        'Published with its positions: {} · <a href="{}" data-testid="published-desk">'
        'its desk page</a> · <a href="{}" data-testid="published-public">'
        "where readers see it</a>",
        statement,
        reverse("desk:statement", args=[statement.pk]),
        f"{public}#statement-{statement.pk}",
    )


@login_required
@require_POST
def review_send_back(request, pk):
    _require(request.user, REVIEW_PERMISSION, "Sending back is for reviewers.")
    statement = get_object_or_404(Statement, pk=pk)
    try:
        services.statement_send_back(
            statement=statement,
            user=request.user,
            # Whole: one over the limit is refused by the service, never cut.
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, f"Not sent back, “{statement}”: {_reasons(error)}")
    else:
        messages.success(request, f"Sent back to its editor: {statement}")
    return _back_from_review(request)


@login_required
@require_POST
def proposal_decide(request, pk):
    """Accept or reject a change proposal (`decision`), with an optional comment."""
    _require(request.user, REVIEW_PERMISSION, "Deciding proposals is for reviewers.")
    proposal = get_object_or_404(ChangeProposal, pk=pk)
    decide = {"accept": proposals.change_accept, "reject": proposals.change_reject}
    service = decide.get(request.POST.get("decision", ""))
    if service is None:
        messages.error(request, "Choose to accept or to reject.")
        return redirect("desk:review")
    # Named before the decision: an accepted proposal may remove positions.
    about = selectors.proposal_named(proposal)
    try:
        service(
            proposal=proposal,
            user=request.user,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, f"Not decided, {about}: {_reasons(error)}")
    else:
        messages.success(request, f"Proposal {request.POST['decision']}ed: {about}.")
    return redirect("desk:review")
