"""The friendly 404 page under DEBUG too (make run): Django answers a 404 there
with its technical page, which lists every URL pattern to whoever asks."""

from django.conf import settings
from django.template.response import TemplateResponse


def friendly_not_found(get_response):
    def middleware(request):
        response = get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "friendly", False)
        ):
            response = TemplateResponse(request, "404.html", status=404)
            response.render()
        return response

    return middleware
