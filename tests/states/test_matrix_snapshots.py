"""The materialized matrix equals the pure rules, as of every session (hypothesis).

Random treaties — sessions, memberships with dates, statements with co-signers and
groups, positions, publish/unpublish and edits through the services — are built in
full, then edited and rebuilt incrementally (from the stale session on), and compared
with states.matrix after each build.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provisions import services as provision_services
from provisions.models import Session
from states import services
from states.matrix.params import matrix_params_from_query
from states.matrix.read import matrix_changes, matrix_view
from states.matrix.rules import (
    Cell,
    MembershipFacts,
    PositionFacts,
    StatementFacts,
    attributions,
    cells_as_of,
    changes,
    matrix,
    stances_of,
)
from states.models import MatrixStance, MatrixState, Membership, Position, Statement
from tests.factories import (
    ActorFactory,
    GroupFactory,
    ProvisionFactory,
    SessionFactory,
    TreatyFactory,
)

ROOT = Path(__file__).resolve().parents[2]
BASE = datetime.date(2022, 1, 1)
STANCES = ["support", "support_with_changes", "undecided", "oppose"]
# Mostly published: ties between attributions in one session (what the rules
# order) are then common enough for a few dozen examples to exercise them.
STATUSES = ["draft", "published", "published", "published"]


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
            supporters=tuple(c.code for c in s.supporters.all()),
            on_behalf_of=s.on_behalf_of.slug if s.on_behalf_of_id else None,
            status=s.status,
        )
        for s in Statement.objects.filter(session__treaty=treaty)
        .select_related("actor", "on_behalf_of")
        .prefetch_related("co_signers", "supporters")
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
    assert_served_totals_and_changes_match_rules(treaty, sessions, facts)
    state = MatrixState.objects.get(treaty=treaty)
    assert state.stale_from is None


def assert_served_totals_and_changes_match_rules(treaty, sessions, facts):
    """The totals and changes the API serves are the rules' over the same rows."""
    numbers = sorted(s.number for s in sessions)
    for earlier, later in zip([None, *numbers], numbers, strict=False):
        query = {"kind": "all", "session": str(later)}
        view = matrix_view(matrix_params_from_query(treaty.slug, query))
        rows = [actor["code"] for actor in view.actors]
        columns = [provision["id"] for provision in view.provisions]
        expected = matrix(facts, later, rows, columns)
        assert view.totals == expected.totals, later
        if earlier is None:
            continue
        params = matrix_params_from_query(
            treaty.slug,
            {"kind": "all", "to": str(later), "from": str(earlier)},
            session_param="to",
        )
        served = matrix_changes(params, earlier, later)
        assert served == changes(
            stances_of(cells_as_of(facts, earlier)),
            stances_of(expected.cells),
            rows,
            columns,
        ), (earlier, later)


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
        others = data.draw(st.lists(st.sampled_from(actors), max_size=3, unique=True))
        cut = data.draw(st.integers(min_value=0, max_value=len(others)))
        statement.co_signers.set(others[:cut])
        statement.supporters.set(others[cut:])
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
@settings(PROPERTY, max_examples=int(os.environ.get("MATRIX_PROPERTY_EXAMPLES", 15)))
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


def _published(session, actor, stances, *, day=None, on_behalf_of=None):
    """A published statement with published positions {provision: stance}."""
    statement = Statement.objects.create(
        session=session,
        actor=actor,
        on_behalf_of=on_behalf_of,
        date=day,
        title="s",
        text="t",
        source_url="https://example.org/s",
        status="published",
    )
    for provision, stance in stances.items():
        Position.objects.create(
            statement=statement, provision=provision, stance=stance, status="published"
        )


@pytest.mark.django_db
def test_each_tie_break_is_materialized_as_the_rules_order_it():
    """Every rule of the cell key, each where the next rule would decide otherwise.

    Random treaties rarely tie on all but the last rule; this builds each tie.
    """
    treaty = TreatyFactory()
    day = BASE + datetime.timedelta(days=100)
    first = SessionFactory(treaty=treaty, number=1, start_date=day)
    # Numbered later, dated earlier: the session number decides first.
    second = SessionFactory(
        treaty=treaty, number=2, start_date=day - datetime.timedelta(days=30)
    )
    speaker, member = ActorFactory(code="TIA"), ActorFactory(code="TIB")
    group = GroupFactory(slug="tie-group")
    Membership.objects.create(actor=member, group=group, start_date=BASE)
    direct, dated, last, numbered = (ProvisionFactory(treaty=treaty) for _ in "1234")
    later = day + datetime.timedelta(days=1)
    # Lower position ids first, so that the id alone would pick the other one.
    _published(first, member, {direct: "support"}, day=day)
    _published(first, speaker, {direct: "oppose"}, day=day, on_behalf_of=group)
    _published(first, member, {dated: "undecided"}, day=later)
    _published(first, member, {dated: "oppose"}, day=day)
    _published(first, member, {last: "support"}, day=day)
    _published(first, member, {last: "oppose"}, day=day)
    _published(second, member, {numbered: "support"})
    _published(first, member, {numbered: "oppose"}, day=later)

    services.matrix_mark_stale(treaty_id=treaty.id, from_session_number=None)
    services.matrix_rebuild(treaty_id=treaty.id)

    assert_matches_rules(treaty)
    stances = {
        p: cell.stance
        for (code, p), cell in materialized_as_of(treaty, 2).items()
        if code == "TIB"
    }
    assert stances == {
        direct.id: "support",  # direct before inherited, on the same day
        dated.id: "undecided",  # the later effective date
        last.id: "oppose",  # the greater position id
        numbered.id: "support",  # the later session, though dated earlier
    }
    assert materialized_as_of(treaty, 1)[("TIB", numbered.id)].stance == "oppose"


def test_the_embedded_default_materializes_the_same_matrix():
    """The property test again in a process with nothing configured: on SQLite,
    whose full builds take their own path (no partitions)."""
    unset = {
        "DATABASE_URL",
        "REDIS_URL",
        "CELERY_BROKER_URL",
        "TRACKER_REQUIRE_SERVICES",
    }
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["MATRIX_PROPERTY_EXAMPLES"] = "100"  # SQLite in memory: a few seconds
    tests = (
        test_materialized_matrix_equals_rules_on_the_configured_database,
        test_each_tie_break_is_materialized_as_the_rules_order_it,
    )
    nodes = [f"{Path(__file__).relative_to(ROOT)}::{t.__name__}" for t in tests]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *nodes, "-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "2 passed" in result.stdout
