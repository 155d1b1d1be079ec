"""Every change to a statement or a position is kept, attributed and reversible.

Signals record a Revision for every save and delete, whatever made it: the services,
the admin and its inlines. Who made a change is the record's `updated_by` (both set
it); for a deletion, the user the services and the admin hand over as `_deleted_by`.
Co-signers are set after their statement is saved, so the m2m signal completes the
revision that save recorded. Bulk loads (the demo data, synthetic sets) bypass the
signals: the history starts with the editors.

revision_restore() puts a statement or position back as a revision has it, through
the services, so the matrix is owed a rebuild as after any edit. Publication is not
restored: publishing and unpublishing stay the reviewers' actions.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from provisions.models import Provision, Session
from states import services
from states.models import Actor, Group, Position, Revision, Statement
from states.signals import statement_relations_changed

ENTITY_OF = {Statement: Revision.Entity.STATEMENT, Position: Revision.Entity.POSITION}
# What a restore puts back (attribute names); status and attribution are not.
RESTORED = {
    Revision.Entity.STATEMENT: (
        "date",
        "kind",
        "title",
        "also_for",
        "verification",
        "text",
        "source_url",
        "document_symbol",
        "language",
        "note",
        "on_behalf_of_id",
    ),
    Revision.Entity.POSITION: ("stance", "wants", "quote", "note"),
}
_NOT_KEPT = {"id", "created_at", "updated_at", "created_by_id", "updated_by_id"}


def _relations(statement):
    """A statement's co-signers and supporters (actor ids) and sources."""
    return {
        "co_signers": sorted(statement.co_signers.values_list("id", flat=True)),
        "supporters": sorted(statement.supporters.values_list("id", flat=True)),
        "sources": [
            {"url": url, "kind": kind}
            for url, kind in statement.sources.values_list("url", "kind")
        ],
    }


def snapshot(obj):
    """The record's own fields as JSON-ready values (actors as ids)."""
    data = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in _NOT_KEPT
    }
    if isinstance(obj, Statement) and obj.pk is not None:
        data.update(_relations(obj))
    return data


def _record(obj, action, user_id):
    Revision.objects.create(
        entity=ENTITY_OF[type(obj)],
        object_id=obj.pk,
        action=action,
        data=snapshot(obj),
        user_id=user_id,
    )


@receiver(post_save, sender=Statement)
@receiver(post_save, sender=Position)
def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata: a copy of records, not a change
        return
    action = Revision.Action.CREATED if created else Revision.Action.CHANGED
    _record(instance, action, instance.updated_by_id)


@receiver(post_delete, sender=Statement)
@receiver(post_delete, sender=Position)
def _deleted(sender, instance, **kwargs):
    deleted_by = getattr(instance, "_deleted_by", None)
    _record(instance, Revision.Action.DELETED, getattr(deleted_by, "pk", None))


def _complete_latest(statement):
    latest = Revision.objects.filter(
        entity=Revision.Entity.STATEMENT, object_id=statement.pk
    ).first()
    if latest is not None:
        latest.data.update(_relations(statement))
        latest.save(update_fields=["data"])


@receiver(m2m_changed, sender=Statement.co_signers.through)
@receiver(m2m_changed, sender=Statement.supporters.through)
def _actors_changed(sender, instance, action, reverse, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    _complete_latest(instance)


@receiver(statement_relations_changed)
def _relations_changed(sender, statement, **kwargs):
    _complete_latest(statement)


def history_of(obj):
    """The revisions of a statement or position, newest first."""
    return Revision.objects.filter(entity=ENTITY_OF[type(obj)], object_id=obj.pk)


@transaction.atomic
def revision_restore(*, revision, user):
    """Make the statement or position what `revision` says; returns it.

    A deleted one comes back as a new draft (a position only while its statement
    exists). Raises ValidationError when that cannot be done.
    """
    # A field the revision does not hold (it predates the field) is left as it is.
    fields = {
        name: revision.data[name]
        for name in RESTORED[revision.entity]
        if name in revision.data
    }
    if revision.entity == Revision.Entity.STATEMENT:
        return _restore_statement(revision, fields, user)
    return _restore_position(revision, fields, user)


def _existing(model, pk, what):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError(f"The {what} of this version no longer exists.")
    return obj


def _restore_statement(revision, fields, user):
    data = revision.data
    relations = {
        role: list(Actor.objects.filter(id__in=data.get(role, [])))
        for role in ("co_signers", "supporters")
    }
    if "sources" in data:  # revisions older than sources kept source_url only
        relations["sources"] = data["sources"]
    if fields.get("on_behalf_of_id") is not None:
        _existing(Group, fields["on_behalf_of_id"], "group")
    session = _existing(Session, data["session_id"], "session")
    actor = _existing(Actor, data["actor_id"], "speaker")
    current = Statement.objects.filter(pk=revision.object_id).first()
    if current is None:
        return services.statement_create(
            user=user, session=session, actor=actor, **relations, **fields
        )
    return services.statement_update(
        statement=current,
        user=user,
        **relations,
        session_id=session.pk,
        actor_id=actor.pk,
        **fields,
    )


def _restore_position(revision, fields, user):
    current = Position.objects.filter(pk=revision.object_id).first()
    if current is not None:
        return services.position_update(position=current, user=user, **fields)
    statement = _existing(Statement, revision.data["statement_id"], "statement")
    provision = _existing(Provision, revision.data["provision_id"], "provision")
    return services.position_create(
        user=user, statement=statement, provision=provision, **fields
    )


def revision_give_reason(*, obj, reason):
    """Attach a public reason (a correction's) to the latest revision of `obj`."""
    latest = history_of(obj).order_by("-id").first()
    if latest is not None:
        latest.reason = reason
        latest.save(update_fields=["reason"])
    return latest
