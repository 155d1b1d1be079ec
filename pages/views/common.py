"""What every page view shares: refusing NUL characters and the 400 page."""

import functools

from django.shortcuts import render


def rejecting_nul(view):
    """400 for a query parameter holding a NUL character, which PostgreSQL text
    cannot store or compare (it would raise, a 500, in any lookup)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return bad_request(
                    request, f"{name.strip(chr(0))}: NUL characters are not allowed."
                )
        return view(request, *args, **kwargs)

    return wrapper


def bad_request(request, message, *, title="That request cannot be answered"):
    return render(
        request,
        "pages/bad_request.html",
        {"message": message, "title": title},
        status=400,
    )
