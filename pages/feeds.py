"""Atom feeds of newly published statements: all, per actor, per provision."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from provisions.models import Provision
from states.models import Actor, Statement

FEED_LENGTH = 50


def _day(date):
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)


class StatementFeed(Feed):
    """The latest published statements; `updated_at` stands in for publication time."""

    feed_type = Atom1Feed
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
        # Syndication escapes item text; we only pass plain text.
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
        return _day(item.effective_date)

    def item_pubdate(self, item):
        # When the statement was made, not when it was entered or last edited.
        return _day(item.effective_date)

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
