"""The site's own 404 and 500 pages (tracker.urls handler404, handler500)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    response = render(request, "404.html", status=404)
    response.friendly = True
    return response


def server_error(request):
    # No request context: whatever failed (the database, a context processor) must
    # not fail again while the error page renders.
    return HttpResponseServerError(loader.get_template("500.html").render())
