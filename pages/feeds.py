"""Atom feeds of newly published statements (all, per actor, per provision) and of a
treaty's newly published treaty actions."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from provisions.models import Provision, Treaty
from states.models import Actor, Statement, TreatyAction

FEED_LENGTH = 50


class TextSummaryAtomFeed(Atom1Feed):
    """Atom with `<summary type="text">`: Django's `type="html"` would have feed
    readers render statement text as markup, so a statement could carry live HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def _spoken_on(statement):
    """The day a statement was made: its own date, else its session's first day."""
    return statement.date or statement.session.start_date


def _day(date):
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)


class StatementFeed(Feed):
    """The latest published statements; `updated_at` stands in for publication time."""

    feed_type = TextSummaryAtomFeed
    title = "Treaty Tracker: new statements"
    subtitle = "Statements published on Treaty Tracker, newest first."

    def link(self):
        return reverse("home")

    def statements(self):
        return (
            Statement.objects.published()
            .select_related("actor", "session__treaty", "on_behalf_of")
            .order_by("-updated_at", "-id")
        )

    def items(self):
        return self.statements()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.actor.name}: {item.title}"

    def item_description(self, item):
        # Plain text, sent as text (TextSummaryAtomFeed): never interpreted as HTML.
        behalf = f" on behalf of {item.on_behalf_of.name}" if item.on_behalf_of else ""
        return f"{item.session.treaty} — {item.session.title}{behalf}. {item.text}"

    def item_link(self, item):
        return (
            reverse(
                "session-detail",
                kwargs={
                    "treaty": item.session.treaty.slug,
                    "number": item.session.number,
                },
            )
            + f"#statement-{item.pk}"
        )

    # No item_guid: the entry id is then the item's absolute link, a full URI that
    # stays the same on every reload.
    item_guid_is_permalink = True

    def item_updateddate(self, item):
        return _day(_spoken_on(item))

    def item_pubdate(self, item):
        # When the statement was made, not when it was entered or last edited.
        return _day(_spoken_on(item))

    def item_author_name(self, item):
        return item.actor.name


class ActorStatementFeed(StatementFeed):
    def get_object(self, request, code):
        return get_object_or_404(Actor, code=code)

    def title(self, obj):
        return f"Treaty Tracker: statements by {obj.name}"

    def link(self, obj):
        return reverse("actor-detail", kwargs={"code": obj.code})

    def items(self, obj):
        return self.statements().filter(actor=obj)[:FEED_LENGTH]


class ProvisionStatementFeed(StatementFeed):
    def get_object(self, request, treaty, slug):
        return get_object_or_404(
            Provision.objects.select_related("treaty"), treaty__slug=treaty, slug=slug
        )

    def title(self, obj):
        return f"Treaty Tracker: statements on {obj.title}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return (
            self.statements()
            .filter(positions__provision=obj, positions__status="published")
            .distinct()[:FEED_LENGTH]
        )


class TreatyActionFeed(Feed):
    """A treaty's newly published treaty actions (signatures, ratifications, …)."""

    feed_type = Atom1Feed

    def get_object(self, request, treaty):
        return get_object_or_404(Treaty, slug=treaty)

    def title(self, obj):
        return f"Treaty Tracker: signatures and ratifications of {obj}"

    def link(self, obj):
        return reverse("treaty-status", kwargs={"treaty": obj.slug})

    def items(self, obj):
        return (
            TreatyAction.objects.published()
            .filter(treaty=obj)
            .select_related("actor", "treaty")
            .order_by("-updated_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return f"{item.actor.name}: {item.get_kind_display()}"

    def item_description(self, item):
        # Plain text; syndication escapes it.
        day = (
            f"{item.date:%B %Y}"
            if item.date_precision == "month"
            else f"{item.date:%-d %B %Y}"
        )
        return (
            f"{item.get_kind_display()} of the {item.treaty}, {day} "
            f"({item.get_verification_display().lower()}). {item.text}"
        )

    def item_link(self, item):
        return (
            reverse("treaty-status", kwargs={"treaty": item.treaty.slug})
            + f"#state-{item.actor.code}"
        )

    def item_guid(self, item):
        return f"treaty-action-{item.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at
