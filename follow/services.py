"""Every write of the follow app: follows, unsubscribes, digests, correction reports."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from follow import digest, targets, tokens
from follow.links import absolute
from follow.models import CorrectionReport, Follow, Follower
from states import changelog, revisions
from states import services as state_services

logger = logging.getLogger(__name__)

# Changes one digest lists at most; the rest are on the changelog page it links.
DIGEST_MAX_CHANGES = 200


# Following --------------------------------------------------------------------------


def follow_request_message(*, email, target):
    """The confirmation e-mail for following `target` (double opt-in)."""
    token = tokens.confirm_token(email=email, kind=target.kind, key=target.key)
    body = render_to_string(
        "follow/email/confirm.txt",
        {
            "target": target,
            "confirm_url": absolute(reverse("follow-confirm", args=[token])),
            "hours": int(settings.FOLLOW_CONFIRM_HOURS),
            "site_url": settings.SITE_URL,
        },
    )
    return EmailMessage(
        subject=f"Confirm: follow {target.label} on Treaty Tracker",
        body=body,
        to=[email],
    )


def follow_request_send(*, email, kind, key):
    """Send the confirmation e-mail for a follow request (stores nothing)."""
    follow_request_message(email=email, target=targets.resolve(kind, key)).send()


@transaction.atomic
def follow_confirm(*, token):
    """Store the follow a confirmation link carries; returns (follow, created).

    Raises tokens.BadToken or targets.UnknownTarget (the target was since deleted).
    """
    email, kind, key = tokens.read_confirm_token(token)
    target = targets.resolve(kind, key)
    follower, _ = Follower.objects.get_or_create(
        email=email.lower(), defaults={"cursor": changelog.newest_revision_id()}
    )
    follow, created = Follow.objects.get_or_create(
        follower=follower,
        kind=target.kind,
        key=target.key,
        defaults={"label": target.label},
    )
    return follow, created


@transaction.atomic
def follower_unsubscribe(*, token):
    """Delete the address and all it follows; False when it was already gone."""
    follower_id, email = tokens.read_unsubscribe_token(token)
    deleted, _ = Follower.objects.filter(pk=follower_id, email=email).delete()
    return bool(deleted)


@transaction.atomic
def follow_stop(*, follow):
    """Stop one follow; the address goes with its last one."""
    follower = follow.follower
    follow.delete()
    if not follower.follows.exists():
        follower.delete()


# Digests ----------------------------------------------------------------------------


def digests_send(*, now=None):
    """Send each due follower (no digest in the last FOLLOW_DIGEST_MIN_HOURS) one
    digest of the public changes since their cursor that touch what they follow.

    Returns the number of digests sent. A follower with nothing new has their cursor
    moved on and no mail. One failed delivery leaves that follower's cursor where it
    was (they get the changes next time) and does not stop the others.
    """
    now = now or timezone.now()
    newest = changelog.newest_revision_id()
    due = list(_due_followers(now).filter(cursor__lt=newest))
    if not due:
        return 0
    changes = changelog.public_changes(
        changelog.ChangeFilter(after_id=min(f.cursor for f in due)),
        limit=DIGEST_MAX_CHANGES,
    )
    matcher = targets.Matcher([f for follower in due for f in follower.follows.all()])
    sent = 0
    with get_connection() as connection:
        for follower in due:
            sent += _send_one(follower, changes, matcher, newest, now, connection)
    return sent


def _due_followers(now):
    limit = now - timezone.timedelta(hours=settings.FOLLOW_DIGEST_MIN_HOURS)
    return Follower.objects.filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=limit)
    ).prefetch_related("follows")


def _send_one(follower, changes, matcher, newest, now, connection):
    with transaction.atomic():
        # Another digest run holding this follower sends theirs; skip it here.
        locked = (
            Follower.objects.select_for_update(skip_locked=True)
            .filter(pk=follower.pk, cursor=follower.cursor)
            .exists()
        )
        if not locked:
            return 0
        items = digest.items_for(follower, changes, matcher)
        if items:
            message = digest.message(follower, items, connection=connection)
            try:
                message.send()
            except Exception:
                logger.exception("digest to follower %s not delivered", follower.pk)
                return 0
        fields = {"cursor": newest}
        if items:
            fields["last_digest_at"] = now
        Follower.objects.filter(pk=follower.pk).update(**fields)
    return 1 if items else 0


# Correction reports -----------------------------------------------------------------

# What an accepted correction may change, per record (the public fields).
CORRECTABLE = {
    "position": ("stance", "quote"),
    "statement": ("title", "text", "source_url"),
}


@transaction.atomic
def correction_report_create(
    *, statement, position=None, message, source_url="", email=""
):
    """A reader's report on a published statement or position (the reviewers'
    queue: follow.selectors.open_correction_reports)."""
    report = CorrectionReport(
        statement=statement,
        position=position,
        message=message,
        source_url=source_url,
        email=email,
    )
    report.full_clean()
    report.save()
    return report


def _answer(report, *, user, status, answer):
    report.status = status
    report.answer = answer
    report.answered_by = user
    report.answered_at = timezone.now()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def correction_accept(*, report, user, answer, changes):
    """Correct the record as `changes` says (through the states services, so the
    matrix is owed a rebuild) and record the answer; the changelog shows the
    correction with `answer` as its reason."""
    report = CorrectionReport.objects.select_for_update().get(pk=report.pk)
    _refuse_if_answered(report)
    target = report.position if report.position_id else report.statement
    entity = "position" if report.position_id else "statement"
    unknown = set(changes) - set(CORRECTABLE[entity])
    if unknown:
        raise ValidationError(
            f"A correction cannot change {', '.join(sorted(unknown))}."
        )
    changed = {k: v for k, v in changes.items() if getattr(target, k) != v}
    if not changed:
        raise ValidationError("An accepted correction changes the record.")
    if not answer.strip():
        raise ValidationError({"answer": "Say why: it is shown with the correction."})
    if entity == "position":
        target = state_services.position_update(position=target, user=user, **changed)
    else:
        target = state_services.statement_update(statement=target, user=user, **changed)
    revisions.revision_give_reason(obj=target, reason=answer.strip())
    return _answer(
        report,
        user=user,
        status=CorrectionReport.Status.ACCEPTED,
        answer=answer.strip(),
    )


@transaction.atomic
def correction_reject(*, report, user, answer):
    """Answer a report without changing the record."""
    report = CorrectionReport.objects.select_for_update().get(pk=report.pk)
    _refuse_if_answered(report)
    if not answer.strip():
        raise ValidationError({"answer": "Say why the record stays as it is."})
    return _answer(
        report,
        user=user,
        status=CorrectionReport.Status.REJECTED,
        answer=answer.strip(),
    )


def correction_answer(*, report, user, decision, answer, changes):
    """The reviewer's decision on a report, as the desk and the admin take it:
    `decision` is ACCEPTED (with `changes`) or REJECTED."""
    if decision == CorrectionReport.Status.ACCEPTED:
        return correction_accept(
            report=report, user=user, answer=answer, changes=changes
        )
    if decision == CorrectionReport.Status.REJECTED:
        return correction_reject(report=report, user=user, answer=answer)
    raise ValidationError({"decision": "Choose to accept or to reject the report."})


def _refuse_if_answered(report):
    if report.status != CorrectionReport.Status.OPEN:
        raise ValidationError("This report has already been answered.")
