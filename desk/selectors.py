"""Reads for the desk: type-ahead of actors, provisions by label as printed, the
review queue."""

import re

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from provisions.models import Provision, ProvisionText, Session
from states import history
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
_ARTICLE_WORDS = re.compile(r"^(article|art\.?|para(graph)?\.?)\s*", re.IGNORECASE)


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


def label_key(label):
    """ "Art. 14(3)", "Article 14 (3)" and "14(3)" all give "14(3)"."""
    return _ARTICLE_WORDS.sub("", label.strip()).replace(" ", "").lower()


def provisions_matching(treaty_id, text):
    """The provisions of the treaty `text` names: a label as printed in any draft,
    with or without "Art."/"Article", or a slug or title (any case)."""
    key = label_key(text)
    if not key:
        return []
    by_label = {
        t.provision_id
        for t in ProvisionText.objects.filter(provision__treaty_id=treaty_id).only(
            "provision_id", "label"
        )
        if label_key(t.label) == key
    }
    if by_label:
        return list(Provision.objects.filter(pk__in=by_label).order_by("order"))
    named = Provision.objects.filter(treaty_id=treaty_id)
    return list(
        named.filter(slug__iexact=text.strip())
        or named.filter(title__iexact=text.strip())
    )


def draft_numbering(provision, label):
    """The latest draft that prints `provision` as `label` (e.g. "14" for Article
    14), or None: where a paragraph typed under that number belongs."""
    key = label_key(label)
    texts = provision.texts.select_related("draft").order_by(
        "-draft__published_on", "-draft_id"
    )
    return next((t.draft for t in texts if label_key(t.label) == key), None)


def _first_revision(field):
    """A subquery: `field` of the statement's first revision (who entered it, when
    it has no `created_by`: a bulk load records its first version, by nobody)."""
    first = Revision.objects.filter(
        entity=Revision.Entity.STATEMENT, object_id=OuterRef("pk")
    ).order_by("created_at", "id")
    return Subquery(first.values(field)[:1])


def review_queue():
    """Drafts awaiting review, with what a reviewer checks: speaker, author, sources,
    verification and the number of positions."""
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
        )
        .order_by("-updated_at", "-id")
    )


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
