"""The desk's URLs for the formal acts, included by desk/urls.py under its namespace:
recorded votes (pasted lists → preview → ballots) and treaty actions."""

from django.urls import path

from desk import acts_views

urlpatterns = [
    path("votes/", acts_views.vote_list, name="votes"),
    path("votes/new/", acts_views.vote_new, name="vote-new"),
    path("votes/<int:pk>/", acts_views.vote_edit, name="vote"),
    path("votes/<int:pk>/ballots/", acts_views.vote_ballots, name="vote-ballots"),
    path("treaty-actions/", acts_views.treaty_action_list, name="treaty-actions"),
    path("treaty-actions/new/", acts_views.treaty_action_new, name="treaty-action-new"),
    path(
        "treaty-actions/<int:pk>/",
        acts_views.treaty_action_edit,
        name="treaty-action",
    ),
    path(
        "treaty-actions/<int:pk>/publish/",
        acts_views.treaty_action_publish,
        name="treaty-action-publish",
    ),
    path(
        "treaty-actions/<int:pk>/unpublish/",
        acts_views.treaty_action_unpublish,
        name="treaty-action-unpublish",
    ),
]
