"""/api/v1/: one router for the resources of both apps."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
