"""Reads for the desk: type-ahead of actors, provisions by label as printed, the
review queue."""

import re

from django.db.models import Count, Prefetch

from provisions.models import Provision, ProvisionText, Session
from states.models import Actor, ChangeProposal, Statement, StatementSource, Status

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


def review_queue():
    """Drafts awaiting review, with what a reviewer checks: speaker, author, sources,
    verification and the number of positions."""
    return (
        Statement.objects.filter(status=Status.DRAFT)
        .select_related("actor", "session__treaty", "created_by")
        .prefetch_related(
            Prefetch("sources", queryset=StatementSource.objects.order_by("order"))
        )
        .annotate(position_count=Count("positions"))
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
