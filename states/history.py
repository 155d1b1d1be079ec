"""Reads for the histories (the desk's pages, the API's revisions): a record's
revisions with what each changed, field by field, named as readers know them (an
actor by name, a provision by title, a group by name), never as ids."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from states.models import Actor, ChangeProposal, Revision, StatementSource
from states.revisions import MODEL_OF, SETS, current_record, history

E = Revision.Entity
# Lists of actors kept by id: shown by code (short, and how delegations are listed).
_ACTOR_LISTS = {"co_signers", "supporters"}
# A proposal accepted by a reviewer is applied in the same transaction.
_PROPOSAL_WINDOW = datetime.timedelta(seconds=5)


@dataclass
class Entry:
    revision: Revision
    changes: list = field(default_factory=list)  # [(field, before, after)]
    proposal: ChangeProposal | None = None


def _name(obj):
    """How readers know a record: its own string ("Chapter II. Criminalization",
    an actor's or group's name, a provision's title)."""
    return str(obj)


def _relations(model):
    """{attname: the model it refers to} of a record's foreign keys."""
    return {
        f.attname: f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one
    }


class Names:
    """Names of the records that a history's data refer to, read once per model."""

    def __init__(self, model, entity, datas):
        self.model, self.entity = model, entity
        self.fks = _relations(model) if entity not in SETS else {}
        wanted = {}
        for data in datas:
            for attname, related in self.fks.items():
                if data.get(attname) is not None:
                    wanted.setdefault(related, set()).add(data[attname])
            actor_ids = set()
            for name in _ACTOR_LISTS:
                actor_ids |= set(data.get(name) or ())
            if entity in SETS:
                actor_ids |= {pair[0] for pair in data.get(SETS[entity][1], ())}
            if actor_ids:
                wanted.setdefault(Actor, set()).update(actor_ids)
        self.objects = {
            related: related.objects.in_bulk(ids) for related, ids in wanted.items()
        }

    def of(self, related, pk):
        obj = self.objects.get(related, {}).get(pk)
        if obj is None:
            return f"#{pk} (deleted)"
        return _name(obj)

    def code_of(self, pk):
        obj = self.objects.get(Actor, {}).get(pk)
        return obj.code if obj is not None else f"#{pk} (deleted)"

    def readable(self, name, value):
        """A stored value as a reader would name it."""
        if value is None or value == "":
            return ""
        if name in self.fks:
            return self.of(self.fks[name], value)
        if name in _ACTOR_LISTS:
            return ", ".join(sorted(self.code_of(pk) for pk in value))
        if name == "sources" and isinstance(value, list):
            return "; ".join(_source(item) for item in value)
        model_field = _field(self.model, name)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _source(item):
    if isinstance(item, dict):
        kind = item.get("kind")
        shown = dict(StatementSource.Kind.choices).get(kind, kind)
        return f"{item.get('url', '')} ({shown})"
    return str(item)


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def label(model, name):
    """A field's name for readers ("on behalf of", not "on_behalf_of_id")."""
    model_field = _field(model, name)
    if isinstance(model_field, models.ForeignKey):
        return str(model_field.verbose_name)
    if model_field is not None and not model_field.auto_created:
        return str(model_field.verbose_name)
    return name.removesuffix("_id").replace("_", " ")


def _record_changes(names, before, after):
    changes = []
    for name in list(after) + [n for n in before if n not in after]:
        old = names.readable(name, before.get(name))
        new = names.readable(name, after.get(name))
        if old != new:
            changes.append((label(names.model, name), old, new))
    return changes


def _set_changes(names, before, after):
    """One row per actor whose item changed: (actor, before, after)."""
    key = SETS[names.entity][1]
    value_field = _field(names.model, SETS[names.entity][2])
    shown = dict(value_field.flatchoices) if value_field is not None else {}

    def items(data):
        grouped = {}
        for actor_id, value in data.get(key, ()):
            grouped.setdefault(actor_id, []).append(str(shown.get(value, value)))
        return {a: ", ".join(sorted(v)) for a, v in grouped.items()}

    old, new = items(before), items(after)
    rows = [
        (names.of(Actor, actor_id), old.get(actor_id, ""), new.get(actor_id, ""))
        for actor_id in set(old) | set(new)
        if old.get(actor_id, "") != new.get(actor_id, "")
    ]
    return sorted(rows)


def _accepted_proposals(entity, object_id, revisions):
    """The accepted proposals that may have changed the record: its own, and for a
    position those of its statement that added or removed positions."""
    if entity not in (E.STATEMENT, E.POSITION):
        return []
    own = Q(entity=entity, object_id=object_id)
    if entity == E.POSITION:
        statements = {r.data.get("statement_id") for r in revisions} - {None}
        own |= Q(
            entity=E.STATEMENT,
            object_id__in=statements,
            data__has_any_keys=["positions_added", "positions_removed"],
        )
    return list(
        ChangeProposal.objects.filter(
            own, status=ChangeProposal.Status.ACCEPTED
        ).select_related("proposed_by")
    )


def _applied_by(revisions, proposals):
    """{revision id: the accepted proposal it applied}. change_accept saves the
    record and the proposal in one transaction: the applying revision is the
    reviewer's last one at most moments before the proposal's review (not an earlier
    one of theirs, such as publishing it)."""
    applied = {}
    for proposal in proposals:
        if proposal.reviewed_at is None:
            continue
        candidates = [
            r
            for r in revisions
            if r.user_id == proposal.reviewed_by_id
            and r.created_at <= proposal.reviewed_at <= r.created_at + _PROPOSAL_WINDOW
        ]
        if candidates:
            applied[max(candidates, key=lambda r: (r.created_at, r.pk)).pk] = proposal
    return applied


def names_for(entity, datas):
    """The names a history (or a page of revisions) of `entity` needs."""
    return Names(MODEL_OF[entity], entity, datas)


def changes(revision, before, names):
    """[(field, before, after)] of `revision` against the version before it (a
    deletion changes nothing but the record's existence)."""
    if revision.action == Revision.Action.DELETED:
        return []
    diff = _set_changes if revision.entity in SETS else _record_changes
    return diff(names, before or {}, revision.data)


def entries(entity, object_id):
    """The record's revisions, newest first, each with its field-level changes
    against the version before it (everything, for the first one): [Entry]."""
    revisions = list(history(entity, object_id).select_related("user"))[::-1]
    names = names_for(entity, [r.data for r in revisions])
    applied = _applied_by(revisions, _accepted_proposals(entity, object_id, revisions))
    result, before = [], {}
    for revision in revisions:
        result.append(
            Entry(
                revision,
                changes(revision, before, names),
                applied.get(revision.pk),
            )
        )
        before = revision.data
    return result[::-1]


def title(entity, object_id, record=None):
    """What the history page calls the record."""
    kind = Revision.Entity(entity).label
    if entity in SETS:
        vote = record or current_record(entity, object_id)
        return f"{kind} of {vote}" if vote else f"{kind} of vote {object_id}"
    if record is None:
        record = current_record(entity, object_id)
    if record is None:
        return f"{kind} {object_id} (deleted)"
    return f"{kind}: {_name(record)}"
