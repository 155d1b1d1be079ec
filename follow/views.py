"""The public's writes: follow by e-mail (double opt-in), unsubscribe, report a
correction. Thin: parse, call a service, render."""

import logging

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from follow import ratelimit, selectors, services, targets, tasks, tokens
from follow.forms import CorrectionForm, FollowForm

logger = logging.getLogger(__name__)


def _refused(request, message, *, status, title="That cannot be done"):
    return render(
        request,
        "follow/message.html",
        {"title": title, "message": message},
        status=status,
    )


@require_POST
def follow_start(request):
    """Send a confirmation link for following an actor, provision, group or search."""
    form = FollowForm(request.POST)
    if not ratelimit.allowed(request, request.POST.get("email", ""), scope="follow"):
        return _refused(
            request,
            "Too many requests from here or for this address. Try again in an hour.",
            status=429,
            title="Slow down",
        )
    if not form.is_valid():
        return render(
            request, "follow/follow_form_errors.html", {"form": form}, status=400
        )
    data = form.cleaned_data
    if not form.is_bot():
        try:
            tasks.send_confirmation.delay(data["email"], data["kind"], data["key"])
        except Exception:
            logger.exception("could not send a follow confirmation")
            return _refused(
                request,
                "The confirmation e-mail could not be sent just now. Try again later.",
                status=503,
            )
    # A bot sees the same answer as a person: nothing tells it it was caught.
    return render(
        request,
        "follow/requested.html",
        {"target": data["target"], "email": data["email"]},
    )


@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """GET asks (mail scanners open links); POST stores the follow."""
    try:
        email, kind, key = tokens.read_confirm_token(token)
        target = targets.resolve(kind, key)
    except (tokens.BadToken, targets.UnknownTarget) as error:
        return _refused(request, str(error), status=400)
    if request.method == "GET":
        return render(
            request,
            "follow/confirm.html",
            {"target": target, "email": email, "token": token},
        )
    try:
        follow, created = services.follow_confirm(token=token)
    except (tokens.BadToken, targets.UnknownTarget) as error:
        return _refused(request, str(error), status=400)
    return render(
        request,
        "follow/confirmed.html",
        {"target": target, "follow": follow, "created": created},
    )


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to this URL with no
# cookie and no CSRF token; the signed token is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request, token):
    """GET asks; POST deletes the address and everything it follows."""
    try:
        tokens.read_unsubscribe_token(token)
    except tokens.BadToken as error:
        return _refused(request, str(error), status=400)
    if request.method == "GET":
        return render(request, "follow/unsubscribe.html", {"token": token})
    deleted = services.follower_unsubscribe(token=token)
    return render(request, "follow/unsubscribed.html", {"deleted": deleted})


# Correction reports -----------------------------------------------------------------


def _reported(request):
    """(statement, position) named by ?position= or ?statement=; 400/404 otherwise."""
    for name in ("position", "statement"):
        raw = request.GET.get(name)
        if raw is None:
            continue
        if not raw.isdigit():
            raise _BadParameter(f"{name}: {raw[:40]!r} is not an id.")
        found = selectors.reportable(**{f"{name}_id": int(raw)})
        if found is None:
            raise Http404(f"There is no published {name} {raw}.")
        return found
    raise _BadParameter("Name the quote: ?position=<id> or ?statement=<id>.")


class _BadParameter(ValueError):
    pass


@require_http_methods(["GET", "POST"])
def correction_new(request):
    """A short public form: report a mistake in a quote or its coding."""
    try:
        statement, position = _reported(request)
    except _BadParameter as error:
        return _refused(request, str(error), status=400)
    form = CorrectionForm(request.POST or None)
    context = {"statement": statement, "position": position, "form": form}
    if request.method == "GET":
        return render(request, "follow/correction_form.html", context)
    if not ratelimit.allowed(
        request, request.POST.get("email", ""), scope="correction"
    ):
        return _refused(
            request,
            "Too many reports from here. Try again in an hour.",
            status=429,
            title="Slow down",
        )
    if not form.is_valid():
        return render(request, "follow/correction_form.html", context, status=400)
    if not form.is_bot():
        data = form.cleaned_data
        try:
            services.correction_report_create(
                statement=statement,
                position=position,
                message=data["message"],
                source_url=data["source_url"],
                email=data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "follow/correction_form.html", context, status=400)
    return render(request, "follow/correction_thanks.html", context)
