from django.urls import path

from follow import views

urlpatterns = [
    path("follow/", views.follow_start, name="follow-start"),
    path("follow/confirm/<str:token>/", views.follow_confirm, name="follow-confirm"),
    path("corrections/new/", views.correction_new, name="correction-new"),
    path(
        "follow/unsubscribe/<str:token>/",
        views.follow_unsubscribe,
        name="follow-unsubscribe",
    ),
]
