from django.contrib.sitemaps.views import sitemap
from django.urls import path

from pages import changes_feed, feeds, sitemaps, twins, views


def page(view, builder):
    """A page view with its data twin (?format=json, or .json; pages.twins)."""
    return twins.twin(builder)(view)


urlpatterns = [
    path("", page(views.home, twins.home), name="home"),
    path(
        "methodology/",
        page(views.methodology, twins.methodology),
        name="methodology",
    ),
    path("search/", page(views.search_page, twins.search_page), name="search"),
    path(
        "actors/<str:code>/",
        page(views.actor_detail, twins.actor_detail),
        name="actor-detail",
    ),
    path(
        "t/<slug:treaty>/",
        page(views.treaty_detail, twins.treaty_detail),
        name="treaty-detail",
    ),
    path(
        "t/<slug:treaty>/matrix/",
        page(views.treaty_matrix, twins.treaty_matrix),
        name="treaty-matrix",
    ),
    path(
        "t/<slug:treaty>/compare/",
        page(views.treaty_compare, twins.treaty_compare),
        name="treaty-compare",
    ),
    path(
        "t/<slug:treaty>/provisions/<slug:slug>/",
        page(views.provision_detail, twins.provision_detail),
        name="provision-detail",
    ),
    path(
        "t/<slug:treaty>/sessions/<int:number>/",
        page(views.session_detail, twins.session_detail),
        name="session-detail",
    ),
    path("changes/", page(views.changes, twins.changes), name="changes"),
    path("feeds/changes/", changes_feed.ChangesFeed(), name="feed-changes"),
    path("feeds/statements/", feeds.StatementFeed(), name="feed-statements"),
    path(
        "feeds/actors/<str:code>/",
        feeds.ActorStatementFeed(),
        name="feed-actor-statements",
    ),
    path(
        "feeds/t/<slug:treaty>/provisions/<slug:slug>/",
        feeds.ProvisionStatementFeed(),
        name="feed-provision-statements",
    ),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
]
