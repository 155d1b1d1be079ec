from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from desk import correction_views, views

app_name = "desk"

urlpatterns = [
    path("", views.desk_home, name="home"),
    # The editors' own sign-in: the admin's login page refuses every user who is
    # not staff, and editors and reviewers are not (the admin is for superusers).
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="desk/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "logout/",
        auth_views.LogoutView.as_view(next_page=reverse_lazy("desk:login")),
        name="logout",
    ),
    path("actors/suggestions/", views.actor_suggestions, name="actor-suggestions"),
    path(
        "provisions/suggestions/",
        views.provision_suggestions,
        name="provision-suggestions",
    ),
    path("statements/new/", views.statement_new, name="statement-new"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("statements/<int:pk>/edit/", views.statement_edit, name="statement-edit"),
    path(
        "statements/<int:pk>/propose/",
        views.statement_propose,
        name="statement-propose",
    ),
    path(
        "positions/<int:pk>/propose/",
        views.position_propose,
        name="position-propose",
    ),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/publish/", views.review_publish, name="review-publish"),
    path("review/<int:pk>/send-back/", views.review_send_back, name="review-send-back"),
    path("review/corrections/", correction_views.corrections, name="corrections"),
    path(
        "review/corrections/<int:pk>/answer/",
        correction_views.correction_answer,
        name="correction-answer",
    ),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
]

# Spreadsheet import (issue 12), desk.import_views.
from desk import import_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.import_upload, name="import"),
    path("import/confirm/", import_views.import_confirm, name="import-confirm"),
    path(
        "import/template.<str:extension>",
        import_views.import_template,
        name="import-template",
    ),
]

# Formal acts: recorded votes and treaty actions (desk/acts_urls.py).
urlpatterns += [path("", include("desk.acts_urls"))]

# Histories of every editable record (desk.history_views).
from desk import history_views  # noqa: E402

urlpatterns += [
    path(
        "history/<str:entity>/<int:object_id>/",
        history_views.record_history,
        name="history",
    ),
    path(
        "revisions/<int:pk>/restore/",
        history_views.revision_restore,
        name="revision-restore",
    ),
]
