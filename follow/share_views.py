"""Share cards (PNG) and embeds: public reads that other sites show."""

from csp.decorators import csp_replace
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from common.errors import ParameterError
from follow import cards, embeds

CARD_MAX_AGE = 3600


@require_GET
def card(request, kind, **key):
    """A 1200×630 PNG for social previews (og:image)."""
    png = cards.card_png(kind, *key.values())
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={CARD_MAX_AGE}"
    return response


def frameable(view):
    """Any site may frame this view: no X-Frame-Options, and the site's CSP
    (django-csp, settings.CONTENT_SECURITY_POLICY) with `frame-ancestors *`.

    Only the embeds are: every other page keeps X-Frame-Options: DENY and
    frame-ancestors 'none'.
    """
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))


@frameable
@require_GET
def embed_provision(request, treaty, slug):
    """A provision's stance summary as of the current session."""
    provision, view, bar = embeds.stance_summary(treaty, slug)
    return render(
        request,
        "follow/embed_provision.html",
        {"provision": provision, "view": view, "bar": bar},
    )


@frameable
@require_GET
def embed_matrix(request, treaty):
    """A small slice of the matrix, chosen with the API's parameters."""
    try:
        view, rows = embeds.matrix_slice(treaty, request.GET)
    except ParameterError as error:
        return render(
            request,
            "follow/embed_error.html",
            {"message": f"{error.param}: {error.message}"},
            status=400,
        )
    return render(
        request,
        "follow/embed_matrix.html",
        {"view": view, "rows": rows, "query": request.GET.urlencode()},
    )


@frameable
@require_GET
def embed_status(request, treaty):
    """A treaty's signatories and parties, and the count toward entry into force."""
    counter = embeds.status_counter(treaty)
    return render(request, "follow/embed_status.html", {"counter": counter})
