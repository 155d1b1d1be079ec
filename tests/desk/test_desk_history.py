"""A statement's history on the desk, as an editor entered it from the form: its
positions' versions on their provisions, the provision the grid created with it,
and the positions published with it."""

import pytest
from django.urls import reverse

from provisions.models import Provision
from states import history, revisions, services
from states.models import Position, Revision, Statement
from tests.desk.desk_world import desk_world, entry_data

pytestmark = pytest.mark.django_db
E = Revision.Entity

ROWS = [
    ("14", "support_with_changes", "delete 'without right'", ""),
    ("Article 17", "oppose", "", ""),
    ("14(3)", "oppose", "delete paragraph 3", "paragraph"),
]


@pytest.fixture
def entered(client, editor, reviewer):
    """A statement entered from the form (one provision created from its grid),
    a position changed and one deleted by the editor, published by a reviewer."""
    session, provisions, speaker, others = desk_world()
    client.force_login(editor)
    response = client.post(
        reverse("desk:statement-new"),
        entry_data(session, speaker, others[:1], rows=ROWS),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    statement = Statement.objects.get()
    article = statement.positions.get(provision=provisions["Article 14"])
    services.position_update(
        position=article,
        user=editor,
        stance="support",
        wants="",
        quote="We can accept it.",
    )
    services.position_delete(
        position=statement.positions.get(provision=provisions["Article 17"]),
        user=editor,
    )
    client.force_login(reviewer)
    client.post(reverse("desk:review-publish", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.status == "published"
    return statement, Provision.objects.get(kind="paragraph")


def _page(client, user, statement):
    client.force_login(user)
    response = client.get(reverse("desk:history", args=["statement", statement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_statements_history_holds_its_positions_versions(entered):
    statement, paragraph = entered
    found = history.statement_entries(statement.pk)
    published, *rest = found
    positions = [e for e in rest if e.position]
    kinds = [(e.revision.action, e.provision[1]) for e in positions]
    # Each on its provision by label as printed and title, as the draft names it.
    assert kinds == [
        ("deleted", "Article 17 Offences in other treaties"),
        ("changed", "Article 14 Illegal access"),
        ("created", f"14(3) {paragraph.title}"),
        ("created", "Article 17 Offences in other treaties"),
        ("created", "Article 14 Illegal access"),
    ]
    deleted, changed, *_ = positions
    assert changed.changes == [  # as a coder reads a position: stance first
        ("stance", "Support with changes", "Support"),
        ("wants", "delete 'without right'", ""),
        ("quote", "", "We can accept it."),
    ]
    assert [e.new_provision for e in positions] == [False, False, True, False, False]
    created = positions[2]
    assert ("stance", "", "Oppose") in created.changes
    # Its statement and provision are the page's and the entry's: not repeated.
    assert [name for name, _, _ in created.changes] == ["stance", "wants", "status"]
    # The statement's own versions are there too, newest first.
    assert [e.revision.action for e in found if not e.position] == [
        "changed",
        "created",
    ]


def test_the_publication_says_which_positions_were_published_with_it(entered):
    statement, paragraph = entered
    published = history.statement_entries(statement.pk)[0]
    assert not published.position
    assert sorted((p.stance, p.provision[1]) for p in published.published_with) == [
        ("Oppose", f"14(3) {paragraph.title}"),
        ("Support", "Article 14 Illegal access"),
    ]
    # Each position published with it is listed there, not again on its own.
    entries = history.statement_entries(statement.pk)
    assert all(
        e.revision.data.get("status") != "published" for e in entries if e.position
    )
    # The position's own history keeps its publication.
    position = Position.objects.get(provision=paragraph)
    assert revisions.history_of(position).first().data["status"] == "published"


def test_the_page_names_positions_links_the_new_provision_and_the_publication(
    client, editor, entered
):
    statement, paragraph = entered
    body = _page(client, editor, statement)
    assert "<strong>Published</strong> with 2 positions" in body
    assert 'data-testid="published-with"' in body
    provision_history = reverse("desk:history", args=["provision", paragraph.pk])
    assert body.count(f'href="{provision_history}"') >= 2  # its version, the list
    assert "(a new provision, created with this statement)" in body
    assert body.count("a new provision") == 1
    assert "<strong>Position changed</strong> on" in body
    assert "<strong>Position deleted</strong> on" in body
    assert "delete &#x27;without right&#x27;" in body  # escaped
    assert "We can accept it." in body


def test_positions_versions_are_restored_from_the_statements_page(
    client, editor, reviewer, entered
):
    statement, _ = entered
    # Published: an editor is offered no restore of it, nor of its published
    # positions; the deleted draft position may come back (as either version).
    body = _page(client, editor, statement)
    assert body.count('data-testid="restore"') == 2
    assert body.count("Bring it back as this version of the position") == 2
    deleted = revisions.history(E.POSITION, _deleted_position_id(statement)).first()
    last_kept = revisions.history(E.POSITION, deleted.object_id)[1]
    response = client.post(
        reverse("desk:revision-restore", args=[last_kept.pk]),
        {"statement": str(statement.pk)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "desk:history", args=["statement", statement.pk]
    )
    back = Position.objects.get(pk=deleted.object_id)
    assert (back.statement_id, back.stance, back.status) == (
        statement.pk,
        "oppose",
        "draft",
    )
    body = _page(client, reviewer, statement)
    assert "<strong>Position created</strong> on" in body


def _deleted_position_id(statement):
    return (
        Revision.objects.filter(
            entity=E.POSITION,
            action=Revision.Action.DELETED,
            data__statement_id=statement.pk,
        )
        .get()
        .object_id
    )


def test_an_editors_forged_restore_of_the_published_statement_is_refused(
    client, editor, entered
):
    statement, _ = entered
    first = revisions.history_of(statement).last()
    client.force_login(editor)
    response = client.post(reverse("desk:revision-restore", args=[first.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Not restored: This statement is published: only a reviewer" in body
    assert 'data-testid="history"' in body  # the page, to carry on from
    assert revisions.history_of(statement).count() == 2


def test_a_deleted_statement_comes_back_first_then_its_positions(
    client, reviewer, entered
):
    statement, _ = entered
    services.statement_unpublish(statement=statement, user=reviewer)
    services.statement_delete(statement=statement, user=reviewer)
    body = _page(client, reviewer, statement)
    # Only the statement's own versions offer to bring it back: a position
    # cannot come back without it.
    assert body.count("Bring it back as this version<") == 4  # its 4 versions
    assert "of the position" not in body
    latest_kept = revisions.history_of(statement)[1]
    client.post(reverse("desk:revision-restore", args=[latest_kept.pk]))
    assert Statement.objects.filter(pk=statement.pk).exists()
    body = _page(client, reviewer, statement)
    assert "Bring it back as this version of the position" in body


def test_the_statement_page_offers_restore_only_to_who_may_restore(
    client, editor, reviewer, entered
):
    """A published statement is restored by reviewers only: its desk page does not
    promise an editor a restore the history page will not give."""
    statement, _ = entered
    link = 'data-testid="full-history">Full history{}</a>'
    for user, shown in ((editor, ""), (reviewer, ", with restore")):
        client.force_login(user)
        body = client.get(reverse("desk:statement", args=[statement.pk])).content
        assert link.format(shown) in body.decode()


def test_the_pages_name_a_positions_provision_by_label_and_title(
    client, editor, entered
):
    statement, paragraph = entered
    body = _page(client, editor, statement)
    assert "<strong>Position changed</strong> on " in body
    assert '">Article 14 Illegal access</a>' in body
    assert f'">14(3) {paragraph.title}</a>' in body  # and in the publication's list
    assert body.count(f'">14(3) {paragraph.title}</a>') == 2
    position = statement.positions.get(provision=paragraph)
    own = client.get(reverse("desk:history", args=["position", position.pk]))
    assert own.status_code == 200
    assert f"Position: Oppose: 14(3) {paragraph.title}" in own.content.decode()
    # A provision no draft prints is named by its title alone.
    paragraph.texts.all().delete()
    assert f'">{paragraph.title}</a>' in _page(client, editor, statement)
