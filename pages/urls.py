from django.urls import path

from pages import feeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("methodology/", views.methodology, name="methodology"),
    path("search/", views.search_page, name="search"),
    path("data/", views.data, name="data"),
    path(
        "data/<slug:treaty>.zip",
        views.data_file,
        {"kind": "zip"},
        name="data-zip",
    ),
    path(
        "data/<slug:treaty>.sqlite",
        views.data_file,
        {"kind": "sqlite"},
        name="data-sqlite",
    ),
    path("actors/<str:code>/", views.actor_detail, name="actor-detail"),
    path("t/<slug:treaty>/", views.treaty_detail, name="treaty-detail"),
    path("t/<slug:treaty>/matrix/", views.treaty_matrix, name="treaty-matrix"),
    path("t/<slug:treaty>/compare/", views.treaty_compare, name="treaty-compare"),
    path(
        "t/<slug:treaty>/provisions/<slug:slug>/",
        views.provision_detail,
        name="provision-detail",
    ),
    path(
        "t/<slug:treaty>/sessions/<int:number>/",
        views.session_detail,
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
