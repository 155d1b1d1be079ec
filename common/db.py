import logging

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, models, transaction

logger = logging.getLogger(__name__)

# PostgreSQL's SQLSTATEs for a transaction it rolled back so that a concurrent one
# could go on: deadlock_detected and serialization_failure.
CONFLICT_SQLSTATES = frozenset({"40P01", "40001"})


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


def set_fields(obj, fields):
    """Assign `fields` to a model instance for a service, refusing what a caller may
    not set (keys, timestamps) or that the model does not have."""
    for name, value in fields.items():
        if name in {"id", "pk", "created_at", "updated_at"}:
            raise ValidationError({name: "This field cannot be set."})
        try:
            obj._meta.get_field(name)
        except Exception as error:
            raise ValidationError({name: "Unknown field."}) from error
        setattr(obj, name, value)


def record_create(model, fields):
    """A new `model` with `fields`, validated, saved: the plain create of a service
    for a record that owes nothing else (no matrix, no relations)."""
    record = model()
    set_fields(record, fields)
    record.full_clean()
    record.save()
    return record


def record_update(record, fields):
    """`record` locked, changed by `fields`, validated and saved (a service's plain
    update)."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    set_fields(record, fields)
    record.full_clean()
    record.save()
    return record


def is_write_conflict(error):
    """True for a deadlock or a serialization failure: the write lost a race with a
    concurrent one, nothing of it was kept, and running it again may well succeed."""
    if not isinstance(error, OperationalError):
        return False
    return getattr(error.__cause__, "sqlstate", None) in CONFLICT_SQLSTATES


def retry_on_conflict(write):
    """write() in a transaction of its own, run once more if it loses a race (a
    deadlock, a serialization failure); a second loss is raised to the caller (the
    API answers it 409). Inside a caller's transaction it runs once: the caller's
    work is gone with the conflict, so only the caller can retry it."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return write()
    try:
        with transaction.atomic():
            return write()
    except OperationalError as error:
        if not is_write_conflict(error):
            raise
        logger.warning("write lost a race, retried once: %s", error)
    with transaction.atomic():
        return write()
