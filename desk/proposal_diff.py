"""What a change proposal would change, as the review queue shows it: each field
named as readers know it, records by name, never by id ("Speaker: Japan →
Australia", "Co-signers: + France, − Chile", "Position on Art. 5: removed")."""

from dataclasses import dataclass

from provisions.models import Provision, Session
from provisions.selectors import latest_labels
from states import proposals
from states.models import (
    Actor,
    ChangeProposal,
    Group,
    Position,
    Statement,
    StatementSource,
)

LABELS = {
    "session_id": "Session",
    "date": "Date",
    "actor_id": "Speaker",
    "on_behalf_of_id": "On behalf of",
    "also_for": "Also for",
    "kind": "Kind",
    "verification": "Verification",
    "title": "Title",
    "text": "Text",
    "source_url": "Source",
    "document_symbol": "Document symbol",
    "language": "Language",
    "note": "Note (editors only)",
    "stance": "Stance",
    "wants": "Wants",
    "quote": "Quote",
    "co_signers": "Co-signers",
    "supporters": "Supporters",
    "sources": "Sources",
}
_RECORDS = {"session_id": Session, "actor_id": Actor, "on_behalf_of_id": Group}
_CHOICES = {
    "kind": dict(Statement.Kind.choices),
    "verification": dict(Statement._meta.get_field("verification").choices),
    "stance": dict(Position.Stance.choices),
}
_SOURCE_KINDS = dict(StatementSource.Kind.choices)


@dataclass
class Row:
    """One line of a diff: a value replaced (before → after), or items of a list
    added and removed."""

    label: str
    before: str = ""
    after: str = ""
    added: tuple = ()
    removed: tuple = ()
    removal: bool = False  # the record itself goes (a position removed)

    @property
    def is_list(self):
        return bool(self.added or self.removed)


@dataclass
class Names:
    """What the diffs of the whole queue name, read once for all of its proposals:
    {field: {id: name}} of the records fields point to, actors by id, provisions
    by id as printed in the latest draft."""

    records: dict
    actors: dict
    provisions: dict

    @classmethod
    def of(cls, compared):
        """The names for `compared`: (proposal data, the base it is shown against)."""
        ids = {name: set() for name in _RECORDS}
        actor_ids, provision_ids = set(), set()
        for data, base in compared:
            for values in (data, base):
                for name, found in ids.items():
                    if values.get(name) is not None:
                        found.add(values[name])
                for name in proposals.ACTOR_LISTS:
                    actor_ids.update(values.get(name, ()))
            provision_ids.update(
                row["provision_id"] for row in data.get("positions_added", ())
            )
            removed = set(data.get("positions_removed", ()))
            provision_ids.update(
                p[1] for p in base.get("positions", ()) if p[0] in removed
            )
        # The speaker is an actor too: one query for every actor named.
        actors = _actor_names(actor_ids | ids.pop("actor_id"))
        records = {
            name: {r.pk: str(r) for r in _RECORDS[name].objects.filter(pk__in=found)}
            for name, found in ids.items()
            if found
        }
        records["actor_id"] = actors
        return cls(records, actors, _provision_names(provision_ids))

    def of_value(self, name, value):
        if value is None or value == "":
            return "—"
        if name in _RECORDS:
            return self.records.get(name, {}).get(value, f"#{value} (deleted)")
        if name in _CHOICES:
            return str(_CHOICES[name].get(value, value))
        return str(value)


def _actor_names(ids):
    if not ids:
        return {}
    return dict(Actor.objects.filter(pk__in=ids).values_list("pk", "name"))


def _actor_rows(data, base, names):
    rows = []
    for name in proposals.ACTOR_LISTS:
        if name not in data:
            continue
        before, after = set(base.get(name, ())), set(data[name])
        rows.append(
            Row(
                LABELS[name],
                added=tuple(
                    sorted(names.actors.get(pk, f"#{pk}") for pk in after - before)
                ),
                removed=tuple(
                    sorted(names.actors.get(pk, f"#{pk}") for pk in before - after)
                ),
            )
        )
    return rows


def _source(item):
    return f"{item['url']} ({_SOURCE_KINDS.get(item['kind'], item['kind'])})"


def _sources_row(data, base):
    before = [_source(s) for s in base.get("sources", ())]
    after = [_source(s) for s in data["sources"]]
    row = Row(
        LABELS["sources"],
        added=tuple(s for s in after if s not in before),
        removed=tuple(s for s in before if s not in after),
    )
    if not row.is_list:  # the same sources in another order: the first one changed
        row.before, row.after = "; ".join(before), "; ".join(after)
    return row


def _position_summary(row):
    parts = [_CHOICES["stance"].get(row["stance"], row["stance"])]
    if row.get("wants"):
        parts.append(f"wants “{row['wants']}”")
    if row.get("quote"):
        parts.append(f"quote “{row['quote']}”")
    return ", ".join(parts)


def _provision_names(ids):
    """{provision id: "Art. 14(3)"} as printed in the latest draft, else its title."""
    if not ids:
        return {}
    labels = latest_labels(ids)
    titles = dict(Provision.objects.filter(pk__in=ids).values_list("pk", "title"))
    return {pk: labels[pk][0] if pk in labels else titles.get(pk, "?") for pk in ids}


def _position_rows(data, base, names):
    removed_ids = set(data.get("positions_removed", ()))
    removed = [p for p in base.get("positions", ()) if p[0] in removed_ids]
    added = data.get("positions_added", ())
    rows = [
        Row(
            f"Position on {names.provisions[provision_id]}",
            before=_position_summary({"stance": stance, "wants": wants}),
            after="removed",
            removal=True,
        )
        for _pk, provision_id, stance, wants, *_rest in removed
    ]
    rows += [
        Row(
            f"Position on {names.provisions[row['provision_id']]}",
            after=f"added, {_position_summary(row)}",
        )
        for row in added
    ]
    return rows


@dataclass
class ReviewItem:
    """A pending proposal as the review queue shows it."""

    proposal: object
    record: object  # None when it is gone
    rows: list
    conflicts: list  # parts it changes that were changed since it was proposed

    @property
    def heading(self):
        if self.record is None:
            return f"{self.proposal.get_entity_display()} (no longer exists)"
        if isinstance(self.record, Position):
            statement = self.record.statement
            return (
                f"Position on {self.record.provision.title} in “{statement.title}” "
                f"({statement.actor.name})"
            )
        return (
            f"Statement “{self.record.title}” ({self.record.actor.name}, "
            f"{self.record.session.title})"
        )

    @property
    def statement_id(self):
        if self.record is None:
            return None
        return getattr(self.record, "statement_id", self.record.pk)


def _records(pending):
    """{(entity, id): record} of the proposals' statements and positions, with what
    their headings and bases read, in a few queries for the whole queue."""
    loaded = {
        ChangeProposal.Entity.STATEMENT: Statement.objects.select_related(
            "actor", "session"
        ).prefetch_related("co_signers", "supporters", "sources", "positions"),
        ChangeProposal.Entity.POSITION: Position.objects.select_related(
            "statement__actor", "provision"
        ),
    }
    ids = {entity: set() for entity in loaded}
    for proposal in pending:
        ids[proposal.entity].add(proposal.object_id)
    return {
        (entity, pk): record
        for entity, found in ids.items()
        if found
        for pk, record in loaded[entity].in_bulk(found).items()
    }


def review_items(pending):
    """What accepting each of the `pending` proposals would change in its record as
    it is now, and what it conflicts with; a number of queries that does not grow
    with the number of proposals."""
    pending = list(pending)
    records = _records(pending)
    compared = []
    for proposal in pending:
        record = records.get((proposal.entity, proposal.object_id))
        # Compared with the record as it is now (as proposed, if it is gone).
        base = (proposal.base or {}) if record is None else proposals.base_of(record)
        compared.append((proposal, record, base))
    names = Names.of([(proposal.data, base) for proposal, _record, base in compared])
    return [
        _review_item(proposal, record, base, names)
        for proposal, record, base in compared
    ]


def _review_item(proposal, record, base, names):
    data = proposal.data
    rows = [
        Row(
            LABELS[name],
            names.of_value(name, base.get(name)),
            names.of_value(name, value),
        )
        for name, value in data.items()
        if name in LABELS and name not in proposals.RELATIONS
    ]
    rows += _actor_rows(data, base, names)
    if "sources" in data:
        rows.append(_sources_row(data, base))
    conflicts = [] if record is None else proposals.conflicts(proposal, base)
    return ReviewItem(
        proposal, record, rows + _position_rows(data, base, names), conflicts
    )
