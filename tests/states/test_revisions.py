"""Every change to a statement or position is recorded, attributed and reversible."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from states import revisions, services
from states.models import MatrixState, Position, Revision, Statement
from tests.api_helpers import make_user
from tests.factories import ActorFactory, ProvisionFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    # Also a reviewer: these tests edit published records, which are locked for
    # plain editors (tests/states/test_proposals.py).
    return make_user("edith", "Editors", "Reviewers")


@pytest.fixture
def published(editor):
    """A published statement (two co-signers) with a published position."""
    session = SessionFactory(number=2)
    statement = services.statement_create(
        user=editor,
        session=session,
        actor=ActorFactory(),
        co_signers=[ActorFactory(), ActorFactory()],
        title="First wording",
        text="We support it.",
        source_url="https://example.org/first",
    )
    services.statement_publish(statement=statement, user=editor)
    position = services.position_create(
        user=editor,
        statement=statement,
        provision=ProvisionFactory(treaty=session.treaty),
        stance="support",
        quote="We support it.",
    )
    services.position_publish(position=position, user=editor)
    return statement, position


def test_each_change_is_recorded_with_who_made_it_and_the_record_after_it(
    published, editor
):
    statement, position = published
    other = make_user("otto", "Editors", "Reviewers")
    co_signers = sorted(statement.co_signers.values_list("id", flat=True))
    services.statement_update(
        statement=statement, user=other, title="Second wording", co_signers=[]
    )

    history = list(revisions.history_of(statement))
    assert [r.action for r in history] == ["changed", "changed", "created"]
    latest, published_one, created = history
    assert latest.user == other and latest.data["title"] == "Second wording"
    assert latest.data["co_signers"] == []
    assert published_one.data["status"] == "published"
    assert created.user == editor and created.data["co_signers"] == co_signers
    assert [r.action for r in revisions.history_of(position)] == [
        "changed",
        "created",
    ]


def test_restoring_a_version_brings_back_its_contents_through_the_services(
    published, editor
):
    statement, position = published
    first = revisions.history_of(statement).last()
    services.statement_update(
        statement=statement, user=editor, title="Second wording", co_signers=[]
    )
    services.position_update(position=position, user=editor, stance="oppose")
    supported = revisions.history_of(position).filter(data__stance="support").first()
    state = MatrixState.objects.get(treaty=statement.session.treaty)
    state.stale_from = None
    state.save()

    revisions.revision_restore(revision=first, user=editor)
    revisions.revision_restore(revision=supported, user=editor)

    statement.refresh_from_db()
    position.refresh_from_db()
    assert statement.title == "First wording"
    assert (
        sorted(statement.co_signers.values_list("id", flat=True))
        == (first.data["co_signers"])
    )
    # Contents come back; publication stays as it is (a reviewer's action).
    assert statement.status == "published" and position.stance == "support"
    # A published position changed: the matrix owes a rebuild, as after any edit.
    state.refresh_from_db()
    assert state.stale_from == statement.session.number
    assert revisions.history_of(position).first().user == editor


def test_a_deleted_statement_comes_back_as_a_draft(published, editor):
    statement, _ = published
    last = revisions.history_of(statement).first()
    services.statement_delete(statement=statement, user=editor)
    deleted = revisions.history_of(statement).first()
    assert deleted.action == "deleted" and deleted.user == editor

    restored = revisions.revision_restore(revision=last, user=editor)

    # Under its old id: links to it, and its history, still lead to it.
    assert restored.pk == statement.pk
    assert [r.action for r in revisions.history_of(restored)][:3] == [
        "created",
        "deleted",
        "changed",
    ]
    assert restored.status == "draft"
    assert restored.title == last.data["title"]
    assert (
        sorted(restored.co_signers.values_list("id", flat=True))
        == (last.data["co_signers"])
    )


def test_a_position_of_a_deleted_statement_cannot_come_back(published, editor):
    statement, position = published
    version = revisions.history_of(position).first()
    services.statement_delete(statement=statement, user=editor)

    with pytest.raises(ValidationError, match="statement of this version"):
        revisions.revision_restore(revision=version, user=editor)
    assert not Position.objects.filter(provision_id=version.data["provision_id"])


def test_a_position_comes_back_under_its_old_id_once_its_statement_is_back(
    published, editor
):
    statement, position = published
    version = revisions.history_of(position).first()
    last = revisions.history_of(statement).first()
    services.statement_delete(statement=statement, user=editor)
    assert revisions.history_of(position).first().action == "deleted"

    revisions.revision_restore(revision=last, user=editor)
    back = revisions.revision_restore(revision=version, user=editor)

    assert back.pk == position.pk and back.statement_id == statement.pk
    assert (back.stance, back.status) == ("support", "draft")
    assert revisions.history_of(back).first().user == editor


def staff(user):
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_admin_restores_a_version_for_an_editor_and_records_deletions(
    published, editor
):
    statement, _ = published
    client = staff(editor)
    first = revisions.history_of(statement).last()
    services.statement_update(statement=statement, user=editor, title="Changed")
    changelist = reverse("admin:states_revision_changelist")

    page = client.get(f"{changelist}?entity=statement&object_id={statement.pk}")
    assert page.status_code == 200 and b"First wording" in page.content
    response = client.post(
        changelist,
        {"action": "restore", "_selected_action": [first.pk]},
        follow=True,
    )

    assert b"1 restored" in response.content
    statement.refresh_from_db()
    assert statement.title == "First wording"
    detail = client.get(reverse("admin:states_statement_change", args=[statement.pk]))
    assert b"revisions</a>" in detail.content

    client.post(
        reverse("admin:states_statement_delete", args=[statement.pk]),
        {"post": "yes"},
    )
    assert not Statement.objects.filter(pk=statement.pk).exists()
    assert revisions.history_of(statement).first().user == editor


def test_admin_offers_no_restore_without_the_right_to_change(published):
    statement, _ = published
    viewer = make_user("vera")
    viewer.user_permissions.add(Permission.objects.get(codename="view_revision"))
    client = staff(viewer)
    first = revisions.history_of(statement).last()
    services.statement_update(statement=statement, user=None, title="Changed")
    changelist = reverse("admin:states_revision_changelist")

    page = client.get(changelist)
    assert page.status_code == 200
    assert b'value="restore"' not in page.content
    client.post(changelist, {"action": "restore", "_selected_action": [first.pk]})

    statement.refresh_from_db()
    assert statement.title == "Changed"
    assert not Revision.objects.filter(object_id=statement.pk, user=viewer).exists()
