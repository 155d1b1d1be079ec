"""Writes to sessions that can change the matrix.

`provisions` cannot import `states`: a change that can alter matrix cells (a session's
number, status or dates; closing it) is announced with
provisions.signals.matrix_inputs_changed, which states.receivers turns into a stale
mark and a rebuild after commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from common.db import record_create, record_update, set_fields
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty
from provisions.signals import matrix_inputs_changed

_MATRIX_FIELDS = ("number", "status", "start_date", "end_date", "treaty_id")


def _announce(treaty_id, from_session_number):
    matrix_inputs_changed.send(
        sender=Session, treaty_id=treaty_id, from_session_number=from_session_number
    )


@transaction.atomic
def session_create(*, treaty, **fields) -> Session:
    """A new session of `treaty`."""
    session = Session(treaty=treaty)
    set_fields(session, fields)
    session.full_clean()
    session.save()
    if session.status != Session.Status.SCHEDULED:
        _announce(session.treaty_id, session.number)
    return session


@transaction.atomic
def session_update(*, session, **fields) -> Session:
    """Edit a session; announces the change when it can move matrix cells."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    before = {name: getattr(session, name) for name in _MATRIX_FIELDS}
    set_fields(session, fields)
    session.full_clean()
    session.save()
    after = {name: getattr(session, name) for name in _MATRIX_FIELDS}
    if before != after:
        lowest = min(before["number"], after["number"])
        _announce(after["treaty_id"], lowest)
        if before["treaty_id"] != after["treaty_id"]:
            _announce(before["treaty_id"], before["number"])
    return session


@transaction.atomic
def session_close(*, session) -> Session:
    """Close the session (idempotent); its snapshot is rebuilt after commit."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CLOSED:
        return session
    session.status = Session.Status.CLOSED
    session.save(update_fields=["status", "updated_at"])
    _announce(session.treaty_id, session.number)
    return session


@transaction.atomic
def session_delete(*, session) -> None:
    """Delete a session; refused while statements belong to it."""
    session = Session.objects.get(pk=session.pk)
    if session.statements.exists():
        raise ValidationError(
            "This session has statements; move or delete them before deleting it."
        )
    treaty_id, number = session.treaty_id, session.number
    session.delete()
    _announce(treaty_id, number)


@transaction.atomic
def provision_create(*, treaty, **fields):
    """A new provision of `treaty` (a paragraph under its article, or a proposal).

    No announcement: a provision without positions moves no matrix cell.
    """
    provision = Provision(treaty=treaty)
    set_fields(provision, fields)
    provision.full_clean()
    provision.save()
    return provision


def provision_text_create(*, provision, draft, label, heading="", text=""):
    """How `draft` prints `provision`: its label (and heading), and its text only
    when it is that draft's own wording (an empty text is "not on record")."""
    printed = ProvisionText(
        provision=provision, draft=draft, label=label, heading=heading, text=text
    )
    printed.full_clean()
    printed.save()
    return printed


# Treaties, drafts, chapters, provisions and their texts -------------------------
# Plain validated writes; restoring a version of one goes through these
# (states.revisions). Only a provision moved to another treaty can move matrix cells.


@transaction.atomic
def treaty_create(**fields) -> Treaty:
    return record_create(Treaty, fields)


@transaction.atomic
def treaty_update(*, treaty, **fields) -> Treaty:
    return record_update(treaty, fields)


@transaction.atomic
def draft_create(**fields) -> Draft:
    return record_create(Draft, fields)


@transaction.atomic
def draft_update(*, draft, **fields) -> Draft:
    return record_update(draft, fields)


@transaction.atomic
def chapter_create(**fields) -> Chapter:
    return record_create(Chapter, fields)


@transaction.atomic
def chapter_update(*, chapter, **fields) -> Chapter:
    return record_update(chapter, fields)


@transaction.atomic
def provision_update(*, provision, **fields) -> Provision:
    """Edit a provision; a move to another treaty owes both treaties' matrices."""
    before = provision.treaty_id
    provision = record_update(provision, fields)
    if provision.treaty_id != before:
        _announce(before, None)
        _announce(provision.treaty_id, None)
    return provision


@transaction.atomic
def provision_text_update(*, text, **fields) -> ProvisionText:
    return record_update(text, fields)
