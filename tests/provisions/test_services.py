"""Session services: validation and the signal that reaches the matrix."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from provisions import services
from provisions.models import Session
from provisions.signals import matrix_inputs_changed
from states import tasks
from states.models import MatrixState
from tests.factories import SessionFactory, StatementFactory, TreatyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcements():
    received = []

    def listener(sender, **kwargs):
        received.append((kwargs["treaty_id"], kwargs["from_session_number"]))

    matrix_inputs_changed.connect(listener)
    yield received
    matrix_inputs_changed.disconnect(listener)


def stale_from(treaty):
    state = MatrixState.objects.filter(treaty=treaty).first()
    return state.stale_from if state else None


def test_session_create_validates_and_announces_started_sessions(announcements):
    treaty = TreatyFactory()
    services.session_create(
        treaty=treaty,
        number=1,
        title="First session",
        start_date=datetime.date(2022, 2, 28),
        end_date=datetime.date(2022, 3, 11),
    )
    assert announcements == []
    services.session_create(
        treaty=treaty,
        number=2,
        title="Second session",
        start_date=datetime.date(2022, 5, 30),
        end_date=datetime.date(2022, 6, 10),
        status="in_progress",
    )
    assert announcements == [(treaty.id, 2)]
    with pytest.raises(ValidationError):
        services.session_create(
            treaty=treaty,
            number=3,
            title="Backwards",
            start_date=datetime.date(2022, 9, 1),
            end_date=datetime.date(2022, 8, 1),
        )
    with pytest.raises(ValidationError):
        services.session_create(
            treaty=treaty,
            number=1,
            title="Duplicate number",
            start_date=datetime.date(2022, 9, 1),
            end_date=datetime.date(2022, 9, 2),
        )


def test_renumbering_marks_the_matrix_stale_from_the_lower_number(announcements):
    session = SessionFactory(number=5)
    services.session_update(session=session, number=2)
    assert announcements == [(session.treaty_id, 2)]
    assert stale_from(session.treaty) == 2
    services.session_update(session=session, venue="Vienna")
    assert len(announcements) == 1


def test_session_close_is_idempotent_and_schedules_a_rebuild(
    announcements, django_capture_on_commit_callbacks
):
    session = SessionFactory(number=4, status=Session.Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks() as callbacks:
        closed = services.session_close(session=session)
        again = services.session_close(session=closed)
    assert again.status == Session.Status.CLOSED
    assert announcements == [(session.treaty_id, 4)]
    assert stale_from(session.treaty) == 4
    assert [c.treaty_id for c in callbacks if isinstance(c, tasks._EnqueueRebuild)] == [
        session.treaty_id
    ]


def test_session_with_statements_cannot_be_deleted(announcements):
    session = SessionFactory()
    StatementFactory(session=session)
    with pytest.raises(ValidationError):
        services.session_delete(session=session)
    empty = SessionFactory(treaty=session.treaty, number=session.number + 1)
    services.session_delete(session=empty)
    assert not Session.objects.filter(pk=empty.pk).exists()
    assert announcements == [(session.treaty_id, empty.number)]
