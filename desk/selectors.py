"""Reads for the desk: type-ahead of actors, provisions by label as printed, the
review queue."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from provisions.models import Session
from states import history
from states.imports.lookup import ProvisionIndex
from states.models import (
    Actor,
    ChangeProposal,
    Revision,
    Statement,
    StatementSource,
    Status,
    TreatyAction,
    Vote,
)
from states.revisions import ENTITY_OF

ACTORS_SUGGESTED = 12


def actor_suggestions(text):
    """Up to a dozen actors whose code, name or alias matches `text`, as dicts."""
    if not text.strip():
        return []
    actors = Actor.objects.searching(text).prefetch_related("aliases")
    return [
        {
            "code": actor.code,
            "name": actor.name,
            "aliases": [alias.alias for alias in actor.aliases.all()],
        }
        for actor in actors.order_by("name")[:ACTORS_SUGGESTED]
    ]


def sessions_for_entry():
    """Every session, newest first, with its treaty (for the statement form)."""
    return Session.objects.select_related("treaty").order_by(
        "treaty__short_title", "-number"
    )


def provision_index(treaty):
    """The treaty's provisions by slug, title or label as printed in any draft: the
    import's lookup (states.imports.lookup), so the grid and a file read alike."""
    return ProvisionIndex(treaty)


def provision_suggestions(session, text):
    """Up to a dozen provisions of the session's treaty whose label as printed in any
    draft, slug or title matches `text`, as dicts: what to type (the label in the
    session's numbering when it names the provision alone, else the slug) and what
    to show (that label and the title, and the label typed when another draft
    prints it so)."""
    index = provision_index(session.treaty)
    draft = index.numbering_draft(session)
    found = []
    for provision, matched in index.suggestions(text[:100], draft):
        label = index.label_of(provision, draft)
        shown = " · ".join(part for part in (label, provision.title) if part)
        if matched is not None and matched.label != label:
            shown += f" ({matched.label} in {matched.draft.title})"
        found.append({"value": index.typed_as(provision, draft), "label": shown})
    return found


def _first_revision(field):
    """A subquery: `field` of the statement's first revision (who entered it, when
    it has no `created_by`: a bulk load records its first version, by nobody)."""
    first = Revision.objects.filter(
        entity=Revision.Entity.STATEMENT, object_id=OuterRef("pk")
    ).order_by("created_at", "id")
    return Subquery(first.values(field)[:1])


def _last_sent_back_comment():
    """A subquery: the comment the statement was last sent back with, read from its
    history (a revised draft's own comment is cleared)."""
    sent_back = (
        Revision.objects.filter(
            entity=Revision.Entity.STATEMENT,
            object_id=OuterRef("pk"),
            data__has_key="review_comment",
        )
        .exclude(data__review_comment="")
        .order_by("-created_at", "-id")
    )
    return Subquery(sent_back.values("data__review_comment")[:1])


def review_queue():
    """Drafts for review, with what a reviewer checks: speaker, author, sources,
    verification, the number of positions, and the comment it was last sent back
    with (`revised_after`: shown once it is back, revised)."""
    return (
        Statement.objects.filter(status=Status.DRAFT)
        .select_related("actor", "session__treaty", "created_by")
        .prefetch_related(
            Prefetch("sources", queryset=StatementSource.objects.order_by("order"))
        )
        .annotate(
            position_count=Count("positions"),
            first_action=_first_revision("action"),
            first_username=_first_revision("user__username"),
            revised_after=_last_sent_back_comment(),
        )
        .order_by("-updated_at", "-id")
    )


def split_sent_back(drafts):
    """(awaiting review, sent back): a draft sent back and not revised since waits
    for its editor, not for a reviewer. Split here, not by a second query."""
    awaiting, sent_back = [], []
    for draft in drafts:
        (sent_back if draft.review_comment else awaiting).append(draft)
    return awaiting, sent_back


def pending_proposals():
    return ChangeProposal.objects.filter(
        status=ChangeProposal.Status.PENDING
    ).select_related("proposed_by")


def proposals_by(user):
    """A user's own proposals, newest first (what reviewers answered)."""
    return ChangeProposal.objects.filter(proposed_by=user).select_related(
        "reviewed_by"
    )[:50]


def proposals_about(statement):
    """Proposals on a statement and on its positions, newest first."""
    position_ids = list(statement.positions.values_list("id", flat=True))
    return (
        ChangeProposal.objects.filter(
            Q(entity=ChangeProposal.Entity.STATEMENT, object_id=statement.pk)
            | Q(entity=ChangeProposal.Entity.POSITION, object_id__in=position_ids)
        )
        .select_related("proposed_by", "reviewed_by")
        .order_by("-created_at", "-id")
    )


def record_history(record):
    """The record's revisions, newest first, each with its field-level changes named
    as readers know them (desk.history)."""
    return history.entries(ENTITY_OF[type(record)], record.pk)


# Formal acts (recorded votes and treaty actions) ----------------------------------

VOTES_LISTED = 100
TREATY_ACTIONS_LISTED = 100


def votes_for_desk():
    """Recorded votes, newest first, with their treaty and number of ballots."""
    return (
        Vote.objects.select_related("treaty")
        .annotate(ballot_count=Count("ballots"))
        .order_by("-date", "-id")[:VOTES_LISTED]
    )


def vote_for_entry(pk):
    """A vote with its treaty and whether it has ballots (public once it has)."""
    return (
        Vote.objects.select_related("treaty")
        .annotate(ballot_count=Count("ballots"))
        .filter(pk=pk)
        .first()
    )


def actors_for_vote_matching():
    """(every actor, the UN member states among them): one query for a preview."""
    actors = list(Actor.objects.all())
    return actors, [a for a in actors if a.kind == Actor.Kind.MEMBER_STATE]


def treaty_actions_for_desk(*, status=None):
    """Treaty actions, the last changed first, with what a list of them shows."""
    actions = TreatyAction.objects.select_related("treaty", "actor", "created_by")
    if status:
        actions = actions.filter(status=status)
    return actions.order_by("-updated_at", "-id")[:TREATY_ACTIONS_LISTED]


def treaty_actions_awaiting_review():
    """Draft treaty actions, for the review queue: what a reviewer checks is on the
    row (actor, step, date, sources, verification, who entered it)."""
    return treaty_actions_for_desk(status=Status.DRAFT)
