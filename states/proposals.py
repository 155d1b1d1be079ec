"""Change proposals: an editor's edit of a published statement or position, held
until a reviewer accepts it (applied through states.services, the reviewer as
`updated_by`, the proposal keeping its proposer) or rejects it (DESIGN §2).

Proposed data is kept as JSON: fields by attribute name (`actor_id`,
`on_behalf_of_id`), actors as ids, sources as [{url, kind}]; a statement's proposal
may also add positions (`positions_added`: [{provision_id, stance, wants, quote,
note}]) and remove some (`positions_removed`: [position id]).

A proposal is checked when made by applying it, through the same services that
accept it, in a savepoint rolled back: the rules are those of entry and of accept,
never a copy of them. The record as it then was is kept as the proposal's `base`.
Accepting applies the proposal on top of the record as it is now, so changes made
since to other parts (another accepted proposal, a reviewer's edit) are kept; it
refuses one that conflicts with them, changing a part that was changed since (a
list — sources, co-signers, supporters, positions — counting as one part), so
nobody's change is silently written over.
"""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from provisions.models import Provision, Session
from states import services
from states.models import Actor, ChangeProposal, Position, Statement, Status

STATEMENT_FIELDS = (
    "session_id",
    "date",
    "actor_id",
    "on_behalf_of_id",
    "also_for",
    "kind",
    "verification",
    "title",
    "text",
    "source_url",
    "document_symbol",
    "language",
    "note",
)
POSITION_FIELDS = ("stance", "wants", "quote", "note")
# What a proposal may change, per entity (attribute names).
PROPOSABLE = {
    ChangeProposal.Entity.STATEMENT: STATEMENT_FIELDS,
    ChangeProposal.Entity.POSITION: POSITION_FIELDS,
}
ACTOR_LISTS = ("co_signers", "supporters")
RELATIONS = (*ACTOR_LISTS, "sources")
POSITION_CHANGES = ("positions_added", "positions_removed")
MODEL_OF = {
    ChangeProposal.Entity.STATEMENT: Statement,
    ChangeProposal.Entity.POSITION: Position,
}
ENTITY_OF = {model: entity for entity, model in MODEL_OF.items()}


class _DryRun(Exception):
    """Rolls back the savepoint a proposal was tried in."""


def _pk(value):
    return value.pk if isinstance(value, models.Model) else value


def _position_row(row):
    provision = row.get("provision", row.get("provision_id"))
    return {
        "provision_id": _pk(provision),
        **{name: row.get(name) or "" for name in POSITION_FIELDS},
    }


def _proposed_data(entity, fields):
    """The JSON kept for `fields` (as a service takes them); refuses the rest.
    A foreign key may be given as its record (`actor=`) or its id (`actor_id=`)."""
    allowed = set(PROPOSABLE[entity])
    if entity == ChangeProposal.Entity.STATEMENT:
        allowed |= {*RELATIONS, *POSITION_CHANGES}
    data = {}
    for name, value in fields.items():
        if f"{name}_id" in allowed and not name.endswith("_id"):
            name, value = f"{name}_id", _pk(value)
        if name not in allowed:
            raise ValidationError({name: "This cannot be changed by a proposal."})
        if name in ACTOR_LISTS:
            value = sorted(_pk(actor) for actor in value)
        elif name == "sources":
            value = [
                {"url": source["url"], "kind": source.get("kind") or "official_record"}
                for source in value
            ]
        elif name == "positions_added":
            value = [_position_row(row) for row in value]
        elif name == "positions_removed":
            value = sorted(_pk(position) for position in value)
        data[name] = value
    return _as_json(data)


def _as_json(value):
    """`value` as it reads back from a JSON field (dates as ISO strings)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def sources_of(statement):
    """[{url, kind}] of a statement; a lone `source_url` (a record written around
    the services) is its one source, an official record, as the services take it."""
    # Sorted here, not by the query: the review queue prefetches the sources.
    ordered = sorted(statement.sources.all(), key=lambda s: (s.order, s.pk))
    sources = [{"url": s.url, "kind": s.kind} for s in ordered]
    if not sources and statement.source_url:
        sources = [{"url": statement.source_url, "kind": "official_record"}]
    return sources


def base_of(record):
    """What a proposal of `record` is made on, as JSON: its fields, and for a
    statement its actors, sources and positions (read from what is prefetched)."""
    if isinstance(record, Position):
        base = {name: getattr(record, name) for name in (*POSITION_FIELDS, "status")}
        return _as_json(base)
    base = {name: getattr(record, name) for name in (*STATEMENT_FIELDS, "status")}
    base["co_signers"] = sorted(a.pk for a in record.co_signers.all())
    base["supporters"] = sorted(a.pk for a in record.supporters.all())
    base["sources"] = sources_of(record)
    base["positions"] = [
        [p.pk, p.provision_id, p.stance, p.wants, p.quote, p.note, p.status]
        for p in sorted(record.positions.all(), key=lambda p: p.pk)
    ]
    return _as_json(base)


def _changed_only(base, data):
    """Leave out what the proposal would not change."""
    kept = {}
    for name, value in data.items():
        if name in POSITION_CHANGES:
            if value:
                kept[name] = value
        elif name in ACTOR_LISTS:
            if sorted(value) != base[name]:
                kept[name] = value
        elif base.get(name) != value:
            kept[name] = value
    return kept


def _position_names(ids):
    return dict(Provision.objects.filter(pk__in=ids).values_list("pk", "title"))


def _check_position_changes(statement, data):
    """Positions removed are the statement's; positions added are on provisions of
    its treaty that it has no position on (or whose position is being removed)."""
    removed = set(data.get("positions_removed", ()))
    positions = {p.pk: p.provision_id for p in statement.positions.all()}
    foreign = removed - set(positions)
    if foreign:
        raise ValidationError(
            {"positions_removed": "A position to remove is not this statement's."}
        )
    added = [row["provision_id"] for row in data.get("positions_added", ())]
    _check_same_treaty(statement, data, removed)
    names = _position_names(added)
    kept = {positions[pk] for pk in positions if pk not in removed}
    seen = set()
    for provision_id in added:
        title = names.get(provision_id)
        if title is None:
            raise ValidationError({"positions_added": "A provision no longer exists."})
        if provision_id in kept:
            raise ValidationError(
                {
                    "positions_added": f"The statement has a position on {title}: "
                    "propose a change of it instead."
                }
            )
        if provision_id in seen:
            raise ValidationError(
                {"positions_added": f"{title} is listed twice among the additions."}
            )
        seen.add(provision_id)


def _check_same_treaty(statement, data, removed):
    """Positions are on provisions of the statement's treaty: one added on
    another's is refused, and so is a move to another treaty's session that would
    leave its positions behind."""
    session_id = data.get("session_id", statement.session_id)
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise ValidationError({"session": "This session no longer exists."})
    elsewhere = Provision.objects.exclude(treaty_id=session.treaty_id)
    added = [row["provision_id"] for row in data.get("positions_added", ())]
    foreign = elsewhere.filter(pk__in=added).first()
    if foreign is not None:
        raise ValidationError(
            {"positions_added": f"{foreign.title} is a provision of another treaty."}
        )
    kept = Position.objects.filter(statement=statement).exclude(pk__in=removed)
    if (
        "session_id" in data
        and elsewhere.filter(pk__in=kept.values("provision_id")).exists()
    ):
        raise ValidationError(
            {"session": "This session is of another treaty than the positions'."}
        )


def _service_fields(data):
    fields = {k: v for k, v in data.items() if k not in POSITION_CHANGES}
    for name in ACTOR_LISTS:
        if name in fields:
            fields[name] = list(Actor.objects.filter(pk__in=fields[name]))
            if len(fields[name]) != len(data[name]):
                raise ValidationError({name: "An actor named no longer exists."})
    return fields


def _add_position(statement, row, user):
    provision = Provision.objects.get(pk=row["provision_id"])
    fields = {name: row[name] for name in POSITION_FIELDS}
    try:
        services.position_create(
            user=user,
            statement=statement,
            provision=provision,
            status=statement.status,
            **fields,
        )
    except ValidationError as error:
        raise ValidationError(
            {"positions_added": [f"{provision.title}: {m}" for m in error.messages]}
        ) from error


def _apply(record, data, user):
    """Make the proposed change through the services, the matrix marked once."""
    if isinstance(record, Position):
        services.position_update(position=record, user=user, **data)
        return
    _check_position_changes(record, data)
    with services.matrix_marks_deferred():
        # Removed first: a position removed and one added frees its provision.
        for position in Position.objects.filter(
            pk__in=data.get("positions_removed", ())
        ).order_by("pk"):
            services.position_delete(position=position, user=user)
        fields = _service_fields(data)
        if fields:
            record = services.statement_update(statement=record, user=user, **fields)
        for row in data.get("positions_added", ()):
            _add_position(record, row, user)


def _try(record, data):
    """Apply `data` in a savepoint and roll it back: the services' refusals, or
    nothing. As the system (no user): the lock on published records is for the
    real change, made by the reviewer."""
    try:
        with transaction.atomic():
            _apply(record, data, user=None)
            raise _DryRun
    except _DryRun:
        pass


@transaction.atomic
def change_propose(*, user, record, **fields) -> ChangeProposal:
    """Hold `fields` as a proposed change of the published `record`."""
    if record.status != Status.PUBLISHED:
        raise ValidationError("Only a published record needs a proposal: edit it.")
    entity = ENTITY_OF[type(record)]
    base = base_of(record)
    data = _changed_only(base, _proposed_data(entity, fields))
    if not data:
        raise ValidationError("The proposal changes nothing.")
    _try(record, data)
    proposal = ChangeProposal(
        entity=entity, object_id=record.pk, data=data, base=base, proposed_by=user
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _pending(proposal):
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.PENDING:
        raise ValidationError(f"This proposal is already {proposal.status}.")
    return proposal


def record_of(proposal):
    """The statement or position a proposal changes, or None if it is gone."""
    return MODEL_OF[proposal.entity].objects.filter(pk=proposal.object_id).first()


# The parts of a record as readers name them, in a refusal or the review queue;
# what is stored together is one part (`source_url` is the first of the sources).
_PART_NAMES = {
    "session_id": "session",
    "actor_id": "speaker",
    "on_behalf_of_id": "on behalf of",
    "also_for": "also for",
    "source_url": "sources",
    "document_symbol": "document symbol",
    "co_signers": "co-signers",
    "positions_added": "positions",
    "positions_removed": "positions",
}


def _part(name):
    return _PART_NAMES.get(name, name)


def conflicts(proposal, current):
    """The parts of its record that `proposal` changes and that were changed since
    it was made, as readers name them; empty when none (or its base was not kept).
    `current` is the record's base_of() now. A record published or unpublished
    since conflicts with any proposal: it is no longer the one the editor saw."""
    base = proposal.base
    if base is None:
        return []
    changed = {_part(name) for name in current if current[name] != base.get(name)}
    parts = [
        _part(name)
        for name, value in proposal.data.items()
        # Changed since to just what is proposed: there is nothing to write over.
        if current.get(name) != value
    ]
    parts.append("status")
    return [part for part in dict.fromkeys(parts) if part in changed]


@transaction.atomic
def change_accept(*, proposal, user, comment="") -> ChangeProposal:
    """Apply a pending proposal on top of its record as it is now, through the
    services, as `user` (the reviewer), in one transaction; refused if it changes
    a part of the record that was changed since it was proposed."""
    proposal = _pending(proposal)
    record = record_of(proposal)
    if record is None:
        raise ValidationError("The record of this proposal no longer exists.")
    record = type(record).objects.select_for_update(of=("self",)).get(pk=record.pk)
    conflicting = conflicts(proposal, base_of(record))
    if conflicting:
        raise ValidationError(
            f"This proposal conflicts with a later change of the "
            f"{record._meta.verbose_name} ({', '.join(conflicting)}): accepting it "
            "would write over that change. Reject it; the editor can propose again "
            "on the current version."
        )
    _apply(record, proposal.data, user)
    return _close(proposal, user, ChangeProposal.Status.ACCEPTED, comment)


@transaction.atomic
def change_reject(*, proposal, user, comment="") -> ChangeProposal:
    """Decline a pending proposal; `comment` tells the editor why."""
    return _close(_pending(proposal), user, ChangeProposal.Status.REJECTED, comment)


def _close(proposal, user, status, comment):
    proposal.status = status
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.comment = comment
    proposal.full_clean()
    proposal.save()
    return proposal
