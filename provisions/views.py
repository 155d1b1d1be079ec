"""Pages about the negotiating text itself (no positions: those live in states)."""

from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from provisions.models import Provision, ProvisionText, Treaty


def treaty_detail(request, treaty):
    """The treaty: sessions, drafts, and every provision by chapter with its label."""
    treaty = get_object_or_404(Treaty, slug=treaty)
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
    bands = []
    for provision in provisions:
        if not bands or bands[-1][0] != provision.chapter:
            bands.append((provision.chapter, []))
        bands[-1][1].append((provision, labels.get(provision.id, "")))
    return render(
        request,
        "provisions/treaty_detail.html",
        {
            "treaty": treaty,
            "sessions": sessions,
            "drafts": drafts,
            "latest": latest,
            "bands": bands,
            "provision_count": len(provisions),
        },
    )
