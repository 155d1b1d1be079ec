"""Who a request comes from, URLs refused outright, and the headers every response
carries."""

from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse


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


NUL_MESSAGE = "Null characters are not allowed in the URL."


class RejectNulInUrlMiddleware:
    """A NUL byte in the path is a 404 (nothing can be there), in the query string a
    400, for every view.

    PostgreSQL refuses NUL in text, so such a value can never match a row; left to the
    views it is an error deep in a query (a 500) rather than the client's mistake.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if "\x00" in request.path:
            if api:
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404(NUL_MESSAGE)
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            if api:
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain")
        return self.get_response(request)
