"""The digest path with the real parts: Redis as the broker, a real Celery worker
process that rebuilds the matrix and then sends the digest through the SMTP server
running in this test process."""

import pytest

from follow import services, tokens
from follow.models import Follower
from states import services as state_services
from states.tasks import rebuild_matrix
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
)
from tests.states.test_rebuild_task import (  # noqa: F401
    broker,
    celery_worker,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_rebuild_by_a_real_worker_sends_the_digest(
    broker,  # noqa: F811
    tmp_path,
    smtp,
    settings,
    monkeypatch,
):
    session = SessionFactory(number=1)
    actor = ActorFactory(code="RUS", name="Russian Federation")
    services.follow_confirm(
        token=tokens.confirm_token(email="w@example.org", kind="actor", key="RUS")
    )
    statement = StatementFactory(
        session=session, actor=actor, title="Said at the first session"
    )
    PositionFactory(
        statement=statement, provision=ProvisionFactory(treaty=session.treaty)
    )
    state_services.matrix_mark_stale(treaty_id=session.treaty.pk)
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{settings.EMAIL_PORT}")
    monkeypatch.setenv("SITE_URL", settings.SITE_URL)
    with celery_worker(broker, tmp_path) as (_, log):
        rebuild_matrix.apply_async(kwargs={"treaty_id": session.treaty.pk})
        messages = smtp.wait_for(1, timeout=40)
        assert messages, log.read_text()[-3000:]
        # The worker commits the follower's cursor just after the server said 250.
        wait_for(
            lambda: Follower.objects.get().last_digest_at is not None,
            10,
            "the digest recorded",
            log,
        )
    (digest,) = messages
    assert digest.envelope_to == ["w@example.org"]
    assert "Russian Federation: new statement “Said at the first session”" in (
        digest.get_content()
    )
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
