"""/api/v1/: one router for the resources of both apps."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from provisions.api import views as provisions_api
from states.api import acts as acts_api
from states.api import matrix as matrix_api
from states.api import revisions as revisions_api
from states.api import views as states_api

# A namespace: the HTML pages already use names such as "actor-detail".
app_name = "api"

router = DefaultRouter()
router.register("treaties", provisions_api.TreatyViewSet, basename="treaty")
router.register("sessions", provisions_api.SessionViewSet, basename="session")
router.register("drafts", provisions_api.DraftViewSet, basename="draft")
router.register("chapters", provisions_api.ChapterViewSet, basename="chapter")
router.register("provisions", provisions_api.ProvisionViewSet, basename="provision")
router.register(
    "provision-texts", provisions_api.ProvisionTextViewSet, basename="provisiontext"
)
router.register("actors", states_api.ActorViewSet, basename="actor")
router.register("groups", states_api.GroupViewSet, basename="group")
router.register("memberships", states_api.MembershipViewSet, basename="membership")
router.register("statements", states_api.StatementViewSet, basename="statement")
router.register("positions", states_api.PositionViewSet, basename="position")
router.register("votes", acts_api.VoteViewSet, basename="vote")
router.register("ballots", acts_api.BallotViewSet, basename="ballot")
router.register("treaty-actions", acts_api.TreatyActionViewSet, basename="treatyaction")
router.register("revisions", revisions_api.RevisionViewSet, basename="revision")

urlpatterns = [
    # Before the router: its catch-alls must not shadow these.
    path("matrix/", matrix_api.MatrixView.as_view(), name="matrix"),
    path(
        "matrix/changes/",
        matrix_api.MatrixChangesView.as_view(),
        name="matrix-changes",
    ),
    path(
        "treaties/<str:slug>/status/",
        acts_api.TreatyStatusView.as_view(),
        name="treaty-status",
    ),
    *router.urls,
]
