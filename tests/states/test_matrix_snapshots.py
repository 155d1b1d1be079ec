"""The materialized matrix equals the pure rules, as of every session (hypothesis).

Random treaties — sessions, memberships with dates, statements with co-signers and
groups, positions, publish/unpublish and edits through the services — are built in
full, then edited and rebuilt incrementally (from the stale session on), and compared
with states.matrix after each build.
"""

import datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provisions import services as provision_services
from provisions.models import Session
from states import services
from states.matrix import (
    Cell,
    MembershipFacts,
    PositionFacts,
    StatementFacts,
    attributions,
    cells_as_of,
    matrix,
)
from states.models import MatrixStance, MatrixState, Membership, Position, Statement
from states.selectors import matrix_params_from_query, matrix_view
from tests.factories import (
    ActorFactory,
    GroupFactory,
    ProvisionFactory,
    SessionFactory,
    TreatyFactory,
)

BASE = datetime.date(2022, 1, 1)
STANCES = ["support", "support_with_changes", "undecided", "oppose"]
STATUSES = ["draft", "published"]


def db_facts(treaty):
    """The treaty's inputs, read back from the database as plain facts."""
    sessions = {s.id: s for s in Session.objects.filter(treaty=treaty)}
    statements = [
        StatementFacts(
            id=s.id,
            session_number=sessions[s.session_id].number,
            session_start=sessions[s.session_id].start_date,
            speaker=s.actor.code,
            date=s.date,
            co_signers=tuple(c.code for c in s.co_signers.all()),
            on_behalf_of=s.on_behalf_of.slug if s.on_behalf_of_id else None,
            status=s.status,
        )
        for s in Statement.objects.filter(session__treaty=treaty)
        .select_related("actor", "on_behalf_of")
        .prefetch_related("co_signers")
    ]
    positions = [
        PositionFacts(
            id=p.id,
            statement_id=p.statement_id,
            provision=p.provision_id,
            stance=p.stance,
            status=p.status,
        )
        for p in Position.objects.filter(statement__session__treaty=treaty)
    ]
    memberships = [
        MembershipFacts(m.actor.code, m.group.slug, m.start_date, m.end_date)
        for m in Membership.objects.select_related("actor", "group")
    ]
    return sessions.values(), attributions(statements, positions, memberships)


def materialized_as_of(treaty, number):
    rows = MatrixStance.objects.filter(treaty=treaty, from_number__lte=number).values(
        "actor__code",
        "provision_id",
        "stance",
        "position_id",
        "statement_id",
        "from_number",
        "to_number",
        "via",
    )
    return {
        (r["actor__code"], r["provision_id"]): Cell(
            stance=r["stance"],
            position=r["position_id"],
            statement=r["statement_id"],
            since=r["from_number"],
            via=r["via"],
        )
        for r in rows
        if r["to_number"] is None or r["to_number"] > number
    }


def cell_runs(treaty):
    """Every stored run but its generation (a full rebuild writes a new one)."""
    return sorted(
        MatrixStance.objects.filter(treaty=treaty).values_list(
            "actor_id",
            "provision_id",
            "from_number",
            "to_number",
            "stance",
            "position_id",
            "statement_id",
            "via",
        )
    )


def assert_matches_rules(treaty):
    sessions, facts = db_facts(treaty)
    for session in sessions:
        expected = cells_as_of(facts, session.number)
        assert materialized_as_of(treaty, session.number) == expected, session.number
    state = MatrixState.objects.get(treaty=treaty)
    assert state.stale_from is None


def build_random_treaty(data):
    treaty = TreatyFactory()
    numbers = data.draw(
        st.lists(st.integers(0, 9), min_size=1, max_size=4, unique=True), "numbers"
    )
    sessions = []
    for number in numbers:
        start = BASE + datetime.timedelta(days=data.draw(st.integers(0, 200)))
        sessions.append(
            SessionFactory(
                treaty=treaty,
                number=number,
                start_date=start,
                end_date=start + datetime.timedelta(days=data.draw(st.integers(0, 4))),
                status=data.draw(st.sampled_from(["in_progress", "closed"])),
            )
        )
    actors = [
        ActorFactory(code=f"Q{i:02d}") for i in range(data.draw(st.integers(2, 5)))
    ]
    groups = [
        GroupFactory(slug=f"grp-{i}") for i in range(data.draw(st.integers(0, 2)))
    ]
    for group in groups:
        for actor in data.draw(st.lists(st.sampled_from(actors), max_size=4)):
            start = BASE + datetime.timedelta(days=data.draw(st.integers(-20, 220)))
            Membership.objects.get_or_create(
                actor=actor,
                group=group,
                start_date=start,
                defaults={
                    "end_date": data.draw(
                        st.none()
                        | st.integers(0, 120).map(
                            lambda d, s=start: s + datetime.timedelta(days=d)
                        )
                    )
                },
            )
    provisions = [
        ProvisionFactory(treaty=treaty) for _ in range(data.draw(st.integers(1, 3)))
    ]
    for _ in range(data.draw(st.integers(0, 8))):
        session = data.draw(st.sampled_from(sessions))
        offset = data.draw(
            st.none() | st.integers(0, (session.end_date - session.start_date).days)
        )
        statement = Statement.objects.create(
            session=session,
            actor=data.draw(st.sampled_from(actors)),
            on_behalf_of=data.draw(st.none() | st.sampled_from(groups))
            if groups
            else None,
            date=None
            if offset is None
            else session.start_date + datetime.timedelta(days=offset),
            title="s",
            text="t",
            source_url="https://example.org/s",
            status=data.draw(st.sampled_from(STATUSES)),
        )
        statement.co_signers.set(
            data.draw(st.lists(st.sampled_from(actors), max_size=2, unique=True))
        )
        for provision in data.draw(
            st.lists(st.sampled_from(provisions), max_size=3, unique=True)
        ):
            Position.objects.create(
                statement=statement,
                provision=provision,
                stance=data.draw(st.sampled_from(STANCES)),
                status=data.draw(st.sampled_from(STATUSES))
                if statement.status == "published"
                else "draft",
            )
    return treaty, sessions, provisions


def _publish_statement(data, ctx):
    if ctx["statements"]:
        statement = data.draw(st.sampled_from(ctx["statements"]))
        services.statement_publish(statement=statement, user=None)


def _unpublish_statement(data, ctx):
    if ctx["statements"]:
        statement = data.draw(st.sampled_from(ctx["statements"]))
        services.statement_unpublish(statement=statement, user=None)


def _change_stance(data, ctx):
    if ctx["positions"]:
        services.position_update(
            position=data.draw(st.sampled_from(ctx["positions"])),
            user=None,
            stance=data.draw(st.sampled_from(STANCES)),
        )


def _publish_position(data, ctx):
    if ctx["positions"]:
        position = data.draw(st.sampled_from(ctx["positions"]))
        if position.statement.status == "published":
            services.position_publish(position=position, user=None)


def _unpublish_position(data, ctx):
    if ctx["positions"]:
        position = data.draw(st.sampled_from(ctx["positions"]))
        services.position_unpublish(position=position, user=None)


def _delete_position(data, ctx):
    if ctx["positions"]:
        position = data.draw(st.sampled_from(ctx["positions"]))
        services.position_delete(position=position, user=None)


def _move_statement(data, ctx):
    if ctx["statements"]:
        services.statement_update(
            statement=data.draw(st.sampled_from(ctx["statements"])),
            user=None,
            session=data.draw(st.sampled_from(ctx["sessions"])),
            date=None,
        )


def _end_membership(data, ctx):
    memberships = list(Membership.objects.all())
    if memberships:
        membership = data.draw(st.sampled_from(memberships))
        services.membership_update(
            membership=membership,
            end_date=data.draw(
                st.none() | st.just(membership.start_date + datetime.timedelta(days=3))
            ),
        )


def _renumber_session(data, ctx):
    used = {s.number for s in Session.objects.filter(treaty=ctx["treaty"])}
    free = [n for n in range(10, 15) if n not in used]
    provision_services.session_update(
        session=data.draw(st.sampled_from(ctx["sessions"])),
        number=data.draw(st.sampled_from(free)),
    )


def _add_position(data, ctx):
    if ctx["statements"]:
        statement = data.draw(st.sampled_from(ctx["statements"]))
        provision = data.draw(st.sampled_from(ctx["provisions"]))
        if not Position.objects.filter(
            statement=statement, provision=provision
        ).exists():
            services.position_create(
                user=None,
                statement=statement,
                provision=provision,
                stance=data.draw(st.sampled_from(STANCES)),
            )


EDITS = [
    _publish_statement,
    _unpublish_statement,
    _change_stance,
    _publish_position,
    _unpublish_position,
    _delete_position,
    _move_statement,
    _end_membership,
    _renumber_session,
    _add_position,
]


def apply_random_edit(data, treaty, sessions, provisions):
    ctx = {
        "treaty": treaty,
        "sessions": sessions,
        "provisions": provisions,
        "statements": list(Statement.objects.filter(session__treaty=treaty)),
        "positions": list(
            Position.objects.filter(statement__session__treaty=treaty).select_related(
                "statement"
            )
        ),
    }
    edit = data.draw(st.sampled_from(EDITS), "edit")
    edit(data, ctx)


def check_random_treaty(data):
    with transaction.atomic():
        treaty, sessions, provisions = build_random_treaty(data)
        services.matrix_rebuild(treaty_id=treaty.id)
        assert_matches_rules(treaty)
        for _ in range(data.draw(st.integers(1, 4), "edits")):
            apply_random_edit(data, treaty, sessions, provisions)
            for session in sessions:
                session.refresh_from_db()
            summary = services.matrix_rebuild(treaty_id=treaty.id)
            assert summary["status"] in {"built", "fresh"}
            assert_matches_rules(treaty)
        # Running it again changes nothing.
        before = cell_runs(treaty)
        assert services.matrix_rebuild(treaty_id=treaty.id)["status"] == "fresh"
        services.matrix_rebuild(treaty_id=treaty.id, full=True)
        after = cell_runs(treaty)
        assert before == after
        transaction.set_rollback(True)


PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.services
@pytest.mark.django_db
@PROPERTY
@given(data=st.data())
def test_materialized_matrix_equals_rules_on_postgresql(data):
    assert connection.vendor == "postgresql"
    check_random_treaty(data)


@pytest.mark.django_db
@settings(PROPERTY, max_examples=15)
@given(data=st.data())
def test_materialized_matrix_equals_rules_on_the_configured_database(data):
    check_random_treaty(data)


@pytest.mark.django_db
def test_matrix_view_rows_columns_and_totals_equal_the_rules():
    treaty = TreatyFactory()
    session = SessionFactory(treaty=treaty, number=1)
    a, b, c = (ActorFactory(code=code) for code in ("MVA", "MVB", "MVC"))
    group = GroupFactory(slug="mv-group")
    Membership.objects.create(actor=b, group=group, start_date=BASE)
    Membership.objects.create(
        actor=c, group=group, start_date=BASE, end_date=session.start_date
    )
    p1, p2 = ProvisionFactory(treaty=treaty), ProvisionFactory(treaty=treaty)
    statement = Statement.objects.create(
        session=session,
        actor=a,
        on_behalf_of=group,
        title="s",
        text="t",
        source_url="https://example.org",
        status="published",
    )
    Position.objects.create(
        statement=statement, provision=p1, stance="oppose", status="published"
    )
    services.matrix_rebuild(treaty_id=treaty.id)
    _, facts = db_facts(treaty)
    view = matrix_view(matrix_params_from_query(treaty.slug, {"group": "mv-group"}))
    expected = matrix(facts, 1, ["MVB", "MVC"], [p1.id, p2.id])
    assert [r["code"] for r in view.actors] == expected.rows
    assert all(
        v["actor"] == k[0] and v["provision"] == k[1] for k, v in view.cells.items()
    )
    cells = {
        key: Cell(**{f: v for f, v in value.items() if f not in {"actor", "provision"}})
        for key, value in view.cells.items()
    }
    assert cells == expected.cells
    assert view.totals == expected.totals
    assert view.cells[("MVB", p1.id)]["via"] == "mv-group"
