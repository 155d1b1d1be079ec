"""Every change to an editable record is kept, attributed and reversible.

Which records: statements and positions; treaties, sessions, drafts, chapters,
provisions and their texts (the `provisions` app, which may not import this one: the
receivers here observe its models); actors, their aliases, groups and memberships;
votes, treaty actions, and each vote's sponsors and ballots, kept as one set per vote
(they are only ever written whole, by states.acts).

Signals record a Revision for every save and delete, whatever made it: the services,
the admin and its inlines. Who made a change is the record's `updated_by` where it has
one (statements, positions, treaty actions), else the user acting
(common.acting: the request's, or the one a restore names); for a deletion, the user
the services hand over as `_deleted_by`, else the one acting. Co-signers are set
after their statement is saved, so the m2m signal completes the revision that save
recorded. A save that only touches `updated_at` records nothing.

Bulk loads write around the signals; the demo loader pauses them and then records a
first version ("loaded") of every record that has none (record_first_versions), so
there is always a version to go back to.

revision_restore() puts a record back as a revision has it, through the services, so
the matrix is owed a rebuild as after any edit. A deleted record comes back under its
old primary key (free, since the record is gone; the key came from its table's
sequence, so no later insert collides with it), so links to it and its history lead
to it again: the services create it as usual and a pre_save receiver gives the new
row the old key (_under_old_key). Publication is not restored:
publishing and unpublishing stay the reviewers' actions, and only a user who may
publish a record restores a version of it while it is published.

Why this table rather than django-reversion, django-simple-history or
django-pghistory: the history of statements and positions already lives here and the
changelog and the follow digests read it; one table with one reader keeps every
record's history in one place, in the same shape, attributed the same way, and
needs no per-model tables (simple-history), no revision blocks around every write
path (reversion records nothing outside one) and no PostgreSQL-only triggers
(pghistory; development runs on SQLite).
"""

import contextvars
import json
from contextlib import contextmanager, nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from common.acting import acting_as, acting_user_id
from provisions import services as provision_services
from provisions.models import (
    Chapter,
    Draft,
    Provision,
    ProvisionText,
    Session,
    Treaty,
)
from states import acts, services
from states.models import (
    Actor,
    ActorAlias,
    Ballot,
    Group,
    Membership,
    Position,
    Revision,
    Statement,
    StatementSource,
    Status,
    TreatyAction,
    Vote,
    VoteSponsor,
)
from states.signals import statement_relations_changed, vote_set_changed

E = Revision.Entity

# Records kept one revision per row.
ENTITY_OF = {
    Statement: E.STATEMENT,
    Position: E.POSITION,
    Treaty: E.TREATY,
    Session: E.SESSION,
    Draft: E.DRAFT,
    Chapter: E.CHAPTER,
    Provision: E.PROVISION,
    ProvisionText: E.PROVISION_TEXT,
    Actor: E.ACTOR,
    ActorAlias: E.ACTOR_ALIAS,
    Group: E.GROUP,
    Membership: E.MEMBERSHIP,
    Vote: E.VOTE,
    TreatyAction: E.TREATY_ACTION,
}
# A vote's sets: entity → (the model of one item, the key in `data`, the item's value).
SETS = {
    E.VOTE_SPONSORS: (VoteSponsor, "sponsors", "role"),
    E.BALLOTS: (Ballot, "ballots", "choice"),
}
MODEL_OF = {
    **{entity: model for model, entity in ENTITY_OF.items()},
    **{entity: model for entity, (model, _, _) in SETS.items()},
}
# What a restore puts back of a statement or position (attribute names); status and
# attribution are not. Other records get back every field their revision holds but
# `status`.
RESTORED = {
    E.STATEMENT: (
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
    E.POSITION: ("stance", "wants", "quote", "note"),
}
_NOT_KEPT = {"id", "created_at", "updated_at", "created_by_id", "updated_by_id"}
_NOT_RESTORED = {"status"}
PUBLISH_PERMISSION = {
    **services.PUBLISH_PERMISSION,
    TreatyAction: "states.publish_treatyaction",
}

_paused = contextvars.ContextVar("revisions_paused", default=False)
# While a deleted record is restored: [its model, its old key], until the first new
# row of that model takes the key.
_old_key = contextvars.ContextVar("revisions_old_key", default=None)


@contextmanager
def recording_paused():
    """No revision is recorded inside the block (a bulk load records its own)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


# Recording ------------------------------------------------------------------------


def _relations(statement):
    """A statement's co-signers and supporters (actor ids) and sources."""
    return {
        "co_signers": sorted(a.pk for a in statement.co_signers.all()),
        "supporters": sorted(a.pk for a in statement.supporters.all()),
        "sources": [{"url": s.url, "kind": s.kind} for s in statement.sources.all()],
    }


# A statement just inserted has no co-signer, supporter or source yet (they are set
# after it is saved, and their signals complete its revision): nothing to read.
_NO_RELATIONS = {"co_signers": [], "supporters": [], "sources": []}


def snapshot(obj, *, created=False):
    """The record's own fields as JSON-ready values (related records as ids)."""
    data = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in _NOT_KEPT
    }
    if isinstance(obj, Statement) and obj.pk is not None:
        data.update(_NO_RELATIONS if created else _relations(obj))
    return data


def set_snapshot(entity, items):
    """A vote's set as stored: {key: [[actor id, value], …]} in a fixed order."""
    _, key, value = SETS[entity]
    return {key: sorted([item.actor_id, getattr(item, value)] for item in items)}


def _as_stored(data):
    """`data` as it reads back from the JSON column (dates as text …)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _user_of(instance):
    if hasattr(instance, "updated_by_id"):
        return instance.updated_by_id
    return acting_user_id()


def _record(obj, action, user_id):
    Revision.objects.create(
        entity=ENTITY_OF[type(obj)],
        object_id=obj.pk,
        action=action,
        data=snapshot(obj, created=action == Revision.Action.CREATED),
        user_id=user_id,
    )


def _saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or _paused.get():  # loaddata: a copy of records, not a change
        return
    if (
        not created
        and update_fields is not None
        and set(update_fields) <= {"updated_at"}
    ):
        return  # a touch (a vote whose ballots were set): its set has its revision
    action = Revision.Action.CREATED if created else Revision.Action.CHANGED
    _record(instance, action, _user_of(instance))


def _deleted(sender, instance, **kwargs):
    if _paused.get():
        return
    deleted_by = getattr(instance, "_deleted_by", None)
    user_id = getattr(deleted_by, "pk", None) or acting_user_id()
    _record(instance, Revision.Action.DELETED, user_id)


for _model in ENTITY_OF:
    post_save.connect(
        _saved, sender=_model, dispatch_uid=f"revisions.saved.{_model._meta.label}"
    )
    post_delete.connect(
        _deleted, sender=_model, dispatch_uid=f"revisions.deleted.{_model._meta.label}"
    )


def _complete_latest(statement):
    if _paused.get():
        return
    latest = Revision.objects.filter(entity=E.STATEMENT, object_id=statement.pk).first()
    if latest is not None:
        latest.data.update(_relations(statement))
        latest.save(update_fields=["data"])


def _actors_changed(sender, instance, action, reverse, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    _complete_latest(instance)


for _through in (Statement.co_signers.through, Statement.supporters.through):
    m2m_changed.connect(
        _actors_changed,
        sender=_through,
        dispatch_uid=f"revisions.m2m.{_through._meta.label}",
    )


def _relations_changed(sender, statement, **kwargs):
    _complete_latest(statement)


statement_relations_changed.connect(
    _relations_changed, dispatch_uid="revisions.statement_relations_changed"
)


def _set_changed(sender, vote, entity, **kwargs):
    """Record a vote's sponsors or ballots as they now are, unless unchanged."""
    if _paused.get():
        return
    model, _, _ = SETS[entity]
    data = set_snapshot(entity, model.objects.filter(vote_id=vote.pk))
    latest = history(entity, vote.pk).first()
    if latest is not None and latest.data == _as_stored(data):
        return
    Revision.objects.create(
        entity=entity,
        object_id=vote.pk,
        action=Revision.Action.CHANGED if latest else Revision.Action.CREATED,
        data=data,
        user_id=acting_user_id(),
    )


vote_set_changed.connect(_set_changed, dispatch_uid="revisions.vote_set_changed")


def history(entity, object_id):
    """The revisions of the record `entity` `object_id`, newest first."""
    return Revision.objects.filter(entity=entity, object_id=object_id)


def history_of(obj):
    """The revisions of a record, newest first."""
    return history(ENTITY_OF[type(obj)], obj.pk)


# First versions of records loaded in bulk ----------------------------------------

_PREFETCH = {
    Statement: [
        "co_signers",
        "supporters",
        Prefetch("sources", queryset=StatementSource.objects.order_by("order", "id")),
    ],
    Vote: ["sponsorships", "ballots"],
}
_SET_ITEMS = {E.VOTE_SPONSORS: "sponsorships", E.BALLOTS: "ballots"}
BATCH = 1000


def record_first_versions() -> int:
    """A "loaded" revision (by the system) for every record that has none; returns
    how many. Idempotent: a record with any revision is left alone, so a second run
    records nothing. A vote's sets count as records of their own when not empty."""
    rows = []
    for model, entity in ENTITY_OF.items():
        kept = Revision.objects.filter(entity=entity).values("object_id")
        missing = model.objects.exclude(pk__in=kept).order_by("pk")
        for obj in missing.prefetch_related(*_PREFETCH.get(model, ())).iterator(
            chunk_size=BATCH
        ):
            rows.append(_loaded(entity, obj.pk, snapshot(obj)))
    for entity, related in _SET_ITEMS.items():
        kept = Revision.objects.filter(entity=entity).values("object_id")
        votes = Vote.objects.exclude(pk__in=kept).prefetch_related(related)
        for vote in votes:
            items = list(getattr(vote, related).all())
            if items:
                rows.append(_loaded(entity, vote.pk, set_snapshot(entity, items)))
    Revision.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _loaded(entity, object_id, data):
    return Revision(
        entity=entity, object_id=object_id, action=Revision.Action.LOADED, data=data
    )


# Restoring ------------------------------------------------------------------------


@contextmanager
def _under_old_key(model, pk):
    """The first new `model` saved inside the block is inserted as `pk`."""
    token = _old_key.set([model, pk])
    try:
        yield
    finally:
        _old_key.reset(token)


def _under_old_key_if_gone(revision):
    """Around a restore: a deleted record comes back under its old key."""
    model = MODEL_OF[revision.entity]
    if revision.entity in SETS or model.objects.filter(pk=revision.object_id).exists():
        return nullcontext()
    return _under_old_key(model, revision.object_id)


def _give_old_key(sender, instance, raw=False, **kwargs):
    wanted = _old_key.get()
    if raw or wanted is None or sender is not wanted[0] or instance.pk is not None:
        return
    # A key set on a new row: save() tries an UPDATE (no row), then INSERTs it.
    instance.pk = wanted[1]
    wanted[0] = None  # only the restored record, not what its service also creates


for _model in ENTITY_OF:
    pre_save.connect(
        _give_old_key,
        sender=_model,
        dispatch_uid=f"revisions.old_key.{_model._meta.label}",
    )


def current_record(entity, object_id):
    """The record a revision is of, as it is now (a vote, for its sets), or None."""
    model = Vote if entity in SETS else MODEL_OF[entity]
    return model.objects.filter(pk=object_id).first()


def may_restore(user, revision, current=None):
    """Whether `user` may restore `revision` (`current`: its record as it is now, if
    the caller has read it)."""
    if current is None:
        current = current_record(revision.entity, revision.object_id)
    return restore_refusal(user, revision.entity, current) is None


def require_may_restore(user, revision, current=None):
    if current is None:
        current = current_record(revision.entity, revision.object_id)
    refusal = restore_refusal(user, revision.entity, current)
    if refusal is not None:
        raise PermissionDenied(refusal)


def restore_refusal(user, entity, current):
    """Why `user` may not restore a version of a record of `entity` that is `current`
    now (None: deleted), or None when they may: the right to change the record (to
    add it, if deleted), and while it is public, a reviewer's right, as the services
    have it (services.require_may_change; for a vote and its sets, public once its
    ballots are entered, acts.require_may_change). The same for every version of one
    record: a history page asks once."""
    if user is None:  # the system
        return None
    model = MODEL_OF[entity]
    action = "change" if current is not None or entity in SETS else "add"
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return f"You may not {action} a {opts.verbose_name}."
    if isinstance(current, Vote):
        if acts.is_public(current) and not user.has_perm(acts.REVIEW_PERMISSION):
            return (
                "This vote's ballots are entered: only a reviewer restores a version "
                "of it or of its sponsors and ballots."
            )
        return None
    publish = PUBLISH_PERMISSION.get(model)
    published = getattr(current, "status", None) == Status.PUBLISHED
    if publish and published and not user.has_perm(publish):
        return (
            f"This {opts.verbose_name} is published: only a reviewer restores a "
            "version of it; propose a change for a reviewer instead."
        )
    return None


@transaction.atomic
def revision_restore(*, revision, user):
    """Make the record what `revision` says; returns it (the vote, for its sets).

    A deleted one comes back under its old id (a statement, position or treaty action
    as a draft), while the records it belongs to exist. Raises PermissionDenied when
    `user` may not (require_may_restore), ValidationError when it cannot be done.
    """
    if revision.action == Revision.Action.DELETED and revision.entity in SETS:
        raise ValidationError("Restore the vote itself to bring it back.")
    require_may_restore(user, revision)
    with acting_as(user), _under_old_key_if_gone(revision):
        if revision.entity in SETS:
            return _restore_set(revision, user)
        if revision.entity in RESTORED:
            # A field the revision does not hold (it predates it) is left as it is.
            fields = {
                name: revision.data[name]
                for name in RESTORED[revision.entity]
                if name in revision.data
            }
            if revision.entity == E.STATEMENT:
                return _restore_statement(revision, fields, user)
            return _restore_position(revision, fields, user)
        return _restore_record(revision, user)


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


def _pop(fields, name, model):
    """The record `name` a restored record belongs to, which must still exist."""
    return _existing(model, fields.pop(f"{name}_id"), name.replace("_", " "))


_ps = provision_services
# entity → (create from fields, update record with fields), each through a service.
_WRITERS = {
    E.TREATY: (
        lambda f, u: _ps.treaty_create(**f),
        lambda r, f, u: _ps.treaty_update(treaty=r, **f),
    ),
    E.SESSION: (
        lambda f, u: _ps.session_create(treaty=_pop(f, "treaty", Treaty), **f),
        lambda r, f, u: _ps.session_update(session=r, **f),
    ),
    E.DRAFT: (
        lambda f, u: _ps.draft_create(**f),
        lambda r, f, u: _ps.draft_update(draft=r, **f),
    ),
    E.CHAPTER: (
        lambda f, u: _ps.chapter_create(**f),
        lambda r, f, u: _ps.chapter_update(chapter=r, **f),
    ),
    E.PROVISION: (
        lambda f, u: _ps.provision_create(treaty=_pop(f, "treaty", Treaty), **f),
        lambda r, f, u: _ps.provision_update(provision=r, **f),
    ),
    E.PROVISION_TEXT: (
        lambda f, u: _ps.provision_text_create(
            provision=_pop(f, "provision", Provision),
            draft=_pop(f, "draft", Draft),
            **f,
        ),
        lambda r, f, u: _ps.provision_text_update(text=r, **f),
    ),
    E.ACTOR: (
        lambda f, u: services.actor_create(**f),
        lambda r, f, u: services.actor_update(actor=r, **f),
    ),
    E.ACTOR_ALIAS: (
        lambda f, u: services.actor_alias_create(**f),
        lambda r, f, u: services.actor_alias_update(actor_alias=r, **f),
    ),
    E.GROUP: (
        lambda f, u: services.group_create(**f),
        lambda r, f, u: services.group_update(group=r, **f),
    ),
    E.MEMBERSHIP: (
        lambda f, u: services.membership_create(
            actor=_pop(f, "actor", Actor), group=_pop(f, "group", Group), **f
        ),
        lambda r, f, u: services.membership_update(membership=r, **f),
    ),
    E.VOTE: (
        lambda f, u: acts.vote_create(treaty=_pop(f, "treaty", Treaty), **f),
        lambda r, f, u: acts.vote_update(vote=r, user=u, **f),
    ),
    E.TREATY_ACTION: (
        lambda f, u: acts.treaty_action_create(
            user=u, treaty=_pop(f, "treaty", Treaty), actor=_pop(f, "actor", Actor), **f
        ),
        lambda r, f, u: acts.treaty_action_update(action=r, user=u, **f),
    ),
}


def _restore_record(revision, user):
    model = MODEL_OF[revision.entity]
    own = {f.attname for f in model._meta.concrete_fields}
    # A field the revision does not hold (it predates it) is left as it is.
    fields = {
        name: value
        for name, value in revision.data.items()
        if name in own and name not in _NOT_RESTORED
    }
    create, update = _WRITERS[revision.entity]
    current = model.objects.filter(pk=revision.object_id).first()
    if current is None:
        return create(fields, user)
    return update(current, fields, user)


def _restore_set(revision, user):
    vote = _existing(Vote, revision.object_id, "vote")
    _, key, _ = SETS[revision.entity]
    pairs = revision.data.get(key, [])
    actors = Actor.objects.in_bulk({actor_id for actor_id, _ in pairs})
    gone = sorted({actor_id for actor_id, _ in pairs} - set(actors))
    if gone:
        raise ValidationError(
            f"Actors of this version no longer exist (ids {', '.join(map(str, gone))})."
        )
    # With the user: the services refuse an editor a public vote's sets as well.
    if revision.entity == E.BALLOTS:
        acts.ballots_set(vote=vote, choices={actors[a]: c for a, c in pairs}, user=user)
    else:
        sponsors = [(actors[a], r) for a, r in pairs]
        acts.vote_sponsors_set(vote=vote, sponsors=sponsors, user=user)
    return vote


def revision_give_reason(*, obj, reason):
    """Attach a public reason (a correction's) to the latest revision of `obj`."""
    latest = history_of(obj).order_by("-id").first()
    if latest is not None:
        latest.reason = reason
        latest.save(update_fields=["reason"])
    return latest
