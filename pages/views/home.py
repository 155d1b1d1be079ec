"""The home page, the treaty page and the methodology."""

from django.shortcuts import redirect, render
from django.templatetags.static import static

from pages import charts
from pages.selectors import home as home_page
from pages.selectors import treaty as treaty_page
from states.models import Actor


def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "treaties": home_page.treaty_overviews(),
            "actor_counts": home_page.actor_counts_by_kind(),
        },
    )


def treaty_detail(request, treaty):
    """The treaty: sessions, drafts, and every provision by chapter with its label."""
    page = treaty_page.treaty_page(treaty)
    return render(request, "pages/treaty_detail.html", vars(page))


def methodology(request):
    return render(
        request,
        "pages/methodology.html",
        {
            "stances": charts.legend(),
            "kinds": Actor.Kind.choices,
        },
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to ours."""
    return redirect(static("favicon.svg"), permanent=True)
