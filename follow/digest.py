"""A follower's digest: the changes that touch what they follow, as one e-mail with
RFC 8058 one-click unsubscribe headers."""

from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from follow import tokens
from follow.links import absolute
from states import changelog


@dataclass(frozen=True)
class DigestItem:
    change: changelog.Change
    summary: str
    evidence_url: str
    because: tuple  # labels of the follows it touches


def evidence_url(change):
    """The statement on its session page (every quote there links its source)."""
    session = change.session
    if session is None:
        return absolute(reverse("changes"))
    path = reverse(
        "session-detail",
        kwargs={"treaty": session.treaty.slug, "number": session.number},
    )
    return absolute(f"{path}#statement-{change.statement_id}")


def items_for(follower, changes, matcher):
    """The changes newer than the follower's cursor that touch a follow, oldest
    first."""
    follows = list(follower.follows.all())
    items = []
    for change in reversed(changes):
        if change.revision_id <= follower.cursor:
            continue
        because = tuple(f.label for f in follows if matcher.touches(f, change))
        if because:
            items.append(
                DigestItem(
                    change=change,
                    summary=changelog.summary(change),
                    evidence_url=evidence_url(change),
                    because=because,
                )
            )
    return items


def message(follower, items, *, connection=None):
    unsubscribe_url = absolute(
        reverse("follow-unsubscribe", args=[tokens.unsubscribe_token(follower)])
    )
    body = render_to_string(
        "follow/email/digest.txt",
        {
            "items": items,
            "follows": follower.follows.all(),
            "unsubscribe_url": unsubscribe_url,
            "changes_url": absolute(reverse("changes")),
        },
    )
    count = len(items)
    return EmailMessage(
        subject=f"Treaty Tracker: {count} change{'s' if count != 1 else ''}"
        " to what you follow",
        body=body,
        to=[follower.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
