"""Who a request comes from, and the response headers every page carries."""

from django.conf import settings


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
