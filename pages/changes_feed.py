"""The Atom feed of the public changelog (same filters as /changes/)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from common.errors import ParameterError
from pages.selectors import changes as changes_page

FEED_LENGTH = 50


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Treaty Tracker: changes to the record"
    subtitle = "New, changed, corrected and withdrawn statements and positions."

    def get_object(self, request):
        try:
            return changes_page.changes_page(request.GET, per_page=FEED_LENGTH)
        except ParameterError as error:
            # Feed readers show no error pages; a bad filter is simply not found.
            raise Http404(error.message) from None

    def link(self, obj):
        return reverse("changes")

    def items(self, obj):
        return obj.changes

    def item_title(self, item):
        return item.summary

    def item_description(self, item):
        parts = []
        if item.reason:
            parts.append(f"Why: {item.reason}")
        for f in item.fields:
            if not f.opaque and f.name != "text":
                parts.append(f"{f.label}: {f.before or '—'} → {f.after or '—'}")
        if item.quote:
            parts.append(f"“{item.quote}”")
        return " ".join(parts) or item.summary

    def item_link(self, item):
        if item.session is None:
            return reverse("changes") + f"#change-{item.revision_id}"
        return (
            reverse(
                "session-detail",
                kwargs={
                    "treaty": item.session.treaty.slug,
                    "number": item.session.number,
                },
            )
            + f"#statement-{item.statement_id}"
        )

    def item_guid(self, item):
        return f"change-{item.revision_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at
