"""Many statements published through the API at once, in real concurrent PostgreSQL
transactions: none may deadlock or fail (the write storm of `make bench`)."""

import threading

import psycopg
import pytest
from django.db import OperationalError, connection

from states import services
from states.models import MatrixState, Position, Statement
from tests.api_helpers import api, make_user, token_client
from tests.factories import ActorFactory, ProvisionFactory, SessionFactory

# Concurrent writers, and the statements (each with one position) each publishes.
WRITERS = 8
PER_WRITER = 4


def _publish(client, session, actor, provision, number):
    """POST a published statement, then a published position on it: the status codes."""
    statement = client.post(
        api("statement-list"),
        {
            "session": session.pk,
            "actor": actor.code,
            "date": session.start_date.isoformat(),
            "kind": "oral",
            "title": f"Storm {number}",
            "text": "Published in the storm.",
            "source_url": "https://example.org/storm",
            "status": "published",
        },
        format="json",
    )
    if statement.status_code != 201:
        return [(statement.status_code, statement.content[:300])]
    position = client.post(
        api("position-list"),
        {
            "statement": statement.json()["id"],
            "provision": provision.pk,
            "stance": "support",
            "status": "published",
        },
        format="json",
    )
    return [(201, b""), (position.status_code, position.content[:300])]


@pytest.mark.django_db(transaction=True)
def test_a_storm_of_concurrent_publishes_has_no_error(caplog):
    session = SessionFactory()
    provisions = [ProvisionFactory(treaty=session.treaty) for _ in range(3)]
    actors = [ActorFactory() for _ in range(WRITERS)]
    clients = [
        token_client(make_user(f"reviewer{n}", "Reviewers")) for n in range(WRITERS)
    ]
    barrier = threading.Barrier(WRITERS)
    outcomes, crashes = [], []

    def writer(n):
        try:
            barrier.wait(10)
            for k in range(PER_WRITER):
                outcomes.extend(
                    _publish(
                        clients[n],
                        session,
                        actors[n],
                        provisions[(n + k) % len(provisions)],
                        n * PER_WRITER + k,
                    )
                )
        except Exception as error:  # noqa: BLE001  (reported by the assertion)
            crashes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert crashes == []
    # Not even a retried deadlock: the writers lock in one order.
    assert [r.message for r in caplog.records if "lost a race" in r.message] == []
    failed = [(code, body) for code, body in outcomes if code != 201]
    assert failed == []
    assert len(outcomes) == 2 * WRITERS * PER_WRITER
    published = Statement.objects.filter(session=session, status="published")
    assert published.count() == WRITERS * PER_WRITER
    assert (
        Position.objects.filter(statement__session=session, status="published").count()
        == WRITERS * PER_WRITER
    )
    # Every publish owed a build; the owed builds ran (eagerly, after each commit).
    state = MatrixState.objects.get(treaty=session.treaty)
    assert state.stale_from is None


def _deadlock():
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


def _statement_body(session, actor):
    return {
        "session": session.pk,
        "actor": actor.code,
        "date": session.start_date.isoformat(),
        "kind": "oral",
        "title": "Raced",
        "text": "A statement that raced.",
        "source_url": "https://example.org/race",
        "status": "published",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("losses", "expected"), [(1, 201), (2, 409)], ids=["retried", "answered-409"]
)
def test_a_write_that_loses_a_race_is_retried_once_then_answered_409(
    monkeypatch, losses, expected
):
    session, actor = SessionFactory(), ActorFactory()
    client = token_client(make_user("rita", "Reviewers"))
    original, calls = services.statement_publish, []

    def racing_publish(**kwargs):
        calls.append(1)
        if len(calls) <= losses:
            raise _deadlock()
        return original(**kwargs)

    monkeypatch.setattr(services, "statement_publish", racing_publish)
    response = client.post(
        api("statement-list"), _statement_body(session, actor), format="json"
    )

    assert response.status_code == expected
    assert len(calls) == min(losses + 1, 2)
    if expected == 409:
        assert "nothing was saved" in response.json()["detail"]
        # The rolled-back attempts left nothing behind.
        assert not Statement.objects.filter(title="Raced").exists()
    else:
        assert Statement.objects.filter(title="Raced").count() == 1
