"""Readers' correction reports answered from the desk's review queue."""

import pytest
from django.urls import reverse

from follow import services
from follow.models import CorrectionReport
from states.models import Position, Statement
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db
# Session, user, permissions, the open reports with their records, answered ones.
CORRECTIONS_PAGE_QUERIES = 8


@pytest.fixture
def report():
    position = PositionFactory(
        quote="We support the offence.", stance="support", status="published"
    )
    Statement.objects.filter(pk=position.statement_id).update(status="published")
    return services.correction_report_create(
        statement=position.statement,
        position=position,
        message="The delegate <b>opposed</b> it.",
        source_url="https://example.org/record",
    )


def _answer(client, report, **fields):
    data = {f"report-{report.pk}-{name}": value for name, value in fields.items()}
    return client.post(reverse("desk:correction-answer", args=[report.pk]), data)


def test_the_review_queue_links_the_open_reports(client, reviewer, report):
    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    assert reverse("desk:corrections") in queue
    assert "1 open" in queue
    page = client.get(reverse("desk:corrections")).content.decode()
    assert "The delegate &lt;b&gt;opposed&lt;/b&gt; it." in page  # escaped
    assert "We support the offence." in page
    assert f'name="report-{report.pk}-corrected_stance"' in page
    # A position report offers only what a position may have corrected.
    assert f'name="report-{report.pk}-corrected_title"' not in page


def test_a_reviewer_accepts_a_report_and_the_record_is_corrected(
    client, reviewer, report
):
    client.force_login(reviewer)
    response = _answer(
        client,
        report,
        decision="accepted",
        answer="The verbatim record shows opposition.",
        corrected_stance="oppose",
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted" and report.answered_by == reviewer
    assert Position.objects.get(pk=report.position_id).stance == "oppose"
    page = client.get(reverse("desk:corrections")).content.decode()
    assert "No report waits for an answer." in page
    assert "The verbatim record shows opposition." in page


def test_a_refused_answer_keeps_what_was_typed_and_changes_nothing(
    client, reviewer, report
):
    client.force_login(reviewer)
    response = _answer(
        client, report, decision="accepted", answer="", corrected_stance="oppose"
    )
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert Position.objects.get(pk=report.position_id).stance == "support"
    response = _answer(client, report, decision="", answer="Typed reason")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose to accept or to reject" in body and "Typed reason" in body
    assert CorrectionReport.objects.get(pk=report.pk).status == "open"


def test_only_reviewers_see_and_answer_reports(client, editor, report):
    assert client.get(reverse("desk:corrections")).status_code == 302  # to log in
    client.force_login(editor)
    assert client.get(reverse("desk:corrections")).status_code == 403
    response = _answer(client, report, decision="rejected", answer="No.")
    assert response.status_code == 403
    assert CorrectionReport.objects.get(pk=report.pk).status == "open"


def test_the_reports_page_reads_a_fixed_number_of_queries(
    client, reviewer, django_assert_max_num_queries
):
    for index in range(12):
        position = PositionFactory(status="published", quote=f"Quote {index}")
        services.correction_report_create(
            statement=position.statement, position=position, message=f"Wrong {index}"
        )
    client.force_login(reviewer)
    with django_assert_max_num_queries(CORRECTIONS_PAGE_QUERIES):
        response = client.get(reverse("desk:corrections"))
    assert response.content.decode().count("Wrong ") == 12
