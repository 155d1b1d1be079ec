"""Load the demo data set idempotently: every row is keyed on its natural key."""

import datetime

from django.db import transaction

from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty
from states.models import Actor, Group, Membership, Position, Statement, Status

from . import actors as actor_data
from . import negotiation, statements, un_members

MODELS = (
    Treaty,
    Session,
    Draft,
    Chapter,
    Provision,
    ProvisionText,
    Actor,
    Group,
    Membership,
    Statement,
    Statement.co_signers.through,
    Position,
)


def demo_load() -> dict[str, int]:
    """Create or update the demo rows in one transaction; returns counts per model."""
    with transaction.atomic():
        treaty = _load_treaty()
        sessions = _load_sessions(treaty)
        drafts = _load_drafts(treaty, sessions)
        chapters = _load_chapters(treaty)
        provisions = _load_provisions(treaty, chapters, drafts)
        actors = _load_actors()
        groups = _load_groups(actors)
        _load_statements(sessions, actors, groups, provisions)
        after_load(treaty)
    return model_counts()


def model_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


def after_load(treaty):
    """Bring the treaty's matrix up to date after a load.

    The matrix engineer owns the rebuild: until `states.services.matrix_mark_stale`
    exists this does nothing. It marks the snapshots stale, which schedules a
    rebuild once the load's transaction commits.
    """
    from states import services

    if hasattr(services, "matrix_mark_stale"):
        services.matrix_mark_stale(treaty_id=treaty.id)


def _load_treaty():
    data = dict(negotiation.TREATY)
    treaty, _ = Treaty.objects.update_or_create(slug=data.pop("slug"), defaults=data)
    return treaty


def _load_sessions(treaty):
    sessions = {}
    for data in negotiation.SESSIONS:
        data = dict(data)
        number = data.pop("number")
        # Every session in the data is in the past: the last ended in January 2026.
        data["status"] = Session.Status.CLOSED
        sessions[number], _ = Session.objects.update_or_create(
            treaty=treaty, number=number, defaults=data
        )
    return sessions


def _load_drafts(treaty, sessions):
    drafts = {}
    for data in negotiation.DRAFTS:
        data = dict(data)
        slug = data.pop("slug")
        number = data.pop("session")
        data["session"] = sessions[number] if number is not None else None
        drafts[slug], _ = Draft.objects.update_or_create(
            treaty=treaty, slug=slug, defaults=data
        )
    return drafts


def _load_chapters(treaty):
    chapters = {}
    for order, (number, title) in enumerate(negotiation.CHAPTERS, start=1):
        chapters[number], _ = Chapter.objects.update_or_create(
            treaty=treaty, number=number, defaults={"title": title, "order": order}
        )
    return chapters


def _load_provisions(treaty, chapters, drafts):
    provisions = {}
    for data in negotiation.PROVISIONS:
        data = dict(data)
        slug = data.pop("slug")
        texts = data.pop("texts")
        chapter = data.pop("chapter")
        data["chapter"] = chapters[chapter] if chapter else None
        provision, _ = Provision.objects.update_or_create(
            treaty=treaty, slug=slug, defaults=data
        )
        for draft_slug, label, heading, text in texts:
            ProvisionText.objects.update_or_create(
                provision=provision,
                draft=drafts[draft_slug],
                defaults={"label": label, "heading": heading, "text": text},
            )
        provisions[slug] = provision
    return provisions


def _load_actors():
    rows = [
        (code, name, Actor.Kind.MEMBER_STATE)
        for members in un_members.MEMBERS_BY_GROUP.values()
        for code, name in members
    ]
    rows += [
        (code, name, Actor.Kind.OBSERVER_STATE)
        for code, name in un_members.OBSERVER_STATES
    ]
    rows.append((*actor_data.EU, Actor.Kind.REGIONAL_ORG))
    rows += list(actor_data.OTHER_ACTORS)
    actors = {}
    for code, name, kind in rows:
        actors[code], _ = Actor.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
    return actors


def _load_groups(actors):
    groups = {}
    start = datetime.date(*un_members.REGIONAL_GROUP_MEMBERSHIP_START)
    for slug, name in un_members.REGIONAL_GROUPS:
        group, _ = Group.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "kind": Group.Kind.UN_REGIONAL_GROUP},
        )
        for code, _name in un_members.MEMBERS_BY_GROUP[slug]:
            Membership.objects.update_or_create(
                actor=actors[code],
                group=group,
                start_date=start,
                defaults={"end_date": None},
            )
        groups[slug] = group
    data = dict(actor_data.EU_GROUP)
    eu, _ = Group.objects.update_or_create(slug=data.pop("slug"), defaults=data)
    for code, start_date, end_date in actor_data.EU_MEMBERSHIPS:
        Membership.objects.update_or_create(
            actor=actors[code],
            group=eu,
            start_date=start_date,
            defaults={"end_date": end_date},
        )
    groups[eu.slug] = eu
    return groups


def _load_statements(sessions, actors, groups, provisions):
    for data in statements.STATEMENTS:
        data = dict(data)
        positions = data.pop("positions", ())
        co_signers = [actors[code] for code in data.pop("co_signers", ())]
        session = sessions[data.pop("session")]
        actor = actors[data.pop("actor")]
        title = data.pop("title")
        group = data.pop("on_behalf_of", None)
        data["on_behalf_of"] = groups[group] if group else None
        status = data.setdefault("status", Status.PUBLISHED)
        existing = Statement.objects.filter(
            session=session, actor=actor, title=title
        ).first()
        if existing and status != Status.PUBLISHED:
            # The database refuses a draft statement with published positions.
            existing.positions.update(status=Status.DRAFT)
        statement, _ = Statement.objects.update_or_create(
            session=session, actor=actor, title=title, defaults=data
        )
        statement.co_signers.set(co_signers)
        kept = []
        for slug, stance, quote, note in positions:
            # Published after the statement: the database enforces that order.
            position, _ = Position.objects.update_or_create(
                statement=statement,
                provision=provisions[slug],
                defaults={
                    "stance": stance,
                    "quote": quote,
                    "note": note,
                    "status": status,
                },
            )
            kept.append(position.pk)
        statement.positions.exclude(pk__in=kept).delete()
