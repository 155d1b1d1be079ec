"""The editors' desk home: one's own drafts, and for reviewers the review queue."""

import pytest
from django.urls import reverse

from tests.api_helpers import make_user
from tests.factories import PositionFactory, StatementFactory

# Drafts and their authors, speakers and sessions in one query each way, however many.
DESK_QUERY_BUDGET = 8


@pytest.mark.django_db
def test_the_desk_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("desk:home"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_a_signed_in_user_outside_the_editorial_groups_is_refused(client):
    client.force_login(make_user("reader"))
    assert client.get(reverse("desk:home")).status_code == 403


@pytest.mark.django_db
def test_an_editor_sees_own_drafts_and_no_review_queue(
    client, editor, reviewer, django_assert_max_num_queries
):
    own = StatementFactory(
        title="Mine, not yet published", created_by=editor, status="draft"
    )
    PositionFactory(statement=own, status="draft")
    StatementFactory(title="A colleague's draft", created_by=reviewer, status="draft")
    StatementFactory(title="Already out", created_by=editor, status="published")
    for index in range(20):
        StatementFactory(
            title=f"Older draft {index}", created_by=editor, status="draft"
        )
    client.force_login(editor)
    with django_assert_max_num_queries(DESK_QUERY_BUDGET):
        body = client.get(reverse("desk:home")).content.decode()
    assert "Mine, not yet published" in body
    assert "A colleague&#x27;s draft" not in body
    drafts = body.split('data-testid="own-drafts"')[1].split("</table>")[0]
    assert "Already out" not in drafts  # listed apart, with the published
    assert "Already out" in body.split('data-testid="own-published"')[1]
    assert 'data-testid="awaiting-review"' not in body


@pytest.mark.django_db
def test_a_reviewer_sees_every_draft_awaiting_review(client, editor, reviewer):
    StatementFactory(title="An editor's draft", created_by=editor, status="draft")
    client.force_login(reviewer)
    body = client.get(reverse("desk:home")).content.decode()
    assert 'data-testid="awaiting-review"' in body
    assert "An editor&#x27;s draft" in body


@pytest.mark.django_db
def test_an_editor_finds_own_published_statements_to_propose_changes(client, editor):
    published = StatementFactory(
        status="published", created_by=editor, title="Published one"
    )
    StatementFactory(status="published", title="Someone else's")
    client.force_login(editor)
    body = client.get(reverse("desk:home")).content.decode()
    section = body.split('data-testid="own-published"')[1]
    assert "Published one" in section and "Someone else" not in section
    assert reverse("desk:statement", args=[published.pk]) in section
