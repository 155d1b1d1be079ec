from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tracker.health import healthz

# Swagger UI's page has its init script as a file (the split view) but keeps an inline
# <style> block: the one page allowed inline styles.
api_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tracker.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("desk/", include("desk.urls")),
    path("", include("follow.urls")),
    path("", include("pages.urls")),
]

handler404 = "pages.views.errors.page_not_found"
handler500 = "pages.views.errors.server_error"
