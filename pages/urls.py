from django.urls import path

from pages import feeds
from pages.views import (
    actor,
    actors,
    compare,
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
