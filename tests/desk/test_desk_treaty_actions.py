"""Treaty actions on the desk: editors enter drafts with their sources and
verification, reviewers publish them from the review queue, and a published one is
locked for editors."""

import datetime

import pytest
from django.urls import reverse

from states import acts
from states.models import TreatyAction
from tests.api_helpers import make_user
from tests.desk.acts_world import action_form_data, acts_world
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db

# Session, user, the user's and the groups' permissions, the actions with their
# treaty, actor and author in one query.
LIST_QUERIES = 6
# The review page's own reads (statements, proposals), and one for the actions.
REVIEW_QUERIES = 10


@pytest.fixture
def world():
    return acts_world()


def new_url():
    return reverse("desk:treaty-action-new")


def action_url(action):
    return reverse("desk:treaty-action", kwargs={"pk": action.pk})


def publish_url(action):
    return reverse("desk:treaty-action-publish", kwargs={"pk": action.pk})


def draft(treaty, actor, user, **fields):
    return acts.treaty_action_create(
        user=user,
        treaty=treaty,
        actor=actor,
        kind=fields.pop("kind", "signature"),
        date=fields.pop("date", datetime.date(2025, 10, 25)),
        sources=fields.pop("sources", ["https://treaties.un.org/"]),
        **fields,
    )


def test_an_editor_enters_a_draft_with_its_source_and_verification(
    client, editor, world
):
    treaty, members, _ = world
    client.force_login(editor)
    response = client.post(new_url(), action_form_data(treaty))
    action = TreatyAction.objects.get()
    assert response.status_code == 302 and response["Location"] == action_url(action)
    assert action.status == "draft" and action.created_by == editor
    assert action.actor == members["RUS"]  # typed as "Russia"
    assert action.kind == "signature" and action.date == datetime.date(2025, 10, 25)
    assert action.sources == [
        "https://treaties.un.org/pages/ViewDetails.aspx?src=TREATY"
    ]
    assert action.verification == "verified"
    body = client.get(action_url(action)).content.decode()
    assert "Saved as a draft: Russian Federation: Signature (2025-10-25)" in body


@pytest.mark.parametrize(
    "kind",
    [
        "signature",
        "domestic_approval",
        "ratification",
        "acceptance",
        "approval",
        "accession",
        "declaration",
        "reservation",
        "withdrawal",
    ],
)
def test_every_kind_of_step_can_be_entered(client, editor, world, kind):
    treaty, _, _ = world
    client.force_login(editor)
    text = "Article 40 does not bind us." if kind == "reservation" else ""
    response = client.post(new_url(), action_form_data(treaty, kind=kind, text=text))
    assert response.status_code == 302
    assert TreatyAction.objects.get().kind == kind


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"actor": "Atlantis"}, "actor", "No actor is called “Atlantis”"),
        ({"kind": "coronation"}, "kind", "Select a valid choice."),
        ({"date": "2025-13-01"}, "date", "Enter a valid date."),
        (
            {"date": "2025-10-25", "date_precision": "month"},
            "date",
            "With month precision, give the first day of the month.",
        ),
        ({"sources": "ftp://example.org/x"}, "sources", "is not a web address"),
        ({"verification": "rumoured"}, "verification", "Select a valid choice."),
    ],
)
def test_a_refused_action_says_why_beside_its_field_and_saves_nothing(
    client, editor, world, overrides, field, message
):
    treaty, _, _ = world
    client.force_login(editor)
    response = client.post(new_url(), action_form_data(treaty, **overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="error-{field}">' in body and message in body
    assert not TreatyAction.objects.exists()


def test_the_same_step_on_the_same_day_twice_is_refused(client, editor, world):
    treaty, members, _ = world
    draft(treaty, members["RUS"], editor)
    client.force_login(editor)
    response = client.post(new_url(), action_form_data(treaty))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert TreatyAction.objects.count() == 1


def test_a_reviewer_publishes_a_draft_from_the_review_queue(
    client, editor, reviewer, world
):
    treaty, members, _ = world
    action = draft(treaty, members["VNM"], editor)
    client.force_login(reviewer)
    body = client.get(reverse("desk:review")).content.decode()
    assert 'data-testid="review-treaty-actions"' in body
    assert f'data-testid="publish-action-{action.pk}"' in body
    assert "Viet Nam" in body and "edith" in body
    response = client.post(publish_url(action), follow=True)
    assert response.redirect_chain == [(reverse("desk:review"), 302)]
    assert "Published: Viet Nam: Signature" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "published" and action.updated_by == reviewer
    assert "No treaty actions wait for review." in response.content.decode()


def test_publishing_without_a_source_is_refused_with_its_reason(
    client, editor, reviewer, world
):
    treaty, members, _ = world
    action = draft(treaty, members["VNM"], editor, sources=[])
    client.force_login(reviewer)
    response = client.post(publish_url(action), follow=True)
    assert "A published treaty action needs a source." in response.content.decode()
    action.refresh_from_db()
    assert action.status == "draft"


def test_editors_cannot_publish_or_change_what_is_published(
    client, editor, reviewer, world
):
    treaty, members, _ = world
    action = draft(treaty, members["VNM"], editor)
    client.force_login(editor)
    assert client.post(publish_url(action)).status_code == 403
    assert client.get(reverse("desk:review")).status_code == 403
    acts.treaty_action_publish(action=action, user=reviewer)
    body = client.get(action_url(action)).content.decode()
    assert "This treaty action is published: only a reviewer may change it." in body
    assert 'data-testid="save-treaty-action"' not in body
    response = client.post(
        action_url(action), action_form_data(treaty, actor="VNM", kind="ratification")
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.kind == "signature" and action.status == "published"
    unpublish = reverse("desk:treaty-action-unpublish", kwargs={"pk": action.pk})
    assert client.post(unpublish).status_code == 403


def test_a_reviewer_corrects_a_published_action_and_it_stays_published(
    client, reviewer, editor, world
):
    treaty, members, _ = world
    action = acts.treaty_action_publish(
        action=draft(treaty, members["VNM"], editor), user=reviewer
    )
    client.force_login(reviewer)
    response = client.post(
        action_url(action),
        action_form_data(
            treaty, actor="VNM", date="2025-10-26", verification="partly_verified"
        ),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.date == datetime.date(2025, 10, 26)
    assert action.status == "published" and action.updated_by == reviewer


def test_an_editor_edits_their_own_draft(client, editor, world):
    treaty, members, _ = world
    action = draft(treaty, members["VNM"], editor)
    client.force_login(editor)
    form = client.get(action_url(action)).content.decode()
    assert 'value="VNM"' in form and "https://treaties.un.org/" in form
    response = client.post(
        action_url(action),
        action_form_data(
            treaty, actor="Viet Nam", kind="declaration", text="Under Article 3…"
        ),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.kind == "declaration" and action.text == "Under Article 3…"
    assert action.status == "draft"


def test_the_service_locks_a_published_action_for_editors(editor, reviewer, world):
    from django.core.exceptions import PermissionDenied

    treaty, members, _ = world
    action = acts.treaty_action_publish(
        action=draft(treaty, members["VNM"], editor), user=reviewer
    )
    with pytest.raises(PermissionDenied):
        acts.treaty_action_update(action=action, user=editor, text="Changed")
    with pytest.raises(PermissionDenied):
        acts.treaty_action_delete(action=action, user=editor)
    assert TreatyAction.objects.get().text == ""


def test_anonymous_visitors_sign_in_and_readers_are_refused(client, editor, world):
    treaty, members, _ = world
    action = draft(treaty, members["VNM"], editor)
    urls = [reverse("desk:treaty-actions"), new_url(), action_url(action)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(publish_url(action))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(make_user("reader"))
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(new_url(), action_form_data(treaty)).status_code == 403
    assert client.post(publish_url(action)).status_code == 403
    assert TreatyAction.objects.count() == 1


def test_an_unknown_action_is_a_404(client, reviewer, world):
    client.force_login(reviewer)
    assert (
        client.get(reverse("desk:treaty-action", kwargs={"pk": 999})).status_code == 404
    )
    response = client.post(reverse("desk:treaty-action-publish", kwargs={"pk": 999}))
    assert response.status_code == 404


def test_all_user_text_is_escaped(client, editor, reviewer, world):
    treaty, members, _ = world
    draft(
        treaty, members["VNM"], editor, kind="declaration", text="<script>x()</script>"
    )
    client.force_login(reviewer)
    for url in (reverse("desk:treaty-actions"), reverse("desk:review")):
        body = client.get(url).content.decode()
        assert "<script>x()" not in body and "&lt;script&gt;x()" in body


def test_the_list_and_the_review_queue_read_a_fixed_number_of_queries(
    client, editor, reviewer, world, django_assert_max_num_queries
):
    treaty, _, _ = world
    for _ in range(40):
        draft(treaty, ActorFactory(), editor)
    client.force_login(reviewer)
    with django_assert_max_num_queries(LIST_QUERIES):
        body = client.get(reverse("desk:treaty-actions") + "?status=draft")
    assert body.content.decode().count("<td>Draft</td>") == 40
    with django_assert_max_num_queries(REVIEW_QUERIES):
        body = client.get(reverse("desk:review")).content.decode()
    assert body.count('data-testid="publish-action-') == 40
