"""The public pages the site-wide browser checks visit (phone width, axe-core, HTML
validity): one of each kind, chosen from the demo data."""

from django.urls import reverse

from provisions.models import Provision, Session
from states.models import Group
from tests.browser import truth

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def site_pages():
    """{name: path} of one page of each kind, with the demo data loaded."""
    treaty = truth.demo_treaty()
    slug = treaty.slug
    provision = Provision.objects.get(slug="respect-for-human-rights")
    session = (
        Session.objects.with_snapshot().filter(treaty=treaty).order_by("number").last()
    )
    group = Group.objects.order_by("name").first()
    return {
        "home": reverse("home"),
        "treaty": reverse("treaty-detail", kwargs={"treaty": slug}),
        "matrix": reverse("treaty-matrix", kwargs={"treaty": slug}),
        "provision": provision.get_absolute_url(),
        "actor": reverse("actor-detail", kwargs={"code": "GBR"}),
        "actors": reverse("actor-list"),
        "group": reverse("group-detail", kwargs={"slug": group.slug}),
        "session": reverse(
            "session-detail", kwargs={"treaty": slug, "number": session.number}
        ),
        "compare": reverse("treaty-compare", kwargs={"treaty": slug})
        + "?actors=USA,CHN,RUS",
        "moves": reverse("treaty-moves", kwargs={"treaty": slug}),
        "search": reverse("search") + "?q=human+rights",
    }
