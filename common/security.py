"""Who a request comes from, URLs refused outright, and the headers every response
carries."""

from django.conf import settings
from django.http import Http404, JsonResponse


def client_address(request):
    """The client's IP address, trusting X-Forwarded-For only as far as NUM_PROXIES.

    The same rule as the REST framework's throttles (`NUM_PROXIES`): each trusted proxy
    appends the address it saw, so the client is that many entries from the right.
    Anything further left was written by the client and proves nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(proxies, len(hops))] or remote


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class NotFoundForNulInPathMiddleware:
    """404 for a NUL byte in the URL's path, for every view.

    PostgreSQL refuses NUL in text, so no row can be there; left to a view, the lookup
    is an error deep in a query (a 500). NUL in a query parameter is each view's to
    refuse with a 400 naming the parameter (ApiViewSet, the matrix parameters, pages).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404("No page here.")
        return self.get_response(request)
