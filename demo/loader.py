"""Load the demo data set idempotently from its data files (demo.data).

The statements and their positions go through the positions import, like any
editor's file: the published ones published, the others as drafts. The reference
tables (the treaty, its sessions, drafts and provisions, the actors and groups, the
formal acts) are matched on their natural keys, then created with `bulk_create` or
updated with `bulk_update` only where a field differs. A second load writes nothing,
and the reference tables cost a few dozen queries rather than one round trip per row.
"""

import datetime
from collections import Counter

from django.db import models, transaction

from demo import data
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty
from states import imports, revisions
from states.bulk import bulk_loaded
from states.models import (
    Actor,
    ActorAlias,
    Ballot,
    Group,
    Membership,
    Position,
    Statement,
    StatementSource,
    TreatyAction,
    Vote,
    VoteSponsor,
)

CoSigner = Statement.co_signers.through
Supporter = Statement.supporters.through

MODELS = (
    Treaty,
    Session,
    Draft,
    Chapter,
    Provision,
    ProvisionText,
    Actor,
    ActorAlias,
    Group,
    Membership,
    Statement,
    CoSigner,
    Supporter,
    StatementSource,
    Position,
    Vote,
    VoteSponsor,
    Ballot,
    TreatyAction,
)

# Columns the files keep for editors (where a fact comes from), not loaded.
FOR_EDITORS = ("label_source",)
# The statement files, in the import's format, and whether each is published.
STATEMENT_FILES = (("statements.csv", True), ("statements-draft.csv", False))


class DemoDataError(Exception):
    """A data file the loader cannot load as it is: a mistake in the data."""


def demo_load() -> dict[str, int]:
    """Create or update the demo rows in one transaction; returns counts per model.

    The rows are written around the revision signals; then every record that has
    no history gets its first version (a second load records none).
    """
    with transaction.atomic():
        with revisions.recording_paused():
            treaty = _load_treaty()
            sessions = _load_sessions(treaty)
            drafts = _load_drafts(treaty, sessions)
            chapters = _load_chapters(treaty)
            _load_provisions(treaty, chapters, drafts)
            actors = _load_actors()
            _load_groups(actors)
            for name, publish in STATEMENT_FILES:
                _import_statements(treaty, name, publish)
            _load_formal_acts(treaty, actors)
            bulk_loaded(treaty_id=treaty.id, rebuild_now=True)
        revisions.record_first_versions()
    return model_counts()


def model_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


def _upsert(queryset, key, rows):
    """Make `queryset` hold `rows` (dicts of attname → value), matched on `key`.

    Returns {key values: instance}. Rows of the queryset that are not in `rows` are
    left alone.
    """
    model = queryset.model
    existing = {tuple(getattr(obj, f) for f in key): obj for obj in queryset}
    result, new, changed, fields = {}, [], [], set()
    for values in rows:
        row_key = tuple(values[f] for f in key)
        obj = existing.get(row_key)
        if obj is None:
            obj = model(**values)
            new.append(obj)
        else:
            differing = [f for f, v in values.items() if getattr(obj, f) != v]
            for field in differing:
                setattr(obj, field, values[field])
            if differing:
                changed.append(obj)
                fields.update(differing)
        result[row_key] = obj
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, sorted(fields))
    return result


def _replace(queryset, key, rows):
    """Like `_upsert`, and delete the rows of `queryset` that are not in `rows`."""
    kept = _upsert(queryset, key, rows)
    stale = [obj.pk for obj in queryset if _key(obj, key) not in kept]
    queryset.model.objects.filter(pk__in=stale).delete()


def _key(obj, key):
    return tuple(getattr(obj, f) for f in key)


def _by_name(result):
    """{the key's last value, as text: instance}: how the files name a record."""
    return {str(row_key[-1]): obj for row_key, obj in result.items()}


# Reading the files --------------------------------------------------------------


def _rows(name, model, refs=(), **fixed):
    """File `name`'s rows as attname → value for `model`, with `fixed` added.

    `refs` maps a column to {name: instance}: the column names a related record
    (`chapter` → `chapter_id`). Other columns are the model's fields, typed by them.
    """
    refs = dict(refs)
    result = []
    for number, raw in enumerate(data.rows(name), start=2):
        values = dict(fixed)
        for column, text in raw.items():
            if column in FOR_EDITORS:
                continue
            if column in refs:
                values[f"{column}_id"] = _ref(name, number, refs[column], text)
            else:
                values[column] = _typed(model._meta.get_field(column), text)
        result.append(values)
    return result


def _ref(name, number, records, text):
    if not text:
        return None
    if text not in records:
        raise DemoDataError(f"{name}, row {number}: nothing is called {text!r}.")
    return records[text].pk


def _typed(field, text):
    """A cell's text as `field` holds it: dates in ISO, lists one item a line."""
    if text == "" and field.null:
        return None
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat(text)
    if isinstance(field, models.BooleanField):
        return {"true": True, "false": False}[text]
    if isinstance(field, models.IntegerField):
        return int(text)
    if isinstance(field, models.JSONField):
        return text.splitlines()
    return text


# The negotiation ----------------------------------------------------------------


def _load_treaty():
    loaded = _upsert(Treaty.objects.all(), ("slug",), _rows("treaty.csv", Treaty))
    (treaty,) = loaded.values()
    return treaty


def _load_sessions(treaty):
    rows = _rows("sessions.csv", Session, treaty_id=treaty.id)
    return _by_name(_upsert(Session.objects.filter(treaty=treaty), ("number",), rows))


def _load_drafts(treaty, sessions):
    rows = _rows("drafts.csv", Draft, {"session": sessions}, treaty_id=treaty.id)
    return _by_name(_upsert(Draft.objects.filter(treaty=treaty), ("slug",), rows))


def _load_chapters(treaty):
    rows = _rows("chapters.csv", Chapter, treaty_id=treaty.id)
    return _by_name(_upsert(Chapter.objects.filter(treaty=treaty), ("number",), rows))


def _load_provisions(treaty, chapters, drafts):
    rows = _rows(
        "provisions.csv", Provision, {"chapter": chapters}, treaty_id=treaty.id
    )
    provisions = _by_name(
        _upsert(Provision.objects.filter(treaty=treaty), ("slug",), rows)
    )
    _upsert(
        ProvisionText.objects.filter(provision__treaty=treaty),
        ("provision_id", "draft_id"),
        _rows(
            "provision_texts.csv",
            ProvisionText,
            {"provision": provisions, "draft": drafts},
        ),
    )
    return provisions


# Actors and groups --------------------------------------------------------------


def _load_actors():
    rows = _rows("actors.csv", Actor)
    codes = [row["code"] for row in rows]
    actors = _by_name(_upsert(Actor.objects.filter(code__in=codes), ("code",), rows))
    _upsert(
        ActorAlias.objects.all(),
        ("alias",),
        _rows("aliases.csv", ActorAlias, {"actor": actors}),
    )
    return actors


def _load_groups(actors):
    rows = _rows("groups.csv", Group)
    slugs = [row["slug"] for row in rows]
    groups = _by_name(_upsert(Group.objects.filter(slug__in=slugs), ("slug",), rows))
    _upsert(
        Membership.objects.filter(group__in=groups.values()),
        ("actor_id", "group_id", "start_date"),
        _rows("memberships.csv", Membership, {"actor": actors, "group": groups}),
    )
    return groups


# Statements and positions: through the import -----------------------------------


def _import_statements(treaty, name, publish):
    """Import statement file `name` as an editor's file would be (no user: the
    demo loader is the system); any issue stops the load, naming its rows."""
    table = imports.read_table((data.DIR / name).read_bytes(), name)
    report = imports.import_table(
        treaty=treaty, table=table, user=None, publish=publish, dry_run=False
    )
    if not report.applied:
        raise DemoDataError(f"{name}: " + "; ".join(map(str, report.issues)))
    return report


# Formal acts --------------------------------------------------------------------


def _load_formal_acts(treaty, actors):
    votes = _load_votes(treaty)
    by_vote = {"vote": votes, "actor": actors}
    _replace(
        VoteSponsor.objects.filter(vote__in=votes.values()),
        ("vote_id", "actor_id", "role"),
        _rows("vote_sponsors.csv", VoteSponsor, by_vote),
    )
    ballots = _rows("ballots.csv", Ballot, by_vote)
    _check_every_member_voted(votes, actors, ballots)
    _replace(
        Ballot.objects.filter(vote__in=votes.values()), ("vote_id", "actor_id"), ballots
    )
    _replace(
        TreatyAction.objects.filter(treaty=treaty),
        ("treaty_id", "actor_id", "kind", "date"),
        _rows(
            "treaty_actions.csv", TreatyAction, {"actor": actors}, treaty_id=treaty.id
        ),
    )


def _load_votes(treaty):
    """{document symbol: vote}: the files name a vote by its symbol."""
    rows = _rows("votes.csv", Vote, treaty_id=treaty.id)
    key = ("treaty_id", "body", "date", "document_symbol")
    loaded = _upsert(Vote.objects.filter(treaty=treaty), key, rows)
    return {vote.document_symbol: vote for vote in loaded.values()}


def _check_every_member_voted(votes, actors, ballots):
    """A recorded vote lists every member state once (its "non-voting" too)."""
    members = {a.pk for a in actors.values() if a.kind == Actor.Kind.MEMBER_STATE}
    for vote in votes.values():
        listed = Counter(b["actor_id"] for b in ballots if b["vote_id"] == vote.pk)
        twice = [pk for pk, count in listed.items() if count > 1]
        if set(listed) != members or twice:
            names = {a.pk: a.code for a in actors.values()}
            raise DemoDataError(
                f"ballots.csv, {vote.document_symbol}: missing "
                f"{sorted(names[pk] for pk in members - set(listed))}, not members "
                f"{sorted(names[pk] for pk in set(listed) - members)}, twice "
                f"{sorted(names[pk] for pk in twice)}."
            )
