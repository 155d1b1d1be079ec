"""sitemap.xml: the public pages of every treaty, provision, session and actor."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse

from provisions.models import Provision, Session, Treaty
from states.models import Actor


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "methodology", "changes", "search"]

    def location(self, item):
        return reverse(item)


class TreatySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Treaty.objects.order_by("slug")

    def location(self, treaty):
        return reverse("treaty-detail", kwargs={"treaty": treaty.slug})


class MatrixSitemap(TreatySitemap):
    priority = 0.8

    def location(self, treaty):
        return reverse("treaty-matrix", kwargs={"treaty": treaty.slug})


class ProvisionSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Provision.objects.select_related("treaty").order_by(
            "treaty__slug", "order", "id"
        )

    def lastmod(self, provision):
        return provision.updated_at


class SessionSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Session.objects.exclude(status=Session.Status.SCHEDULED)
            .select_related("treaty")
            .order_by("treaty__slug", "number")
        )


class ActorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Actor.objects.order_by("code")

    def lastmod(self, actor):
        return actor.updated_at


SITEMAPS = {
    "static": StaticSitemap,
    "treaties": TreatySitemap,
    "matrices": MatrixSitemap,
    "provisions": ProvisionSitemap,
    "sessions": SessionSitemap,
    "actors": ActorSitemap,
}


def robots_txt(request):
    """Crawlers: the public pages and their sitemap; not the editors' or the
    public's forms."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /desk/",
        "Disallow: /follow/",
        "Disallow: /corrections/",
        "Disallow: /embed/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
