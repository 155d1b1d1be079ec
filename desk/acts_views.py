"""The desk's pages for the formal acts (DESIGN.md §2b): a recorded vote entered by
pasting its lists as UN meeting coverage prints them, and treaty actions entered as
drafts that reviewers publish. Views parse, call a selector or a service of
states.acts, and render; what is public is locked for editors (acts.is_public)."""

import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from desk import acts_forms, selectors
from states import acts, names
from states.models import Ballot, Status, TreatyAction

VIEW_VOTES = "states.view_vote"
ADD_VOTE = "states.add_vote"
CHANGE_VOTE = "states.change_vote"
ENTER_BALLOTS = "states.change_ballot"
VIEW_ACTIONS = "states.view_treatyaction"
ADD_ACTION = "states.add_treatyaction"
# An alias is its own record (ActorAlias), with its own permission (states 0017).
ADD_ALIAS = "states.add_actoralias"
CHANGE_ACTION = "states.change_treatyaction"

CHOICE_ORDER = [
    Ballot.Choice.YES,
    Ballot.Choice.NO,
    Ballot.Choice.ABSTAIN,
    Ballot.Choice.NON_VOTING,
]
CHOICE_HEADINGS = {
    Ballot.Choice.YES: "In favour",
    Ballot.Choice.NO: "Against",
    Ballot.Choice.ABSTAIN: "Abstaining",
    Ballot.Choice.NON_VOTING: "Non-voting",
}
# "adopted by a recorded vote of 79 in favour to 60 against, with 33 abstentions"
_PRINTED_TOTALS = re.compile(
    r"(?P<yes>\d+)\s+in\s+favou?r\s+to\s+(?P<no>\d+)\s+against"
    r"(?:,?\s*with\s+(?P<abstain>\d+)\s+abstentions?)?",
    re.IGNORECASE,
)


def _require(user, permission, why):
    if not user.has_perm(permission):
        raise PermissionDenied(why)


def _refuse(form, error):
    """Put a service's ValidationError beside the fields it names."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _locked(user, record):
    """Public and the user is no reviewer: shown, not changed."""
    return not user.has_perm(acts.REVIEW_PERMISSION) and acts.is_public(record)


# Votes --------------------------------------------------------------------------


@login_required
def vote_list(request):
    _require(request.user, VIEW_VOTES, "Recorded votes are entered by editors.")
    return render(
        request,
        "desk/vote_list.html",
        {
            "votes": selectors.votes_for_desk(),
            "may_add": request.user.has_perm(ADD_VOTE),
        },
    )


def _save_vote(request, form, vote=None):
    """Create or update the vote and its sponsors in one step; None if refused."""
    user = request.user
    try:
        with transaction.atomic():
            if vote is None:
                vote = acts.vote_create(**form.vote_fields())
            else:
                fields = form.vote_fields()
                fields.pop("treaty")  # a vote stays with its treaty
                vote = acts.vote_update(vote=vote, user=user, **fields)
            acts.vote_sponsors_set(vote=vote, sponsors=form.sponsorships(), user=user)
    except ValidationError as error:
        _refuse(form, error)
        return None
    return vote


@login_required
def vote_new(request):
    """Details of a recorded vote and its sponsors; the ballots come next."""
    _require(request.user, ADD_VOTE, "Entering votes is for editors.")
    form = acts_forms.VoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vote = _save_vote(request, form)
        if vote is not None:
            messages.success(request, f"Vote saved: {vote}. Now paste its lists.")
            return redirect("desk:vote-ballots", pk=vote.pk)
    return render(request, "desk/vote_form.html", {"form": form, "vote": None})


@login_required
def vote_edit(request, pk):
    _require(request.user, CHANGE_VOTE, "Changing votes is for editors.")
    vote = selectors.vote_for_entry(pk)
    if vote is None:
        raise Http404("No such vote.")
    locked = _locked(request.user, vote)
    if request.method == "POST" and locked:
        raise PermissionDenied(
            "This vote's ballots are entered: only a reviewer may change it."
        )
    form = acts_forms.VoteForm(request.POST or None, instance=vote)
    form.fields["treaty"].disabled = True
    if request.method == "POST" and form.is_valid():
        saved = _save_vote(request, form, vote)
        if saved is not None:
            messages.success(request, f"Vote saved: {saved}.")
            return redirect("desk:vote-ballots", pk=saved.pk)
    return render(
        request, "desk/vote_form.html", {"form": form, "vote": vote, "locked": locked}
    )


@dataclass
class Preview:
    """What the preview shows of a pasted vote, in the order the lists print."""

    match: names.VoteMatch
    members: int
    groups: list  # [(heading, [(printed, actor)])]
    printed_totals: dict | None  # as the coverage's sentence gives them

    @property
    def totals(self):
        return [(CHOICE_HEADINGS[c], self.match.totals[c]) for c in CHOICE_ORDER]

    @property
    def unmatched(self):
        return [(CHOICE_HEADINGS[c], printed) for c, printed in self.match.unmatched]

    @property
    def conflicts(self):
        return [
            (actor, [CHOICE_HEADINGS[c] for c in choices])
            for actor, choices in self.match.conflicts
        ]

    @property
    def ballot_count(self):
        return len(self.match.ballots) + len(self.match.non_voting)

    @property
    def totals_disagree(self):
        if self.printed_totals is None:
            return False
        counted = self.match.totals
        return any(counted[c] != n for c, n in self.printed_totals.items())


def _preview(text):
    actors, members = selectors.actors_for_vote_matching()
    match = names.match_vote_lists(
        text, index=names.name_index_for(actors), members=members
    )
    groups = {choice: [] for choice in CHOICE_ORDER}
    for actor, choice in match.ballots.items():
        groups[choice].append((match.printed[actor], actor))
    found = _PRINTED_TOTALS.search(text)
    printed = None
    if found:
        printed = {c: int(found[c]) for c in ("yes", "no", "abstain") if found[c]}
    return Preview(
        match=match,
        members=len(members),
        groups=[(CHOICE_HEADINGS[c], rows) for c, rows in groups.items() if rows],
        printed_totals=printed,
    )


def _current_totals(vote):
    counts = dict(
        Ballot.objects.filter(vote=vote).values_list("choice").annotate(n=Count("id"))
    )
    return [(CHOICE_HEADINGS[c], counts.get(c, 0)) for c in CHOICE_ORDER]


@login_required
def vote_ballots(request, pk):
    """Paste the lists, preview each name's match, then save every ballot at once."""
    user = request.user
    _require(user, ENTER_BALLOTS, "Entering ballots is for editors.")
    vote = selectors.vote_for_entry(pk)
    if vote is None:
        raise Http404("No such vote.")
    locked = _locked(user, vote)
    if request.method == "POST" and locked:
        raise PermissionDenied(
            "This vote's ballots are entered: only a reviewer may re-enter them."
        )
    form = acts_forms.PastedVoteForm(request.POST or None)
    preview = None
    step = request.POST.get("step")
    if step == "alias":
        _add_alias(request)
    if request.method == "POST" and form.is_valid():
        preview = _preview(form.cleaned_data["text"])
        if step == "save":
            if preview.match.ok:
                return _save_ballots(request, vote, preview)
            messages.error(request, "Nothing was saved: the lists need attention.")
    return render(
        request,
        "desk/vote_ballots.html",
        {
            "vote": vote,
            "form": form,
            "preview": preview,
            "locked": locked,
            "current_totals": _current_totals(vote) if vote.ballot_count else None,
            "may_add_alias": user.has_perm(ADD_ALIAS),
        },
    )


def _add_alias(request):
    """Remember an unmatched printed name as an actor's alias, then preview again."""
    _require(request.user, ADD_ALIAS, "Adding aliases is for editors.")
    form = acts_forms.AliasForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"No alias was added: {problems}")
        return
    alias, actor = form.cleaned_data["alias"], form.cleaned_data["actor"]
    try:
        names.actor_alias_create(actor=actor, alias=alias)
    except ValidationError as error:
        messages.error(request, f"“{alias}” was not added: {'; '.join(error.messages)}")
    else:
        messages.success(request, f"“{alias}” is now an alias of {actor.name}.")


def _save_ballots(request, vote, preview):
    try:
        counts = acts.ballots_set(
            vote=vote,
            choices=preview.match.choices_with_non_voting(),
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, "Nothing was saved: " + "; ".join(error.messages))
        return redirect("desk:vote-ballots", pk=vote.pk)
    totals = ", ".join(f"{n} {heading.lower()}" for heading, n in preview.totals)
    messages.success(
        request,
        f"Ballots saved for {vote}: {totals} ({counts['added']} added, "
        f"{counts['changed']} changed, {counts['removed']} removed).",
    )
    return redirect("desk:vote-ballots", pk=vote.pk)


# Treaty actions -----------------------------------------------------------------


@login_required
def treaty_action_list(request):
    _require(request.user, VIEW_ACTIONS, "Treaty actions are entered by editors.")
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    return render(
        request,
        "desk/acts_treaty_actions.html",
        {
            "actions": selectors.treaty_actions_for_desk(status=status or None),
            "status": status,
            "may_add": request.user.has_perm(ADD_ACTION),
        },
    )


@login_required
def treaty_action_new(request):
    """A signature, ratification, declaration…: saved as a draft for review."""
    user = request.user
    _require(user, ADD_ACTION, "Entering treaty actions is for editors.")
    form = acts_forms.TreatyActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = acts.treaty_action_create(user=user, **form.action_fields())
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, f"Saved as a draft: {action}")
            return redirect("desk:treaty-action", pk=action.pk)
    return render(
        request, "desk/acts_treaty_action_form.html", {"form": form, "action": None}
    )


@login_required
def treaty_action_edit(request, pk):
    user = request.user
    _require(user, CHANGE_ACTION, "Changing treaty actions is for editors.")
    action = get_object_or_404(
        TreatyAction.objects.select_related("actor", "treaty", "created_by"), pk=pk
    )
    locked = _locked(user, action)
    if request.method == "POST" and locked:
        raise PermissionDenied(
            "This treaty action is published: only a reviewer may change it."
        )
    form = acts_forms.TreatyActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            action = acts.treaty_action_update(
                action=action, user=user, **form.action_fields()
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, f"Saved: {action}")
            return redirect("desk:treaty-action", pk=action.pk)
    if locked:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "desk/acts_treaty_action_form.html",
        {
            "form": form,
            "action": action,
            "locked": locked,
            "reviewer": user.has_perm(acts.REVIEW_PERMISSION),
        },
    )


def _status_change(request, pk, service, done):
    _require(request.user, acts.REVIEW_PERMISSION, "Publishing is for reviewers.")
    action = get_object_or_404(TreatyAction.objects.select_related("actor"), pk=pk)
    try:
        action = service(action=action, user=request.user)
    except ValidationError as error:
        messages.error(request, f"{action}: {'; '.join(error.messages)}")
    else:
        messages.success(request, f"{done}: {action}")
    if request.POST.get("next") == "action":
        return redirect("desk:treaty-action", pk=action.pk)
    return redirect("desk:review")


@login_required
@require_POST
def treaty_action_publish(request, pk):
    return _status_change(request, pk, acts.treaty_action_publish, "Published")


@login_required
@require_POST
def treaty_action_unpublish(request, pk):
    return _status_change(request, pk, acts.treaty_action_unpublish, "Unpublished")
