"""Change proposals: an editor's edit of a published statement or position, held
until a reviewer accepts it (applied through states.services, the reviewer as
`updated_by`, the proposal keeping its proposer) or rejects it (DESIGN §2).

Proposed data is kept as JSON: fields by attribute name (`on_behalf_of_id`), actors
as ids, sources as [{url, kind}]. It is validated when proposed, on a copy of the
record, and again by the service that applies it.
"""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from states import services
from states.models import Actor, ChangeProposal, Position, Statement, Status

# What a proposal may change, per entity (attribute names).
PROPOSABLE = {
    ChangeProposal.Entity.STATEMENT: (
        "date",
        "kind",
        "title",
        "text",
        "source_url",
        "document_symbol",
        "language",
        "note",
        "on_behalf_of_id",
        "also_for",
        "verification",
    ),
    ChangeProposal.Entity.POSITION: ("stance", "wants", "quote", "note"),
}
ACTOR_LISTS = ("co_signers", "supporters")
MODEL_OF = {
    ChangeProposal.Entity.STATEMENT: Statement,
    ChangeProposal.Entity.POSITION: Position,
}
ENTITY_OF = {model: entity for entity, model in MODEL_OF.items()}


def _proposed_data(entity, record, fields):
    """The JSON kept for `fields` (as a service takes them); refuses the rest."""
    allowed = set(PROPOSABLE[entity])
    if entity == ChangeProposal.Entity.STATEMENT:
        allowed |= {*ACTOR_LISTS, "sources"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {name: "This cannot be changed by a proposal." for name in unknown}
        )
    data = {}
    for name, value in fields.items():
        if name in ACTOR_LISTS:
            data[name] = sorted(actor.pk for actor in value)
        elif name == "sources":
            data[name] = [
                {"url": source["url"], "kind": source.get("kind", "official_record")}
                for source in value
            ]
        else:
            data[name] = value
    return data


def _validate_on_copy(record, data):
    draft = copy.copy(record)
    for name, value in data.items():
        if name not in (*ACTOR_LISTS, "sources"):
            setattr(draft, name, value)
    if "sources" in data:
        draft.source_url = data["sources"][0]["url"] if data["sources"] else ""
    draft.full_clean()


def _changed_only(record, data):
    """Leave out what the proposal would not change."""
    return {
        name: value
        for name, value in data.items()
        if name in (*ACTOR_LISTS, "sources") or getattr(record, name) != value
    }


@transaction.atomic
def change_propose(*, user, record, **fields) -> ChangeProposal:
    """Hold `fields` as a proposed change of the published `record`."""
    if record.status != Status.PUBLISHED:
        raise ValidationError("Only a published record needs a proposal: edit it.")
    entity = ENTITY_OF[type(record)]
    data = _changed_only(record, _proposed_data(entity, record, fields))
    if not data:
        raise ValidationError("The proposal changes nothing.")
    _validate_on_copy(record, data)
    proposal = ChangeProposal(
        entity=entity, object_id=record.pk, data=data, proposed_by=user
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _pending(proposal):
    proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.PENDING:
        raise ValidationError(f"This proposal is already {proposal.status}.")
    return proposal


def _service_fields(data):
    fields = dict(data)
    for name in ACTOR_LISTS:
        if name in fields:
            fields[name] = list(Actor.objects.filter(pk__in=fields[name]))
    return fields


def record_of(proposal):
    """The statement or position a proposal changes, or None if it is gone."""
    return MODEL_OF[proposal.entity].objects.filter(pk=proposal.object_id).first()


@transaction.atomic
def change_accept(*, proposal, user, comment="") -> ChangeProposal:
    """Apply a pending proposal through the services, as `user` (the reviewer)."""
    proposal = _pending(proposal)
    record = record_of(proposal)
    if record is None:
        raise ValidationError("The record of this proposal no longer exists.")
    fields = _service_fields(proposal.data)
    if proposal.entity == ChangeProposal.Entity.STATEMENT:
        services.statement_update(statement=record, user=user, **fields)
    else:
        services.position_update(position=record, user=user, **fields)
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
