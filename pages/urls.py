from django.contrib.sitemaps.views import sitemap
from django.urls import path

from pages import changes_feed, feeds, sitemaps
from pages.views import (
    actor,
    actors,
    acts,
    changes,
    compare,
    data,
    home,
    matrix,
    moves,
    provision,
    search,
    session,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("favicon.ico", home.favicon),
    path("methodology/", home.methodology, name="methodology"),
    path("search/", search.search_page, name="search"),
    path("actors/", actors.actor_list, name="actor-list"),
    path("groups/<slug:slug>/", actors.group_detail, name="group-detail"),
    path("actors/<str:code>/", actor.actor_detail, name="actor-detail"),
    path("t/<slug:treaty>/", home.treaty_detail, name="treaty-detail"),
    path("t/<slug:treaty>/matrix/", matrix.treaty_matrix, name="treaty-matrix"),
    path("t/<slug:treaty>/moves/", moves.treaty_moves, name="treaty-moves"),
    path("t/<slug:treaty>/compare/", compare.treaty_compare, name="treaty-compare"),
    path("data/", data.data, name="data"),
    path("data/<slug:treaty>.zip", data.data_file, {"kind": "zip"}, name="data-zip"),
    path(
        "data/<slug:treaty>.sqlite",
        data.data_file,
        {"kind": "sqlite"},
        name="data-sqlite",
    ),
    path(
        "t/<slug:treaty>/provisions/<slug:slug>/",
        provision.provision_detail,
        name="provision-detail",
    ),
    path(
        "t/<slug:treaty>/sessions/<int:number>/",
        session.session_detail,
        name="session-detail",
    ),
    path("t/<slug:treaty>/status/", acts.treaty_status, name="treaty-status"),
    path(
        "t/<slug:treaty>/votes/<int:vote_id>/",
        acts.vote_detail,
        name="vote-detail",
    ),
    path(
        "feeds/t/<slug:treaty>/treaty-actions/",
        feeds.TreatyActionFeed(),
        name="feed-treaty-actions",
    ),
    path("changes/", changes.changes, name="changes"),
    path("feeds/changes/", changes_feed.ChangesFeed(), name="feed-changes"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
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
]
