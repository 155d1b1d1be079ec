"""States write services: validation, attribution, stale marks, rebuild scheduling."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from states import services, tasks
from states.matrix import build as matrix_build
from states.models import MatrixStance, MatrixState, Membership, Position, Statement
from states.revisions import history_of
from tests.api_helpers import make_user
from tests.factories import (
    ActorFactory,
    GroupFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    # A reviewer: some tests change published records, locked for plain editors.
    return make_user("editor", "Editors", "Reviewers")


@pytest.fixture
def session():
    return SessionFactory(number=3)


def draft_statement(session, editor, **fields):
    return services.statement_create(
        user=editor,
        session=session,
        actor=ActorFactory(),
        title="Opening",
        text="We support.",
        source_url="https://example.org/s",
        **fields,
    )


def owed(treaty_id):
    state = MatrixState.objects.filter(treaty_id=treaty_id).first()
    return (state.stale_from, state.dirty_version) if state else (None, 0)


def enqueued(callbacks):
    return [c.treaty_id for c in callbacks if isinstance(c, tasks._EnqueueRebuild)]


def test_statement_create_attributes_and_sets_co_signers(session, editor):
    co_signer = ActorFactory()
    statement = draft_statement(session, editor, co_signers=[co_signer])
    assert statement.created_by == editor == statement.updated_by
    assert list(statement.co_signers.all()) == [co_signer]
    assert statement.status == "draft"


def test_draft_changes_owe_no_rebuild(
    session, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        statement = draft_statement(session, editor)
        services.position_create(
            user=editor,
            statement=statement,
            provision=ProvisionFactory(treaty=session.treaty),
            stance="support",
        )
    assert owed(session.treaty_id) == (None, 0)
    assert enqueued(callbacks) == []


def test_publishing_marks_stale_from_its_session_and_enqueues_once_after_commit(
    session, editor, django_capture_on_commit_callbacks
):
    statement = draft_statement(session, editor)
    position = services.position_create(
        user=editor,
        statement=statement,
        provision=ProvisionFactory(treaty=session.treaty),
        stance="support",
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.statement_publish(statement=statement, user=editor)
        services.position_publish(position=position, user=editor)
    stale_from, version = owed(session.treaty_id)
    assert stale_from == 3
    assert version == 2
    # Both calls share the test's transaction: the treaty is enqueued once.
    assert enqueued(callbacks) == [session.treaty_id]


def test_one_transaction_enqueues_a_treaty_once(
    session, editor, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        services.matrix_mark_stale(treaty_id=session.treaty_id, from_session_number=5)
        services.matrix_mark_stale(treaty_id=session.treaty_id, from_session_number=2)
    assert enqueued(callbacks) == [session.treaty_id]
    assert owed(session.treaty_id)[0] == 2


def test_publishing_by_edit_is_refused(session, editor):
    statement = draft_statement(session, editor)
    with pytest.raises(ValidationError) as error:
        services.statement_update(statement=statement, user=editor, status="published")
    assert "status" in error.value.message_dict
    services.statement_publish(statement=statement, user=editor)
    position = services.position_create(
        user=editor,
        statement=statement,
        provision=ProvisionFactory(treaty=session.treaty),
        stance="oppose",
    )
    with pytest.raises(ValidationError):
        services.position_update(position=position, user=editor, status="published")


def test_publishing_needs_a_source_and_a_published_statement(session, editor):
    statement = draft_statement(session, editor)
    statement.source_url = ""
    statement.save()
    with pytest.raises(ValidationError):
        services.statement_publish(statement=statement, user=editor)
    position = services.position_create(
        user=editor,
        statement=statement,
        provision=ProvisionFactory(treaty=session.treaty),
        stance="oppose",
    )
    with pytest.raises(ValidationError):
        services.position_publish(position=position, user=editor)


def test_unpublishing_a_statement_withdraws_its_positions_first(session, editor):
    position = Position.objects.create(
        statement=StatementFactory(session=session),
        provision=ProvisionFactory(treaty=session.treaty),
        stance="support",
        status="published",
    )
    services.statement_unpublish(statement=position.statement, user=editor)
    position.refresh_from_db()
    assert position.status == "draft"
    assert position.statement.status == "draft"
    assert owed(session.treaty_id)[0] == 3
    # The withdrawal is in the position's history, by whom it was done.
    latest = history_of(position).first()
    assert latest.data["status"] == "draft" and latest.user == editor


def test_position_of_another_treaty_is_refused(session, editor):
    statement = draft_statement(session, editor)
    with pytest.raises(ValidationError):
        services.position_create(
            user=editor,
            statement=statement,
            provision=ProvisionFactory(treaty=TreatyFactory()),
            stance="support",
        )


def test_moving_a_published_statement_marks_from_the_lower_session(session, editor):
    earlier = SessionFactory(treaty=session.treaty, number=1)
    statement = StatementFactory(session=session)
    services.statement_update(statement=statement, user=editor, session=earlier)
    assert owed(session.treaty_id)[0] == 1


def test_deletes_mark_stale_when_they_counted(session, editor):
    position = Position.objects.create(
        statement=StatementFactory(session=session),
        provision=ProvisionFactory(treaty=session.treaty),
        stance="support",
        status="published",
    )
    services.position_delete(position=position, user=editor)
    assert owed(session.treaty_id) == (3, 1)
    services.statement_delete(statement=position.statement, user=editor)
    assert owed(session.treaty_id) == (3, 2)
    assert not Statement.objects.filter(pk=position.statement_id).exists()


def test_membership_changes_mark_every_treaty_from_the_first_session_they_reach():
    treaty = TreatyFactory()
    SessionFactory(
        treaty=treaty,
        number=1,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 1, 10),
    )
    SessionFactory(
        treaty=treaty,
        number=2,
        start_date=datetime.date(2022, 6, 1),
        end_date=datetime.date(2022, 6, 10),
    )
    group = GroupFactory()
    membership = services.membership_create(
        actor=ActorFactory(), group=group, start_date=datetime.date(2022, 3, 1)
    )
    assert owed(treaty.id)[0] == 2
    services.membership_update(
        membership=membership, start_date=datetime.date(2021, 1, 1)
    )
    assert owed(treaty.id)[0] == 1
    services.membership_delete(membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    with pytest.raises(ValidationError):
        services.membership_create(
            actor=ActorFactory(),
            group=group,
            start_date=datetime.date(2022, 3, 1),
            end_date=datetime.date(2022, 2, 1),
        )


def test_group_with_statements_on_its_behalf_cannot_be_deleted(session):
    group = GroupFactory()
    StatementFactory(session=session, on_behalf_of=group)
    with pytest.raises(ValidationError):
        services.group_delete(group=group)
    empty = GroupFactory()
    services.group_delete(group=empty)


def test_matrix_rebuild_is_incremental_from_the_stale_session_and_idempotent(session):
    position = Position.objects.create(
        statement=StatementFactory(session=session),
        provision=ProvisionFactory(treaty=session.treaty),
        stance="support",
        status="published",
    )
    first = services.matrix_rebuild(treaty_id=session.treaty_id)
    assert first["status"] == "built"
    assert first["from_session"] == 0
    assert services.matrix_rebuild(treaty_id=session.treaty_id)["status"] == "fresh"
    later = SessionFactory(treaty=session.treaty, number=7)
    Position.objects.create(
        statement=StatementFactory(session=later, actor=position.statement.actor),
        provision=position.provision,
        stance="oppose",
        status="published",
    )
    services.matrix_mark_stale(treaty_id=session.treaty_id, from_session_number=7)
    summary = services.matrix_rebuild(treaty_id=session.treaty_id)
    assert summary["from_session"] == 7
    assert summary["rows_deleted"] == 0
    assert summary["rows_inserted"] == 1
    runs = list(
        MatrixStance.objects.filter(treaty_id=session.treaty_id)
        .order_by("from_number")
        .values_list("from_number", "to_number", "stance")
    )
    assert runs == [(3, 7, "support"), (7, None, "oppose")]


def test_in_process_mode_rebuilds_on_commit(
    session, editor, django_capture_on_commit_callbacks
):
    from tracker.celery import app

    # The embedded default: no broker, tasks run in-process after commit.
    assert app.conf.task_always_eager
    with django_capture_on_commit_callbacks(execute=True):
        statement = draft_statement(session, editor)
        services.statement_publish(statement=statement, user=editor)
        position = services.position_create(
            user=editor,
            statement=statement,
            provision=ProvisionFactory(treaty=session.treaty),
            stance="undecided",
        )
        services.position_publish(position=position, user=editor)
    state = MatrixState.objects.get(treaty_id=session.treaty_id)
    assert state.stale_from is None
    assert MatrixStance.objects.get(treaty_id=session.treaty_id).stance == "undecided"


def test_deferred_marks_mark_each_treaty_once_from_its_lowest_session(monkeypatch):
    later = SessionFactory(number=5)
    earlier = SessionFactory(number=2, treaty=later.treaty)
    marks = []
    monkeypatch.setattr(matrix_build, "mark_stale", lambda *args: marks.append(args))
    drafts = [
        StatementFactory(session=session, status="draft")
        for session in (later, earlier, later)
    ]
    with services.matrix_marks_deferred():
        with services.matrix_marks_deferred():  # nested: the outer block marks
            services.statement_publish(statement=drafts[0], user=None)
        for statement in drafts[1:]:
            services.statement_publish(statement=statement, user=None)
        assert marks == []
    assert marks == [(later.treaty_id, 2)]
    services.statement_unpublish(statement=drafts[0], user=None)
    assert marks[-1] == (later.treaty_id, 5)  # outside the block: marked at once
