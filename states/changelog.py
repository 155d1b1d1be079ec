"""The public changelog: what changed in the published record, read from the revisions.

A revision is a public change when the record was public before it, after it, or both,
and something the public sees differs: it was published (new), edited (changed, or
corrected when the revision carries a reason), or withdrawn or deleted (unpublished).
A position is public while it and its statement are published; the statement's
status at the time is the one its latest earlier revision recorded (else its current
status, for records loaded in bulk before the history began). The editors' `note`
never appears: only the fields in PUBLIC_FIELDS are compared or shown.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from provisions.models import Provision, Session
from states import stances
from states.models import Actor, Group, Revision, Statement, Status

STATEMENT = Revision.Entity.STATEMENT
POSITION = Revision.Entity.POSITION

PUBLIC_FIELDS = {
    STATEMENT: (
        "title",
        "text",
        "date",
        "kind",
        "source_url",
        "document_symbol",
        "language",
        "on_behalf_of_id",
        "co_signers",
    ),
    POSITION: ("stance", "wants", "quote", "provision_id"),
}
# Shown as "changed" without their values (ids mean nothing to a reader).
_OPAQUE = {"on_behalf_of_id", "co_signers", "provision_id"}
LABELS = {
    "title": "title",
    "text": "text",
    "date": "date",
    "kind": "kind",
    "source_url": "source",
    "document_symbol": "document symbol",
    "language": "language",
    "on_behalf_of_id": "on behalf of",
    "co_signers": "co-signers",
    "stance": "stance",
    "wants": "what it wants instead",
    "quote": "quote",
    "provision_id": "provision",
}


class Kind:
    NEW = "new"
    CHANGED = "changed"
    CORRECTED = "corrected"
    UNPUBLISHED = "unpublished"


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: object
    after: object
    opaque: bool


@dataclass
class Change:
    """One public change, with what a reader needs to place it."""

    revision_id: int
    at: datetime.datetime
    entity: str
    object_id: int
    kind: str
    reason: str
    fields: list = field(default_factory=list)
    # The record as it was public (after the change, or before a withdrawal).
    statement_id: int | None = None
    title: str = ""
    text: str = ""
    source_url: str = ""
    stance: str | None = None
    quote: str = ""
    actor: Actor | None = None
    co_signer_ids: list = field(default_factory=list)
    group: Group | None = None
    session: Session | None = None
    provision: Provision | None = None
    keys: dict = field(default_factory=dict, repr=False)

    @property
    def treaty(self):
        return self.session.treaty if self.session else None


@dataclass(frozen=True)
class ChangeFilter:
    """Which changes to read; None means any."""

    treaty_id: int | None = None
    actor_id: int | None = None
    provision_id: int | None = None
    after_id: int | None = None  # revisions newer than this id
    before_id: int | None = None  # revisions older than this id (paging back)


def _as_int(key):
    return Cast(KT(f"data__{key}"), BigIntegerField())


def _candidates(flt):
    """Revisions that may be public changes matching the filter, newest first."""
    # Only statements and positions reach the public changelog; a first version
    # loaded in bulk is the baseline of later changes, not a change.
    revisions = Revision.objects.filter(entity__in=(STATEMENT, POSITION)).exclude(
        action=Revision.Action.LOADED
    )
    revisions = revisions.annotate(
        _statement=_as_int("statement_id"),
        _session=_as_int("session_id"),
        _actor=_as_int("actor_id"),
        _provision=_as_int("provision_id"),
    )
    if flt.after_id is not None:
        revisions = revisions.filter(id__gt=flt.after_id)
    if flt.before_id is not None:
        revisions = revisions.filter(id__lt=flt.before_id)
    if flt.treaty_id is not None:
        sessions = Session.objects.filter(treaty_id=flt.treaty_id).values("id")
        provisions = Provision.objects.filter(treaty_id=flt.treaty_id).values("id")
        revisions = revisions.filter(
            Q(entity=STATEMENT, _session__in=sessions)
            | Q(entity=POSITION, _provision__in=provisions)
        )
    if flt.actor_id is not None:
        spoken = Statement.objects.filter(actor_id=flt.actor_id).values("id")
        revisions = revisions.filter(
            Q(entity=STATEMENT, _actor=flt.actor_id)
            | Q(entity=POSITION, _statement__in=spoken)
        )
    if flt.provision_id is not None:
        revisions = revisions.filter(entity=POSITION, _provision=flt.provision_id)
    return revisions.order_by("-id")


def public_changes(flt=ChangeFilter(), *, limit=50):
    """The newest public changes matching `flt`, at most `limit`, newest first."""
    changes = []
    batch = max(limit * 2, 100)
    before_id = flt.before_id
    while len(changes) < limit:
        page = list(
            _candidates(ChangeFilter(**{**vars(flt), "before_id": before_id}))[:batch]
        )
        if not page:
            break
        changes.extend(_classify(page))
        before_id = page[-1].id
        if len(page) < batch:
            break
    changes = changes[:limit]
    _attach_context(changes)
    return changes


def _previous_revisions(page):
    """{revision id: the revision of the same record just before it, or None}."""
    wanted = {(r.entity, r.object_id) for r in page}
    newest = max(r.id for r in page)
    history = {}
    for entity in {e for e, _ in wanted}:
        ids = [o for e, o in wanted if e == entity]
        for rev in Revision.objects.filter(
            entity=entity, object_id__in=ids, id__lte=newest
        ).order_by("id"):
            history.setdefault((entity, rev.object_id), []).append(rev)
    previous = {}
    for revisions in history.values():
        for before, rev in zip([None, *revisions], revisions, strict=False):
            previous[rev.id] = before
    return previous


def _statement_status_at(page):
    """A function (statement id, revision id) → that statement's status then."""
    statement_ids = {
        r.data.get("statement_id") for r in page if r.entity == POSITION
    } - {None}
    timeline = {}
    for object_id, rev_id, status in (
        Revision.objects.filter(entity=STATEMENT, object_id__in=statement_ids)
        .order_by("id")
        .values_list("object_id", "id", KT("data__status"))
    ):
        timeline.setdefault(object_id, []).append((rev_id, status))
    current = dict(
        Statement.objects.filter(id__in=statement_ids).values_list("id", "status")
    )

    def status_at(statement_id, revision_id):
        earlier = [s for rid, s in timeline.get(statement_id, []) if rid < revision_id]
        if earlier:
            return earlier[-1]
        return current.get(statement_id)

    return status_at


def _public(revision, status_at):
    if revision is None or revision.action == Revision.Action.DELETED:
        return False
    data = revision.data
    if data.get("status") != Status.PUBLISHED:
        return False
    if revision.entity == POSITION:
        return status_at(data.get("statement_id"), revision.id) == Status.PUBLISHED
    return True


def _public_before(revision, before, status_at):
    if before is not None:
        return _public(before, status_at)
    if revision.action == Revision.Action.CHANGED:
        # Edited with no earlier revision: loaded in bulk. Its status before the edit
        # is unknown; a published record edited in place was most likely public.
        return _public(revision, status_at)
    return False


def _classify(page):
    previous = _previous_revisions(page)
    status_at = _statement_status_at(page)
    changes = []
    for rev in page:
        before = previous.get(rev.id)
        was = _public_before(rev, before, status_at)
        deleted = rev.action == Revision.Action.DELETED
        now = not deleted and _public(rev, status_at)
        if not (was or now):
            continue
        if was and not now:
            kind, fields = Kind.UNPUBLISHED, []
        elif now and not was:
            kind, fields = Kind.NEW, []
        else:
            fields = _field_changes(rev.entity, before, rev)
            if before is not None and not fields:
                continue  # only editors' fields or publication-neutral edits
            kind = Kind.CORRECTED if rev.reason else Kind.CHANGED
        changes.append(_change(rev, kind, fields))
    return changes


def _field_changes(entity, before, after):
    if before is None:
        return []
    changes = []
    for name in PUBLIC_FIELDS[entity]:
        old, new = before.data.get(name), after.data.get(name)
        if old != new:
            opaque = name in _OPAQUE
            changes.append(
                FieldChange(
                    name=name,
                    label=LABELS[name],
                    before=None if opaque else old,
                    after=None if opaque else new,
                    opaque=opaque,
                )
            )
    return changes


def _change(rev, kind, fields):
    data = rev.data
    change = Change(
        revision_id=rev.id,
        at=rev.created_at,
        entity=rev.entity,
        object_id=rev.object_id,
        kind=kind,
        reason=rev.reason,
        fields=fields,
    )
    if rev.entity == STATEMENT:
        change.statement_id = rev.object_id
        change.title = data.get("title") or ""
        change.text = data.get("text") or ""
        change.source_url = data.get("source_url") or ""
        change.co_signer_ids = list(data.get("co_signers") or [])
    else:
        change.statement_id = data.get("statement_id")
        change.stance = data.get("stance")
        change.quote = data.get("quote") or ""
    change.keys = {
        "actor": data.get("actor_id"),
        "session": data.get("session_id"),
        "group": data.get("on_behalf_of_id"),
        "provision": data.get("provision_id"),
    }
    return change


def _attach_context(changes):
    """Actors, sessions, groups and provisions of the changes, in a few queries."""
    statements = Statement.objects.in_bulk(
        {c.statement_id for c in changes if c.entity == POSITION} - {None}
    )
    for change in changes:
        if change.entity == POSITION:
            statement = statements.get(change.statement_id)
            if statement is not None:
                change.keys.update(
                    actor=statement.actor_id,
                    session=statement.session_id,
                    group=statement.on_behalf_of_id,
                )
                # A withdrawn statement's title and source may since have been
                # edited as a draft: not public.
                if statement.status == Status.PUBLISHED:
                    change.title = statement.title
                    change.source_url = statement.source_url
    actors = Actor.objects.in_bulk({c.keys["actor"] for c in changes} - {None})
    sessions = Session.objects.select_related("treaty").in_bulk(
        {c.keys["session"] for c in changes} - {None}
    )
    groups = Group.objects.in_bulk({c.keys["group"] for c in changes} - {None})
    provisions = Provision.objects.select_related("treaty").in_bulk(
        {c.keys["provision"] for c in changes} - {None}
    )
    for change in changes:
        keys = change.keys
        change.actor = actors.get(keys["actor"])
        change.session = sessions.get(keys["session"])
        change.group = groups.get(keys["group"])
        change.provision = provisions.get(keys["provision"])


def newest_revision_id():
    """The id a follower's cursor starts from: changes after it are news to them."""
    latest = Revision.objects.order_by("-id").values_list("id", flat=True).first()
    return latest or 0


def _stance_label(value):
    return stances.LABELS.get(value, value or "no stance")


def summary(change):
    """One plain sentence saying what changed (for the changelog, feed and digests)."""
    who = change.actor.name if change.actor else "An actor"
    if change.entity == STATEMENT:
        what = f"statement “{change.title}”"
    else:
        on = change.provision.title if change.provision else "a provision"
        what = f"position on {on} ({_stance_label(change.stance)})"
    if change.kind == Kind.NEW:
        return f"{who}: new {what}."
    if change.kind == Kind.UNPUBLISHED:
        return f"{who}: {what} withdrawn."
    stance = next((f for f in change.fields if f.name == "stance"), None)
    if stance is not None:
        on = change.provision.title if change.provision else "a provision"
        sentence = (
            f"{who}: stance on {on} changed from {_stance_label(stance.before)}"
            f" to {_stance_label(stance.after)}."
        )
    else:
        labels = ", ".join(f.label for f in change.fields) or "edited"
        sentence = f"{who}: {what} changed ({labels})."
    if change.kind == Kind.CORRECTED:
        return f"Correction. {sentence}"
    return sentence
