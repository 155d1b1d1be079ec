"""Load the demo data set idempotently: every row is keyed on its natural key.

Rows are matched on their natural keys, then created with `bulk_create` or updated
with `bulk_update` only where a field differs, so a second load writes nothing and
the load costs a few dozen queries rather than one round trip per row.
"""

import datetime

from django.db import transaction

from demo.data import actors as actor_data
from demo.data import acts as acts_data
from demo.data import negotiation, statements, un_members
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty
from states import revisions
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
    Status,
    TreatyAction,
    Verification,
    Vote,
    VoteSponsor,
)
from states.names import NameIndex, match_vote_lists

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


def demo_load() -> dict[str, int]:
    """Create or update the demo rows in one transaction; returns counts per model.

    The rows are written in bulk, around the revision signals; then every record
    that has no history gets its first version (a second load records none).
    """
    with transaction.atomic():
        with revisions.recording_paused():
            treaty = _load_treaty()
            sessions = _load_sessions(treaty)
            drafts = _load_drafts(treaty, sessions)
            chapters = _load_chapters(treaty)
            provisions = _load_provisions(treaty, chapters, drafts)
            actors = _load_actors()
            groups = _load_groups(actors)
            _load_statements(sessions, actors, groups, provisions)
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


def _by_key(result):
    """{last key value: instance}, for results keyed on one field."""
    return {row_key[-1]: obj for row_key, obj in result.items()}


def _load_treaty():
    data = dict(negotiation.TREATY)
    treaty, _ = Treaty.objects.update_or_create(slug=data.pop("slug"), defaults=data)
    return treaty


def _load_sessions(treaty):
    rows = [
        # Every session in the data is in the past: the last ended in January 2026.
        {**data, "treaty_id": treaty.id, "status": Session.Status.CLOSED}
        for data in negotiation.SESSIONS
    ]
    return _by_key(_upsert(Session.objects.filter(treaty=treaty), ("number",), rows))


def _load_drafts(treaty, sessions):
    rows = []
    for data in negotiation.DRAFTS:
        data = dict(data)
        number = data.pop("session")
        data["session_id"] = sessions[number].id if number is not None else None
        rows.append({**data, "treaty_id": treaty.id})
    return _by_key(_upsert(Draft.objects.filter(treaty=treaty), ("slug",), rows))


def _load_chapters(treaty):
    rows = [
        {"treaty_id": treaty.id, "number": number, "title": title, "order": order}
        for order, (number, title) in enumerate(negotiation.CHAPTERS, start=1)
    ]
    return _by_key(_upsert(Chapter.objects.filter(treaty=treaty), ("number",), rows))


def _load_provisions(treaty, chapters, drafts):
    rows, texts = [], []
    for data in negotiation.PROVISIONS:
        data = dict(data)
        texts += [(data["slug"], *text) for text in data.pop("texts")]
        chapter = data.pop("chapter")
        data["chapter_id"] = chapters[chapter].id if chapter else None
        rows.append({**data, "treaty_id": treaty.id})
    provisions = _by_key(
        _upsert(Provision.objects.filter(treaty=treaty), ("slug",), rows)
    )
    text_rows = [
        {
            "provision_id": provisions[slug].id,
            "draft_id": drafts[draft_slug].id,
            "label": label,
            "heading": heading,
            "text": text,
        }
        for slug, draft_slug, label, heading, text in texts
    ]
    _upsert(
        ProvisionText.objects.filter(provision__treaty=treaty),
        ("provision_id", "draft_id"),
        text_rows,
    )
    return provisions


def _load_actors():
    rows = [
        {"code": code, "name": name, "kind": Actor.Kind.MEMBER_STATE}
        for members in un_members.MEMBERS_BY_GROUP.values()
        for code, name in members
    ]
    rows += [
        {"code": code, "name": name, "kind": Actor.Kind.OBSERVER_STATE}
        for code, name in un_members.OBSERVER_STATES
    ]
    code, name = actor_data.EU
    rows.append({"code": code, "name": name, "kind": Actor.Kind.REGIONAL_ORG})
    rows += [
        {"code": code, "name": name, "kind": kind}
        for code, name, kind in actor_data.OTHER_ACTORS
    ]
    codes = [row["code"] for row in rows]
    actors = _by_key(_upsert(Actor.objects.filter(code__in=codes), ("code",), rows))
    _upsert(
        ActorAlias.objects.all(),
        ("alias",),
        [
            {"actor_id": actors[code].id, "alias": alias}
            for code, alias in actor_data.ALIASES
        ],
    )
    return actors


def _load_groups(actors):
    groups = {}
    for slug, name in un_members.REGIONAL_GROUPS:
        groups[slug], _ = Group.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": Group.Kind.UN_REGIONAL_GROUP}
        )
    data = dict(actor_data.EU_GROUP)
    eu, _ = Group.objects.update_or_create(slug=data.pop("slug"), defaults=data)
    groups[eu.slug] = eu

    start = datetime.date(*un_members.REGIONAL_GROUP_MEMBERSHIP_START)
    rows = [
        {
            "actor_id": actors[code].id,
            "group_id": groups[slug].id,
            "start_date": start,
            "end_date": None,
        }
        for slug, members in un_members.MEMBERS_BY_GROUP.items()
        for code, _name in members
    ]
    rows += [
        {
            "actor_id": actors[code].id,
            "group_id": eu.id,
            "start_date": start_date,
            "end_date": end_date,
        }
        for code, start_date, end_date in actor_data.EU_MEMBERSHIPS
    ]
    _upsert(
        Membership.objects.filter(group__in=groups.values()),
        ("actor_id", "group_id", "start_date"),
        rows,
    )
    return groups


def _load_statements(sessions, actors, groups, provisions):
    statement_rows, extras = [], []
    for data in statements.STATEMENTS:
        data = dict(data)
        positions = data.pop("positions")
        roles = {
            CoSigner: data.pop("co_signers", ()),
            Supporter: data.pop("supporters", ()),
        }
        sources = statements.statement_sources(data)
        data.pop("sources", None)
        group = data.pop("on_behalf_of", None)
        row = {
            "session_id": sessions[data.pop("session")].id,
            "actor_id": actors[data.pop("actor")].id,
            "on_behalf_of_id": groups[group].id if group else None,
            "kind": Statement.Kind.ORAL,
            "date": None,
            "document_symbol": "",
            "language": "en",
            "note": "",
            "verification": Verification.VERIFIED,
            "status": Status.PUBLISHED,
            **data,
        }
        statement_rows.append(row)
        extras.append((row, roles, sources, positions))

    demo_statements = Statement.objects.filter(session__in=sessions.values())
    key = ("session_id", "actor_id", "title")
    to_draft = {
        tuple(row[f] for f in key)
        for row in statement_rows
        if row["status"] != Status.PUBLISHED
    }
    # The database refuses a draft statement that still has published positions.
    Position.objects.filter(
        statement__in=[s for k, s in _keyed(demo_statements, key) if k in to_draft],
        status=Status.PUBLISHED,
    ).update(status=Status.DRAFT)
    loaded = _upsert(demo_statements, key, statement_rows)

    role_rows = {CoSigner: [], Supporter: []}
    source_rows, position_rows = [], []
    for row, roles, sources, positions in extras:
        statement = loaded[tuple(row[f] for f in key)]
        source_rows += [
            {"statement_id": statement.id, "url": url, "kind": kind, "order": order}
            for order, (url, kind) in enumerate(sources)
        ]
        for through, codes in roles.items():
            role_rows[through] += [
                {"statement_id": statement.id, "actor_id": actors[code].id}
                for code in codes
            ]
        position_rows += [
            {
                "statement_id": statement.id,
                "provision_id": provisions[slug].id,
                "stance": stance,
                "quote": quote,
                "note": note,
                "wants": wants,
                # Inserted after their statement is published: the database
                # enforces that order.
                "status": row["status"],
            }
            for slug, stance, quote, note, wants in map(_position, positions)
        ]
    statement_ids = [s.id for s in loaded.values()]
    for through, rows in role_rows.items():
        _replace(
            through.objects.filter(statement_id__in=statement_ids),
            ("statement_id", "actor_id"),
            rows,
        )
    _replace(
        StatementSource.objects.filter(statement_id__in=statement_ids),
        ("statement_id", "url"),
        source_rows,
    )
    _replace(
        Position.objects.filter(statement_id__in=statement_ids),
        ("statement_id", "provision_id"),
        position_rows,
    )


def _position(data):
    """(slug, stance, quote, note, wants): `wants` is optional in the data."""
    slug, stance, quote, note, *wants = data
    return slug, stance, quote, note, "".join(wants)


def _replace(queryset, key, rows):
    """Like `_upsert`, and delete the rows of `queryset` that are not in `rows`."""
    kept = _upsert(queryset, key, rows)
    stale = [obj.pk for row_key, obj in _keyed(queryset, key) if row_key not in kept]
    queryset.model.objects.filter(pk__in=stale).delete()


def _keyed(queryset, key):
    return [(tuple(getattr(obj, f) for f in key), obj) for obj in queryset]


# Formal acts (demo.data.acts) ---------------------------------------------------


class DemoDataError(Exception):
    """The demo data names an actor no actor matches: a mistake in the data."""


def _load_formal_acts(treaty, actors):
    changed = [
        name
        for name, value in acts_data.TREATY_ACTS.items()
        if getattr(treaty, name) != value
    ]
    if changed:
        for name in changed:
            setattr(treaty, name, acts_data.TREATY_ACTS[name])
        treaty.save(update_fields=[*changed, "updated_at"])
    index = NameIndex(list(actors.values()))
    members = [a for a in actors.values() if a.kind == Actor.Kind.MEMBER_STATE]
    votes = _load_votes(treaty, index, members)
    _load_sponsors(votes["A/RES/74/247"], index)
    _load_treaty_actions(treaty, index)


def _find(index, name):
    actor = index.find(name)
    if actor is None:
        raise DemoDataError(f"No actor matches {name!r}.")
    return actor


def _load_votes(treaty, index, members):
    rows = [
        {"treaty_id": treaty.id, **{k: v for k, v in data.items() if k != "ballots"}}
        for data in acts_data.VOTES
    ]
    key = ("treaty_id", "body", "date", "document_symbol")
    loaded = _upsert(Vote.objects.filter(treaty=treaty), key, rows)
    votes = {}
    for row, data in zip(rows, acts_data.VOTES, strict=True):
        vote = loaded[tuple(row[f] for f in key)]
        votes[vote.document_symbol] = vote
        match = match_vote_lists(data["ballots"], index=index, members=members)
        if not match.ok or match.non_voting:
            raise DemoDataError(
                f"{vote}: unmatched {match.unmatched}, conflicts {match.conflicts}, "
                f"unlisted {[a.name for a in match.non_voting]}"
            )
        _replace(
            Ballot.objects.filter(vote=vote),
            ("vote_id", "actor_id"),
            [
                {"vote_id": vote.id, "actor_id": actor.id, "choice": choice}
                for actor, choice in match.ballots.items()
            ],
        )
    return votes


def _load_sponsors(vote, index):
    rows = [
        {"vote_id": vote.id, "actor_id": _find(index, name).id, "role": role}
        for role, names in acts_data.SPONSORS_74_247.items()
        for name in names.split(",")
    ]
    _replace(
        VoteSponsor.objects.filter(vote=vote), ("vote_id", "actor_id", "role"), rows
    )


def _load_treaty_actions(treaty, index):
    rows = [
        _action_row(treaty, index, name, TreatyAction.Kind.SIGNATURE, *rest)
        for name, *rest in acts_data.SIGNATURES
    ]
    rows += [
        _action_row(
            treaty, index, name, TreatyAction.Kind.DOMESTIC_APPROVAL, date, "day", *rest
        )
        for name, date, *rest in acts_data.DOMESTIC_APPROVALS
    ]
    _replace(
        TreatyAction.objects.filter(treaty=treaty),
        ("treaty_id", "actor_id", "kind", "date"),
        rows,
    )


def _action_row(
    treaty, index, name, kind, date, precision, verification, sources, text
):
    return {
        "treaty_id": treaty.id,
        "actor_id": _find(index, name).id,
        "kind": kind,
        "date": date,
        "date_precision": precision,
        "verification": verification,
        "sources": list(sources),
        "text": text,
        "note": "",
        "status": Status.PUBLISHED,
    }
