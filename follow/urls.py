from django.urls import path

from follow import share_views, views

urlpatterns = [
    path(
        "cards/provision/<slug:treaty>/<slug:slug>.png",
        share_views.card,
        {"kind": "provision"},
        name="share-card-provision",
    ),
    path(
        "cards/actor/<str:code>.png",
        share_views.card,
        {"kind": "actor"},
        name="share-card-actor",
    ),
    path(
        "cards/group/<slug:slug>.png",
        share_views.card,
        {"kind": "group"},
        name="share-card-group",
    ),
    path(
        "cards/treaty/<slug:treaty>.png",
        share_views.card,
        {"kind": "treaty"},
        name="share-card-treaty",
    ),
    path(
        "embed/t/<slug:treaty>/provisions/<slug:slug>/",
        share_views.embed_provision,
        name="embed-provision",
    ),
    path(
        "embed/t/<slug:treaty>/matrix/",
        share_views.embed_matrix,
        name="embed-matrix",
    ),
    path(
        "embed/t/<slug:treaty>/status/",
        share_views.embed_status,
        name="embed-status",
    ),
    path("cards/site.png", share_views.card, {"kind": "site"}, name="share-card-site"),
    path("follow/", views.follow_start, name="follow-start"),
    path("follow/confirm/<str:token>/", views.follow_confirm, name="follow-confirm"),
    path("corrections/new/", views.correction_new, name="correction-new"),
    path(
        "follow/unsubscribe/<str:token>/",
        views.follow_unsubscribe,
        name="follow-unsubscribe",
    ),
]
