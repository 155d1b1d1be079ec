"""Report a correction on a quote: a public form (honeypot, rate limit) that lands in
the reviewers' queue; the answer is recorded; an accepted one shows in the changelog
with its reason."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from follow import selectors, services
from follow.models import CorrectionReport
from states.models import Position
from tests.api_helpers import make_user
from tests.factories import PositionFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def position():
    return PositionFactory(quote="We want the offence.", stance="support")


def _report(client, position, **extra):
    return client.post(
        reverse("correction-new") + f"?position={position.pk}",
        {"message": "The delegate said the opposite.", **extra},
    )


def test_report_lands_in_the_queue_and_an_accepted_one_in_the_changelog(position):
    client = Client()
    page = client.get(position.provision.get_absolute_url())
    link = f"{reverse('correction-new')}?position={position.pk}"
    assert link.encode() in page.content.replace(b"&amp;", b"&")
    form = client.get(link)
    assert form.status_code == 200 and b"We want the offence." in form.content
    response = _report(client, position, source_url="https://example.org/record")
    assert response.status_code == 200
    (report,) = selectors.open_correction_reports()
    assert report.position == position and report.statement == position.statement
    assert report.source_url == "https://example.org/record"

    reviewer = make_user("rita", "Reviewers")
    with pytest.raises(ValidationError):  # an acceptance must change something
        services.correction_accept(
            report=report, user=reviewer, answer="Yes", changes={"stance": "support"}
        )
    services.correction_accept(
        report=report,
        user=reviewer,
        answer="The record shows the delegate opposed it.",
        changes={"stance": "oppose"},
    )
    report.refresh_from_db()
    assert report.status == "accepted" and report.answered_by == reviewer
    assert Position.objects.get(pk=position.pk).stance == "oppose"
    assert not selectors.open_correction_reports().exists()
    with pytest.raises(ValidationError):  # answered once
        services.correction_reject(report=report, user=reviewer, answer="No")

    changes = client.get(reverse("changes"))
    first = changes.context["page"].changes[0]
    assert first.kind == "corrected"
    assert first.reason == "The record shows the delegate opposed it."
    assert "changed from Support to Oppose" in first.summary


def test_rejected_report_keeps_the_record(position):
    client = Client()
    _report(client, position)
    report = CorrectionReport.objects.get()
    reviewer = make_user("rob", "Reviewers")
    with pytest.raises(ValidationError):
        services.correction_reject(report=report, user=reviewer, answer=" ")
    services.correction_reject(
        report=report, user=reviewer, answer="The quote is right."
    )
    report.refresh_from_db()
    assert report.status == "rejected" and report.answer == "The quote is right."
    assert Position.objects.get(pk=position.pk).stance == "support"


def test_statements_can_be_reported_and_drafts_cannot():
    statement = StatementFactory()
    draft = StatementFactory(status="draft")
    client = Client()
    session = client.get(
        reverse(
            "session-detail",
            kwargs={
                "treaty": statement.session.treaty.slug,
                "number": statement.session.number,
            },
        )
    )
    assert f"?statement={statement.pk}".encode() in session.content
    url = reverse("correction-new")
    assert client.get(url, {"statement": draft.pk}).status_code == 404
    assert client.get(url, {"statement": "abc"}).status_code == 400
    assert client.get(url).status_code == 400
    assert (
        client.post(f"{url}?statement={statement.pk}", {"message": ""}).status_code
        == 400
    )
    assert (
        client.post(
            f"{url}?statement={statement.pk}", {"message": "x", "source_url": "nope"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"{url}?statement={statement.pk}", {"message": "Wrong date"}
        ).status_code
        == 200
    )
    assert CorrectionReport.objects.get().position is None


def test_correction_honeypot_and_rate_limit(position, settings):
    client = Client()
    assert _report(client, position, website="http://spam").status_code == 200
    assert not CorrectionReport.objects.exists()
    settings.FOLLOW_RATE_PER_HOUR = 1
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"
    codes = [
        client.post(
            reverse("correction-new") + f"?position={position.pk}",
            {"message": "Wrong."},
            REMOTE_ADDR=ip,
        ).status_code
        for _ in range(2)
    ]
    assert codes == [200, 429]
    assert CorrectionReport.objects.count() == 1


def test_reviewer_answers_in_the_admin(position, admin_client):
    _report(Client(), position)
    report = CorrectionReport.objects.get()
    url = reverse("admin:follow_correctionreport_change", args=[report.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "answer": "Misquoted.",
            "decision": "accepted",
            "corrected_quote": "We do not want the offence.",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
    assert Position.objects.get(pk=position.pk).quote == "We do not want the offence."
