from django.shortcuts import render

from states import selectors


def home(request):
    return render(
        request,
        "home.html",
        {
            "treaties": selectors.treaty_overviews(),
            "actor_counts": selectors.actor_counts_by_kind(),
        },
    )
