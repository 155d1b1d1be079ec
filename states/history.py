"""Reads for the histories (the desk's pages, the API's revisions): a record's
revisions with what each changed, field by field, named as readers know them (an
actor by name, a provision by title, a group by name), never as ids."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from provisions.models import Provision
from provisions.selectors import latest_label
from states.models import (
    Actor,
    ChangeProposal,
    Position,
    Revision,
    StatementSource,
    Status,
)
from states.revisions import MODEL_OF, SETS, current_record, history

E = Revision.Entity
# Lists of actors kept by id: shown by name and code ("France (FRA)"), as the
# statement form lists them: a code alone is not how every reader knows an actor.
_ACTOR_LISTS = {"co_signers", "supporters"}
# A proposal accepted by a reviewer is applied in the same transaction; so are a
# statement and the provisions and positions entered with it, and a statement and
# the positions published with it.
_PROPOSAL_WINDOW = datetime.timedelta(seconds=5)
_SAME_SAVE = _PROPOSAL_WINDOW


@dataclass
class Entry:
    revision: Revision
    changes: list = field(default_factory=list)  # [(field, before, after)]
    proposal: ChangeProposal | None = None
    # In a statement's history, a version of one of its positions: the provision it
    # is on, (id, name), and whether that provision was created with the statement
    # (from the entry grid, in the same save).
    provision: tuple | None = None
    new_provision: bool = False
    # The statement's publication: the positions published with it, [Entry].
    published_with: list | None = None

    @property
    def position(self):
        return self.revision.entity == E.POSITION

    @property
    def stance(self):
        """A position's stance in this version, as readers know it ("Support")."""
        value = self.revision.data.get("stance")
        return dict(Position.Stance.choices).get(value, value or "")


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


def provision_name(title, label):
    """A provision as the desk's histories name it: "Art. 14(3) Title", by the label
    its latest draft prints (a title alone, when no draft prints it)."""
    return f"{label} {title}" if label else title


class Names:
    """Names of the records that a history's data refer to, read once per model;
    `labelled`: provisions with their label as printed (read with them), as the
    desk's pages name them (the API keeps their titles)."""

    def __init__(self, model, entity, datas, *, labelled=False):
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
        self.labelled = labelled
        self.objects = {
            related: self._records(related).in_bulk(ids)
            for related, ids in wanted.items()
        }

    def _records(self, related):
        if related is Provision and self.labelled:
            return Provision.objects.annotate(printed=latest_label())
        return related.objects

    def of(self, related, pk):
        obj = self.objects.get(related, {}).get(pk)
        if obj is None:
            return f"#{pk} (deleted)"
        if related is Provision and self.labelled:
            return provision_name(obj.title, obj.printed)
        return _name(obj)

    def actor_of(self, pk):
        """An actor of a list: "France (FRA)"."""
        obj = self.objects.get(Actor, {}).get(pk)
        return f"{obj.name} ({obj.code})" if obj is not None else f"#{pk} (deleted)"

    def readable(self, name, value):
        """A stored value as a reader would name it."""
        if value is None or value == "":
            return ""
        if name in self.fks:
            return self.of(self.fks[name], value)
        if name in _ACTOR_LISTS:
            return ", ".join(sorted(self.actor_of(pk) for pk in value))
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


# Fields whose verbose name reads wrong in a diff.
_LABELS = {"co_signers": "co-signers"}


def label(model, name):
    """A field's name for readers ("on behalf of", not "on_behalf_of_id")."""
    if name in _LABELS:
        return _LABELS[name]
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


def _accepted_proposals(entity, object_ids, revisions):
    """The accepted proposals that may have changed the records: their own, and for
    positions those of their statement that added or removed positions."""
    if entity not in (E.STATEMENT, E.POSITION):
        return []
    own = Q(entity=entity, object_id__in=object_ids)
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
    """{revision id: the accepted proposal it applied}, for one record's revisions
    and the proposals that may have changed it. change_accept saves the
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


def _applied_to_positions(revisions, proposals):
    """_applied_by for the revisions of several positions: each position is matched
    with its own proposals and with its statement's (which add or remove positions)."""
    applied = {}
    for object_id in {r.object_id for r in revisions}:
        applied |= _applied_by(
            [r for r in revisions if r.object_id == object_id],
            [
                p
                for p in proposals
                if p.entity == E.STATEMENT or p.object_id == object_id
            ],
        )
    return applied


def names_for(entity, datas, *, labelled=False):
    """The names a history (or a page of revisions) of `entity` needs."""
    return Names(MODEL_OF[entity], entity, datas, labelled=labelled)


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
    names = names_for(entity, [r.data for r in revisions], labelled=True)
    proposals = _accepted_proposals(entity, [object_id], revisions)
    applied = _applied_by(revisions, proposals)
    result, before = [], {}
    for revision in revisions:
        result.append(
            Entry(
                revision,
                changes(revision, before, names),
                applied.get(revision.pk),
                provision=_provision_of(revision, names),
            )
        )
        before = revision.data
    return result[::-1]


def _provision_of(revision, names):
    """A position's version names the provision it is on, (id, name); the page
    links it (without, a position's own history page failed)."""
    if revision.entity != E.POSITION:
        return None
    provision_id = revision.data.get("provision_id")
    return (provision_id, names.of(Provision, provision_id))


# A statement's history, with its positions' ------------------------------------


def statement_entries(statement_id):
    """The statement's revisions and those of its positions (added, changed,
    deleted: stance, wants, quote …, on their provision by name), newest first.

    A position published with the statement (statement_publish_with_positions: the
    same reviewer, moments after) is listed in the statement's publication entry
    (`published_with`) rather than as an entry of its own, when publishing was all
    that changed of it. Reads a fixed number of queries, however long the history.
    """
    own = entries(E.STATEMENT, statement_id)
    kept = list(
        Revision.objects.filter(entity=E.POSITION, data__statement_id=statement_id)
        .select_related("user")
        .order_by("created_at", "id")
    )
    if not kept:
        return own
    positions = _position_entries(kept)
    folded = {id(entry) for entry in _publications(own, positions)}
    merged = own + [entry for entry in positions if id(entry) not in folded]
    merged.sort(key=lambda e: (e.revision.created_at, e.revision.pk), reverse=True)
    return merged


def _without_statement(data):
    """A position's data but its statement (the page's own: no change to show)."""
    return {name: value for name, value in data.items() if name != "statement_id"}


def _position_entries(kept):
    """[Entry] of positions' revisions (oldest first), each against the version of
    the same position before it."""
    datas = [_without_statement(r.data) for r in kept]
    # Each version names its provision "Art. 14(3) Title": a title alone was not
    # how an editor finds it in the draft.
    names = Names(MODEL_OF[E.POSITION], E.POSITION, datas, labelled=True)
    object_ids = sorted({r.object_id for r in kept})
    applied = _applied_to_positions(
        kept, _accepted_proposals(E.POSITION, object_ids, kept)
    )
    new_provisions = _provisions_created_with(kept)
    result, before = [], {}
    for revision, data in zip(kept, datas, strict=True):
        provision_id = revision.data.get("provision_id")
        first = revision.object_id not in before
        if revision.action == Revision.Action.DELETED:
            found = []
        else:
            found = _position_changes(names, before.get(revision.object_id), data)
        result.append(
            Entry(
                revision,
                found,
                applied.get(revision.pk),
                provision=(provision_id, names.of(Provision, provision_id)),
                new_provision=first and provision_id in new_provisions,
            )
        )
        before[revision.object_id] = data
    return result


# A position's fields as a coder reads them: the stance first.
_POSITION_ORDER = ("stance", "wants", "quote", "note", "status", "provision")


def _position_changes(names, before, after):
    """A position's changes, stance first; its provision only when it moved (the
    entry names the provision it is on)."""
    found = _record_changes(names, before or {}, after)
    if before is None:
        found = [change for change in found if change[0] != "provision"]
    rank = {name: index for index, name in enumerate(_POSITION_ORDER)}
    return sorted(found, key=lambda change: rank.get(change[0], len(rank)))


def _provisions_created_with(kept):
    """Ids of the provisions that were created in the same save as a position of
    theirs (the entry grid creates the provision a row names, then the position)."""
    first = {}
    for revision in kept:
        first.setdefault(revision.object_id, revision)
    on = {r.data.get("provision_id"): r for r in first.values()}
    created = Revision.objects.filter(
        entity=E.PROVISION, object_id__in=list(on), action=Revision.Action.CREATED
    ).only("object_id", "user_id", "created_at")
    return {
        made.object_id
        for made in created
        if made.user_id == on[made.object_id].user_id
        and made.created_at
        <= on[made.object_id].created_at
        <= made.created_at + _SAME_SAVE
    }


def _published(entry, before):
    data = entry.revision.data
    return (
        entry.revision.action != Revision.Action.DELETED
        and data.get("status") == Status.PUBLISHED
        and (before or {}).get("status") != Status.PUBLISHED
    )


def _publications(own, positions):
    """Give each publication of the statement the positions published with it;
    returns the position entries that say nothing more (to be listed there only)."""
    folded = []
    befores = {}
    published = []
    for entry in positions:
        if _published(entry, befores.get(entry.revision.object_id)):
            published.append(entry)
        befores[entry.revision.object_id] = entry.revision.data
    oldest_first = own[::-1]
    for index, entry in enumerate(oldest_first):
        before = oldest_first[index - 1].revision.data if index else None
        if not _published(entry, before):
            continue
        start = entry.revision.created_at
        entry.published_with = [
            p
            for p in published
            if p.revision.user_id == entry.revision.user_id
            and start <= p.revision.created_at <= start + _SAME_SAVE
        ]
        folded += [
            p
            for p in entry.published_with
            if [name for name, _, _ in p.changes] == ["status"] and p.proposal is None
        ]
    return folded


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
    if entity == E.POSITION:
        provision = Provision.objects.annotate(printed=latest_label()).get(
            pk=record.provision_id
        )
        named = provision_name(provision.title, provision.printed)
        return f"{kind}: {record.get_stance_display()}: {named}"
    return f"{kind}: {_name(record)}"
