"""The admin of votes and treaty actions goes through states.acts: an editor saves
drafts, only a reviewer's action publishes."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse

from states import acts
from states.models import TreatyAction
from tests.factories import ActorFactory, TreatyFactory

pytestmark = pytest.mark.django_db


def staff(name, role):
    user = get_user_model().objects.create_user(name, password="x", is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=role))
    return user


def test_admin_pages_load(admin_client):
    treaty = TreatyFactory()
    vote = acts.vote_create(
        treaty=treaty,
        body="General Assembly",
        date=datetime.date(2019, 12, 27),
        title="A vote",
        question="Adopt it.",
    )
    acts.ballots_set(vote=vote, choices={ActorFactory(): "yes"})
    for url in [
        reverse("admin:states_vote_changelist"),
        reverse("admin:states_vote_change", args=[vote.pk]),
        reverse("admin:states_treatyaction_changelist"),
        reverse("admin:states_treatyaction_add"),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_editor_adds_a_draft_and_a_reviewer_publishes_it(client):
    treaty, actor = TreatyFactory(), ActorFactory(code="AZE")
    editor = staff("edith", "Editors")
    client.force_login(editor)
    response = client.post(
        reverse("admin:states_treatyaction_add"),
        {
            "treaty": treaty.pk,
            "actor": actor.pk,
            "kind": "signature",
            "date": "2025-10-25",
            "date_precision": "day",
            "text": "Signed in Hanoi.",
            "sources": '["https://treaties.un.org/"]',
            "verification": "verified",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    action = TreatyAction.objects.get()
    assert action.status == "draft"
    assert action.created_by == editor
    changelist = reverse("admin:states_treatyaction_changelist")
    # Editors do not have the publish action.
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [action.pk]}
    )
    assert TreatyAction.objects.get().status == "draft"
    client.force_login(staff("rita", "Reviewers"))
    client.post(changelist, {"action": "publish", "_selected_action": [action.pk]})
    action.refresh_from_db()
    assert action.status == "published"
    assert action.updated_by.username == "rita"
