"""The treaty page: its sessions, drafts, and every provision by chapter with the label
it has in the latest draft."""

from dataclasses import dataclass

from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse

from pages.selectors.shared import chapter_bands
from provisions.models import Draft, Provision, ProvisionText, Session, Treaty


@dataclass
class TreatyPage:
    treaty: Treaty
    sessions: list[Session]
    drafts: list[Draft]
    latest: Draft | None
    bands: list  # [(chapter, [(provision, label in the latest draft, its url)])]
    provision_count: int


def treaty_page(slug):
    treaty = get_object_or_404(Treaty, slug=slug)
    sessions = list(treaty.sessions.order_by("number"))
    # Many drafts carry only the session they were prepared for, not a date.
    drafts = list(
        treaty.drafts.select_related("session").order_by(
            Coalesce("published_on", "session__start_date"), "id"
        )
    )
    provisions = list(
        Provision.objects.filter(treaty=treaty)
        .select_related("chapter")
        .in_reading_order()
    )
    latest = drafts[-1] if drafts else None
    labels = (
        dict(
            ProvisionText.objects.filter(draft=latest).values_list(
                "provision_id", "label"
            )
        )
        if latest
        else {}
    )
    url_of = provision_url_maker(treaty)
    labelled = [
        (provision, labels.get(provision.id, ""), url_of(provision))
        for provision in provisions
    ]
    return TreatyPage(
        treaty=treaty,
        sessions=sessions,
        drafts=drafts,
        latest=latest,
        bands=chapter_bands(labelled, lambda item: item[0].chapter),
        provision_count=len(provisions),
    )


SLUG_PLACEHOLDER = "slug-placeholder"


def provision_url_maker(treaty):
    """provision -> its page's URL, reversing once: at UN scale (600 provisions) a
    reverse per row was a third of the treaty page's time."""
    pattern = reverse(
        "provision-detail", kwargs={"treaty": treaty.slug, "slug": SLUG_PLACEHOLDER}
    )
    head, tail = pattern.split(SLUG_PLACEHOLDER)
    return lambda provision: f"{head}{provision.slug}{tail}"
