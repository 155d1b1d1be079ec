"""A negotiation big enough for N+1 queries to show, built with factories, for the
public-site page tests (tests/pages/test_pages_*.py)."""

import datetime
from dataclasses import dataclass, field

from provisions.models import Session
from states.models import Actor, Group, Position, Statement
from states.services import matrix_rebuild
from tests.factories import (
    ActorFactory,
    ChapterFactory,
    DraftFactory,
    GroupFactory,
    MembershipFactory,
    PositionFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    StatementFactory,
    TreatyFactory,
)

STANCES = [s for s, _ in Position.Stance.choices]


@dataclass
class World:
    treaty: object
    sessions: list
    chapters: list
    provisions: list
    drafts: list
    states: list
    eu: object
    ngo: object
    groups: dict
    statements: list = field(default_factory=list)


def build_world(*, states=24, provisions=10, slug="un-test", prefix="S"):
    """Two closed sessions and a scheduled one; states in two regional groups, the EU
    speaking for some of them; every state coded on most provisions, with changes."""
    treaty = TreatyFactory(slug=slug, title="Test convention", short_title="TestCon")
    sessions = [
        SessionFactory(treaty=treaty, number=n, title=f"Session {n}", status=status)
        for n, status in (
            (1, Session.Status.CLOSED),
            (2, Session.Status.CLOSED),
            (3, Session.Status.SCHEDULED),
        )
    ]
    chapters = [
        ChapterFactory(treaty=treaty, number=n, title=f"Chapter {n} title", order=i)
        for i, n in enumerate(("I", "II"))
    ]
    provision_list = [
        ProvisionFactory(
            treaty=treaty,
            slug=f"prov-{i}",
            title=f"Provision {i}",
            chapter=chapters[i % 2],
            order=i,
            proposition=f"Keep provision {i} in the convention.",
        )
        for i in range(provisions)
    ]
    drafts = [
        DraftFactory(
            treaty=treaty,
            slug=f"d{n}",
            title=f"Draft {n}",
            published_on=datetime.date(2023, n, 1),
        )
        for n in (1, 2)
    ]
    for i, provision in enumerate(provision_list):
        ProvisionTextFactory(
            provision=provision,
            draft=drafts[0],
            label=f"Article {i + 1}",
            text=f"States Parties shall adopt measures on subject {i}.",
        )
        ProvisionTextFactory(
            provision=provision,
            draft=drafts[1],
            label=f"Article {i + 2}",
            text=f"States Parties may adopt appropriate measures on subject {i}.",
        )
    suffix = "" if prefix == "S" else f"-{prefix.lower()}"
    groups = {
        "west": GroupFactory(
            slug=f"weog{suffix}",
            name="Western group",
            kind=Group.Kind.UN_REGIONAL_GROUP,
        ),
        "east": GroupFactory(
            slug=f"apg{suffix}",
            name="Asia-Pacific group",
            kind=Group.Kind.UN_REGIONAL_GROUP,
        ),
        "eu": GroupFactory(
            slug=f"eu-members{suffix}",
            name="EU member states",
            kind=Group.Kind.ORGANIZATION_MEMBERS,
        ),
    }
    state_list = [
        ActorFactory(code=f"{prefix}{i:02d}", name=f"State {prefix}{i:02d}")
        for i in range(states)
    ]
    for i, actor in enumerate(state_list):
        MembershipFactory(actor=actor, group=groups["west" if i % 2 else "east"])
        if i < 4:
            MembershipFactory(actor=actor, group=groups["eu"])
    eu = ActorFactory(code="EU", name="European Union", kind=Actor.Kind.REGIONAL_ORG)
    ngo = ActorFactory(code="NGO", name="Rights Watch", kind=Actor.Kind.CIVIL_SOCIETY)
    world = World(
        treaty, sessions, chapters, provision_list, drafts, state_list, eu, ngo, groups
    )
    _statements(world)
    matrix_rebuild(treaty_id=treaty.pk, full=True)
    return world


def _statements(world):
    """Bulk-created (the page tests build many worlds): a statement per state and
    session, coded on four provisions in five, shifting stances in session 2."""
    first, second = world.sessions[0], world.sessions[1]
    speakers = [
        (actor, session, 0 if session is first else i % 3)
        for i, actor in enumerate(world.states[4:], start=4)
        for session in (first, second)
    ]
    statements = Statement.objects.bulk_create(
        Statement(
            session=session,
            actor=actor,
            kind=Statement.Kind.ORAL,
            title=f"{actor.name} in {session.title}",
            text="We support the proposal.",
            source_url="https://example.org/statement",
            status="published",
        )
        for actor, session, _ in speakers
    )
    world.statements.extend(statements)
    Position.objects.bulk_create(
        Position(
            statement=statement,
            provision=provision,
            stance=STANCES[(i + j + shift) % 4],
            quote=f"Quote of {actor.code} on {provision.slug}.",
            status="published",
        )
        for statement, (actor, _, shift) in zip(statements, speakers, strict=True)
        for i in [int(actor.code[-2:])]
        for j, provision in enumerate(world.provisions)
        if (i + j) % 5
    )
    statement = StatementFactory(
        session=first,
        actor=world.eu,
        on_behalf_of=world.groups["eu"],
        kind=Statement.Kind.JOINT,
        title="EU and its member states",
    )
    world.statements.append(statement)
    for provision in world.provisions:
        PositionFactory(statement=statement, provision=provision, stance="support")
    statement = StatementFactory(session=second, actor=world.ngo, title="NGO view")
    PositionFactory(statement=statement, provision=world.provisions[0], stance="oppose")
