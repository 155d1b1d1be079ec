"""Every write to statements, positions, actors, memberships and groups, and the matrix
build.

Each service is atomic, validates with full_clean() and, when the change can alter a
matrix cell, marks the treaty's matrix stale in the same transaction and schedules a
rebuild after commit (states.matrix.build holds the SQL, states.tasks the queue).

Lock order, so that concurrent writers queue instead of deadlocking: the rows a
service writes first (a `select_for_update(of=("self",))` locks only the row itself,
never the session or statement it joins), the parents their foreign keys share-lock,
and the treaty's MatrixState row last (matrix_mark_stale takes it, after making the
transaction's deferred foreign-key checks now). A deadlock or serialization failure
left over is retried once by the API, then answered 409 (common.db.retry_on_conflict).
"""

import contextlib
import datetime
import logging
import secrets
import threading
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min

from common.db import record_create, record_update, set_fields
from provisions.models import Session
from states import signals, tasks
from states.matrix import build as matrix_build
from states.models import (
    Actor,
    ActorAlias,
    ApiToken,
    Group,
    Membership,
    Position,
    Statement,
    StatementSource,
    Status,
)

logger = logging.getLogger(__name__)

_PUBLISH_REFUSED = "Use the publish action to publish; editing cannot publish."


def _is_published(obj):
    return obj.status == Status.PUBLISHED


PUBLISH_PERMISSION = {
    Statement: "states.publish_statement",
    Position: "states.publish_position",
}


def require_may_change(user, record):
    """Published records are locked for editors: only a user with the publish
    permission (or the system, user None) changes or deletes one; an editor proposes
    a change instead (states.proposals)."""
    if user is None or not _is_published(record):
        return
    if not user.has_perm(PUBLISH_PERMISSION[type(record)]):
        raise PermissionDenied(
            f"This {record._meta.verbose_name} is published: propose a change "
            "for a reviewer instead."
        )


# Who wrote a record is the request's user (or None): checking in full_clean() that
# the user exists costs a query per column, twice per publish through the API.
_WRITER_FIELDS = ["created_by", "updated_by"]


def _clean(record):
    """full_clean() but for the writer's columns, set from the acting user."""
    record.full_clean(exclude=_WRITER_FIELDS)


def _refuse_publishing_by_edit(fields, current_status):
    if fields.get("status") == Status.PUBLISHED and current_status != Status.PUBLISHED:
        raise ValidationError({"status": _PUBLISH_REFUSED})


def _statement_marks(statement):
    """(treaty id, session number) of where a published statement counts."""
    session = statement.session
    return session.treaty_id, session.number


_deferred = threading.local()


@contextlib.contextmanager
def matrix_marks_deferred():
    """Inside, the writes' matrix marks are collected; each treaty is marked once on
    leaving (lowest session number), in the caller's transaction. For writes made in
    bulk through the services (imports): one mark, not one per record."""
    if getattr(_deferred, "marks", None) is not None:
        yield  # nested: the outermost block marks
        return
    _deferred.marks = []
    try:
        yield
        marks = _deferred.marks
    finally:
        _deferred.marks = None
    _mark(marks)


def _mark(marks):
    """Mark each (treaty id, session number) stale, once per treaty, lowest number."""
    collected = getattr(_deferred, "marks", None)
    if collected is not None:
        collected.extend(marks)
        return
    lowest = {}
    for treaty_id, number in marks:
        if treaty_id not in lowest or number < lowest[treaty_id]:
            lowest[treaty_id] = number
    for treaty_id, number in lowest.items():
        matrix_mark_stale(treaty_id=treaty_id, from_session_number=number)


# Statements ---------------------------------------------------------------------


def _clean_sources(sources):
    """[StatementSource] (unsaved, in order) from [{url, kind}], each validated."""
    cleaned, seen = [], set()
    for order, source in enumerate(sources):
        item = StatementSource(
            url=(source.get("url") or "").strip(),
            kind=source.get("kind") or StatementSource.Kind.OFFICIAL_RECORD,
            order=order,
        )
        try:
            item.full_clean(exclude=["statement"], validate_constraints=False)
        except ValidationError as error:
            raise ValidationError({"sources": error.messages}) from error
        if item.url in seen:
            raise ValidationError({"sources": f"{item.url} is listed twice."})
        seen.add(item.url)
        cleaned.append(item)
    return cleaned


def _check_roles(speaker, co_signers, supporters):
    """An actor has one role in a statement: speaker, co-signer or supporter."""
    co_signer_ids = {a.pk for a in co_signers or ()}
    supporter_ids = {a.pk for a in supporters or ()}
    if speaker.pk in co_signer_ids | supporter_ids:
        raise ValidationError(
            {"co_signers": "The speaker is not also a co-signer or a supporter."}
        )
    if co_signer_ids & supporter_ids:
        raise ValidationError(
            {"supporters": "An actor is either a co-signer or a supporter, not both."}
        )


def _fields_with_sources(fields, sources):
    """`source_url` is always the first source: set it from `sources` when given."""
    if sources is None:
        return fields, None
    cleaned = _clean_sources(sources)
    return {**fields, "source_url": cleaned[0].url if cleaned else ""}, cleaned


def _set_relations(statement, co_signers, supporters, sources, created=False):
    """Set what was given (None: keep); a lone source_url keeps the first source.
    A statement just `created` has no sources to replace."""
    if co_signers is not None:
        statement.co_signers.set(co_signers)
    if supporters is not None:
        statement.supporters.set(supporters)
    if sources is not None:
        if not created:
            statement.sources.all().delete()
        for item in sources:
            item.statement = statement
        StatementSource.objects.bulk_create(sources)
        changed = True
    else:
        changed = _sync_first_source(statement)
    if changed:
        signals.statement_relations_changed.send(sender=Statement, statement=statement)


def _sync_first_source(statement):
    """Make the first source `source_url`; True when a source changed."""
    first = statement.sources.first()
    if not statement.source_url:
        if first is None:
            return False
        first.delete()
    elif first is None:
        StatementSource.objects.create(statement=statement, url=statement.source_url)
    elif first.url != statement.source_url:
        statement.sources.exclude(pk=first.pk).filter(url=statement.source_url).delete()
        first.url = statement.source_url
        first.save(update_fields=["url"])
    else:
        return False
    return True


@transaction.atomic
def statement_create(
    *, user, session, actor, co_signers=(), supporters=(), sources=None, **fields
) -> Statement:
    """A new statement (a draft unless `status` says otherwise).

    `sources` is [{url, kind}], the first becoming `source_url`; without it a
    `source_url` alone is the one source (an official record).
    """
    _check_roles(actor, co_signers, supporters)
    fields, sources = _fields_with_sources(fields, sources)
    statement = Statement(session=session, actor=actor)
    set_fields(statement, fields)
    if user is not None:
        statement.created_by = user
        statement.updated_by = user
    _clean(statement)
    statement.save()
    _set_relations(
        statement, co_signers or None, supporters or None, sources, created=True
    )
    if _is_published(statement):
        _mark([_statement_marks(statement)])
    return statement


@transaction.atomic
def statement_update(
    *, statement, user, co_signers=None, supporters=None, sources=None, **fields
) -> Statement:
    """Edit a statement; publishing goes through statement_publish."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    require_may_change(user, statement)
    _refuse_publishing_by_edit(fields, statement.status)
    if fields.get("status") == Status.DRAFT and _is_published(statement):
        raise ValidationError(
            {"status": "Use the unpublish action to withdraw a statement."}
        )
    before = _statement_marks(statement)
    speaker_before = statement.actor_id
    fields, sources = _fields_with_sources(fields, sources)
    set_fields(statement, fields)
    # A new speaker may be one of the co-signers or supporters it keeps.
    roles_changed = co_signers is not None or supporters is not None
    if roles_changed or statement.actor_id != speaker_before:
        _check_roles(
            statement.actor,
            statement.co_signers.all() if co_signers is None else co_signers,
            statement.supporters.all() if supporters is None else supporters,
        )
    if user is not None:
        statement.updated_by = user
    _clean(statement)
    statement.save()
    _set_relations(statement, co_signers, supporters, sources)
    if _is_published(statement):
        # The session, date, group, co-signers or supporters may have moved cells.
        _mark([before, _statement_marks(statement)])
    return statement


@transaction.atomic
def statement_publish(*, statement, user) -> Statement:
    """Publish a statement (it needs a source); its published positions now count."""
    statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=statement.pk)
    )
    if _is_published(statement):
        return statement
    statement.status = Status.PUBLISHED
    if user is not None:
        statement.updated_by = user
    _clean(statement)
    statement.save(update_fields=["status", "updated_by", "updated_at"])
    _mark([_statement_marks(statement)])
    return statement


@transaction.atomic
def statement_publish_with_positions(*, statement, user) -> Statement:
    """Publish a statement and every draft position it has, in one step."""
    statement = statement_publish(statement=statement, user=user)
    # In id order, as every writer locks rows of one table.
    for position in statement.positions.filter(status=Status.DRAFT).order_by("pk"):
        position_publish(position=position, user=user)
    return statement


@transaction.atomic
def statement_send_back(*, statement, user, comment) -> Statement:
    """A reviewer returns a draft to its editor with `comment` (shown on the desk)."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if _is_published(statement):
        raise ValidationError("Only a draft can be sent back.")
    if not comment.strip():
        raise ValidationError({"review_comment": "Say what needs changing."})
    statement.review_comment = comment.strip()
    if user is not None:
        statement.updated_by = user
    _clean(statement)
    statement.save(update_fields=["review_comment", "updated_by", "updated_at"])
    return statement


@transaction.atomic
def statement_unpublish(*, statement, user) -> Statement:
    """Withdraw a statement, withdrawing its published positions first."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if not _is_published(statement):
        return statement
    # One save per position, not an UPDATE of all: each withdrawal is a change to
    # the position and must reach its history (a statement has a few positions).
    for position in statement.positions.filter(status=Status.PUBLISHED).order_by("pk"):
        position.status = Status.DRAFT
        if user is not None:
            position.updated_by = user
        position.save(update_fields=["status", "updated_by", "updated_at"])
    statement.status = Status.DRAFT
    if user is not None:
        statement.updated_by = user
    statement.save(update_fields=["status", "updated_by", "updated_at"])
    _mark([_statement_marks(statement)])
    return statement


@transaction.atomic
def statement_delete(*, statement, user) -> None:
    """Delete a statement and its positions."""
    statement = Statement.objects.select_related("session").get(pk=statement.pk)
    require_may_change(user, statement)
    counted = _is_published(statement)
    mark = _statement_marks(statement)
    statement._deleted_by = user  # for its revision (states.revisions)
    statement.delete()
    if counted:
        _mark([mark])


# Positions ----------------------------------------------------------------------


def _position_counts(position):
    return _is_published(position) and _is_published(position.statement)


def _position_mark(position):
    return _statement_marks(position.statement)


@transaction.atomic
def position_create(*, user, statement, provision, **fields) -> Position:
    """A new position of `statement` on `provision`."""
    position = Position(statement=statement, provision=provision)
    set_fields(position, fields)
    if user is not None:
        position.created_by = user
        position.updated_by = user
    _clean(position)
    position.save()
    if _position_counts(position):
        _mark([_position_mark(position)])
    return position


@transaction.atomic
def position_update(*, position, user, **fields) -> Position:
    """Edit a position; publishing goes through position_publish."""
    position = (
        Position.objects.select_for_update(of=("self",))
        .select_related("statement__session")
        .get(pk=position.pk)
    )
    require_may_change(user, position)
    _refuse_publishing_by_edit(fields, position.status)
    if fields.get("status") == Status.DRAFT and _is_published(position):
        raise ValidationError(
            {"status": "Use the unpublish action to withdraw a position."}
        )
    counted_before = _position_counts(position)
    before = _position_mark(position)
    set_fields(position, fields)
    if user is not None:
        position.updated_by = user
    _clean(position)
    position.save()
    if counted_before or _position_counts(position):
        _mark([before, _position_mark(position)])
    return position


@transaction.atomic
def position_publish(*, position, user) -> Position:
    """Publish a position; its statement must be published already."""
    position = (
        Position.objects.select_for_update(of=("self",))
        .select_related("statement__session")
        .get(pk=position.pk)
    )
    if _is_published(position):
        return position
    position.status = Status.PUBLISHED
    if user is not None:
        position.updated_by = user
    _clean(position)
    position.save(update_fields=["status", "updated_by", "updated_at"])
    _mark([_position_mark(position)])
    return position


@transaction.atomic
def position_unpublish(*, position, user) -> Position:
    """Withdraw a position back to draft."""
    position = (
        Position.objects.select_for_update(of=("self",))
        .select_related("statement__session")
        .get(pk=position.pk)
    )
    if not _is_published(position):
        return position
    counted = _position_counts(position)
    position.status = Status.DRAFT
    if user is not None:
        position.updated_by = user
    position.save(update_fields=["status", "updated_by", "updated_at"])
    if counted:
        _mark([_position_mark(position)])
    return position


@transaction.atomic
def position_delete(*, position, user) -> None:
    """Delete a position."""
    position = Position.objects.select_related("statement__session").get(pk=position.pk)
    require_may_change(user, position)
    counted = _position_counts(position)
    mark = _position_mark(position)
    position._deleted_by = user  # for its revision (states.revisions)
    position.delete()
    if counted:
        _mark([mark])


# Memberships and groups ---------------------------------------------------------


def _mark_treaties_from_day(day):
    """Mark every treaty stale from its first session that ends on or after `day`.

    A membership change alters coverage only on days from its (earliest) start date:
    that reaches inherited cells of statements made then, and the rows a group filter
    selects as of sessions starting then.
    """
    firsts = (
        Session.objects.filter(end_date__gte=day)
        .values("treaty_id")
        .annotate(first=Min("number"))
        .order_by()
    )
    for row in firsts:
        matrix_mark_stale(treaty_id=row["treaty_id"], from_session_number=row["first"])


@transaction.atomic
def membership_create(*, actor, group, start_date, end_date=None) -> Membership:
    """Add `actor` to `group` from `start_date` (until `end_date`, if any)."""
    membership = Membership(
        actor=actor, group=group, start_date=start_date, end_date=end_date
    )
    membership.full_clean()
    membership.save()
    _mark_treaties_from_day(start_date)
    return membership


@transaction.atomic
def membership_update(*, membership, **fields) -> Membership:
    """Change a membership's dates, actor or group."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old_start = membership.start_date
    set_fields(membership, fields)
    membership.full_clean()
    membership.save()
    _mark_treaties_from_day(min(old_start, membership.start_date))
    return membership


@transaction.atomic
def membership_delete(*, membership) -> None:
    """Remove a membership."""
    membership = Membership.objects.get(pk=membership.pk)
    Membership.objects.filter(pk=membership.pk).delete()
    _mark_treaties_from_day(membership.start_date)


@transaction.atomic
def actor_create(**fields) -> Actor:
    """A new actor (its memberships are membership_create's)."""
    return record_create(Actor, fields)


@transaction.atomic
def actor_update(*, actor, **fields) -> Actor:
    """Edit an actor; a change of kind can add or drop it from the matrix's rows."""
    before = actor.kind
    actor = record_update(actor, fields)
    if actor.kind != before:
        _mark_treaties_from_day(datetime.date.min)
    return actor


@transaction.atomic
def actor_alias_create(**fields) -> ActorAlias:
    return record_create(ActorAlias, fields)


@transaction.atomic
def actor_alias_update(*, actor_alias, **fields) -> ActorAlias:
    return record_update(actor_alias, fields)


@transaction.atomic
def group_create(**fields) -> Group:
    return record_create(Group, fields)


@transaction.atomic
def group_update(*, group, **fields) -> Group:
    return record_update(group, fields)


@transaction.atomic
def group_delete(*, group) -> None:
    """Delete a group; refused while statements are made on its behalf."""
    if Statement.objects.filter(on_behalf_of_id=group.pk).exists():
        raise ValidationError(
            "This group has statements made on its behalf; it cannot be deleted."
        )
    first_start = group.memberships.aggregate(first=Min("start_date"))["first"]
    Group.objects.filter(pk=group.pk).delete()
    if first_start is not None:
        _mark_treaties_from_day(first_start)


# The matrix ---------------------------------------------------------------------


def matrix_mark_stale(*, treaty_id, from_session_number=None) -> None:
    """Owe a rebuild of the treaty's snapshots from that session on (None: all).

    Written in the caller's transaction; the rebuild is enqueued after commit, and the
    periodic sweep (states.rebuild_stale_matrices) catches it if the enqueue fails.
    """
    with transaction.atomic():
        matrix_build.mark_stale(treaty_id, from_session_number)
    tasks.schedule_rebuild(treaty_id)


def matrix_rebuild(*, treaty_id, full=False) -> dict:
    """Build the treaty's snapshots now; only from the stale session on unless `full`.

    Waits for a build already running on the treaty. Returns a summary: status
    ("built" or "fresh"), from_session, rows deleted and inserted, seconds, built_at.
    """
    started = time.perf_counter()
    summary = matrix_build.build(treaty_id, full=full, wait=True)
    summary["total_seconds"] = round(time.perf_counter() - started, 4)
    logger.info("matrix rebuild %s", summary)
    return summary


@transaction.atomic
def api_token_issue(*, user, rotate=False):
    """A new API key for `user`, returned once; only its digest is kept.

    A user has one key: issuing another needs `rotate`, which revokes the old one.
    """
    if not user.is_active:
        raise ValidationError(f"User {user.username!r} is inactive.")
    existing = ApiToken.objects.select_for_update().filter(user=user)
    if existing.exists() and not rotate:
        raise ValidationError(
            f"User {user.username!r} already has a token "
            f"({existing.get().prefix}…); rotate it to get a new key."
        )
    existing.delete()
    key = secrets.token_hex(20)
    ApiToken.objects.create(
        user=user, prefix=key[: ApiToken.PREFIX_LENGTH], digest=ApiToken.digest_of(key)
    )
    return key
