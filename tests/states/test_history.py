"""History of every editable record: recorded on create, change and delete, named
field by field, restored through the services, read on the desk and in the API."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.acting import acting_as
from provisions import services as provision_services
from provisions.models import Chapter, Draft, Provision, ProvisionText, Treaty
from states import acts, history, revisions, services
from states.models import (
    Actor,
    ActorAlias,
    Group,
    Membership,
    Revision,
    TreatyAction,
)
from tests.api_helpers import make_user, token_client
from tests.factories import (
    ActorFactory,
    ChapterFactory,
    DraftFactory,
    GroupFactory,
    ProvisionFactory,
    SessionFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db

# The history page: session and user, the user's and groups' permissions, the
# record, the revisions with their users, one read per kind of record named (for a
# statement: sessions, actors, groups) and its accepted proposals; a statement's
# also its positions' revisions, their provisions, proposals and current rows, and
# the provisions' first versions (was any created with the statement?).
HISTORY_PAGE_QUERIES = 15
# The API's page: the token with its user, the user's and groups' permissions, the
# page (each with its previous version, in the same query) and its count, one read
# per kind of record named (actors, groups): whatever the page's length.
API_PAGE_QUERIES = 6

E = Revision.Entity
DAY = datetime.date(2024, 2, 1)


def _actions(entity, object_id):
    return [r.action for r in revisions.history(entity, object_id)]


# Each kind of record: make one, change it, delete it (through its services where
# it has them; a plain delete where it has none: the signals record either way).
KINDS = {
    E.TREATY: (
        lambda: provision_services.treaty_create(slug="t", title="T"),
        lambda t: provision_services.treaty_update(treaty=t, title="T2"),
        lambda t: t.delete(),
    ),
    E.SESSION: (
        lambda: provision_services.session_create(
            treaty=TreatyFactory(),
            number=1,
            title="S",
            start_date=DAY,
            end_date=DAY,
        ),
        lambda s: provision_services.session_update(session=s, title="S2"),
        lambda s: provision_services.session_delete(session=s),
    ),
    E.DRAFT: (
        lambda: provision_services.draft_create(
            treaty_id=TreatyFactory().pk, slug="d", title="D"
        ),
        lambda d: provision_services.draft_update(draft=d, title="D2"),
        lambda d: d.delete(),
    ),
    E.CHAPTER: (
        lambda: provision_services.chapter_create(
            treaty_id=TreatyFactory().pk, number="I", title="C"
        ),
        lambda c: provision_services.chapter_update(chapter=c, title="C2"),
        lambda c: c.delete(),
    ),
    E.PROVISION: (
        lambda: provision_services.provision_create(
            treaty=TreatyFactory(), slug="p", title="P", kind="article", proposition="X"
        ),
        lambda p: provision_services.provision_update(provision=p, title="P2"),
        lambda p: p.delete(),
    ),
    E.PROVISION_TEXT: (
        lambda: _text(),
        lambda t: provision_services.provision_text_update(text=t, label="Art. 2"),
        lambda t: t.delete(),
    ),
    E.ACTOR: (
        lambda: services.actor_create(code="XYZ", name="Xyz", kind="member_state"),
        lambda a: services.actor_update(actor=a, name="Xyzland"),
        lambda a: a.delete(),
    ),
    E.ACTOR_ALIAS: (
        lambda: services.actor_alias_create(actor_id=ActorFactory().pk, alias="Ex"),
        lambda a: services.actor_alias_update(actor_alias=a, alias="Ex2"),
        lambda a: a.delete(),
    ),
    E.GROUP: (
        lambda: services.group_create(slug="g", name="G", kind="coalition"),
        lambda g: services.group_update(group=g, name="G2"),
        lambda g: services.group_delete(group=g),
    ),
    E.MEMBERSHIP: (
        lambda: services.membership_create(
            actor=ActorFactory(), group=GroupFactory(), start_date=DAY
        ),
        lambda m: services.membership_update(membership=m, end_date=DAY),
        lambda m: services.membership_delete(membership=m),
    ),
    E.VOTE: (
        lambda: _vote(),
        lambda v: acts.vote_update(vote=v, title="V2"),
        lambda v: acts.vote_delete(vote=v),
    ),
    E.TREATY_ACTION: (
        lambda: acts.treaty_action_create(
            user=None,
            treaty=TreatyFactory(),
            actor=ActorFactory(),
            kind="signature",
            date=DAY,
        ),
        lambda a: acts.treaty_action_update(action=a, user=None, text="Signed."),
        lambda a: acts.treaty_action_delete(action=a, user=None),
    ),
}


def _text():
    provision = ProvisionFactory()
    draft = DraftFactory(treaty=provision.treaty)
    return provision_services.provision_text_create(
        provision=provision, draft=draft, label="Art. 1"
    )


def _vote(treaty=None):
    return acts.vote_create(
        treaty=treaty or TreatyFactory(),
        body="General Assembly",
        date=DAY,
        title="V",
        question="Adopt it.",
    )


@pytest.mark.parametrize("entity", list(KINDS))
def test_each_create_change_and_delete_is_a_revision(entity):
    make, change, delete = KINDS[entity]
    record = make()
    object_id = record.pk
    change(record)
    delete(revisions.MODEL_OF[entity].objects.get(pk=object_id))
    assert _actions(entity, object_id) == ["deleted", "changed", "created"]
    created = revisions.history(entity, object_id).last()
    assert "id" not in created.data and "updated_at" not in created.data


def test_a_votes_ballots_and_sponsors_are_kept_as_sets_once_per_change():
    vote = _vote()
    china, france = ActorFactory(name="China"), ActorFactory(name="France")
    acts.ballots_set(vote=vote, choices={china: "yes", france: "no"})
    acts.ballots_set(vote=vote, choices={china: "yes", france: "no"})  # unchanged
    acts.ballots_set(vote=vote, choices={china: "abstain"})
    acts.vote_sponsors_set(vote=vote, sponsors=[(china, "sponsor")])
    acts.vote_sponsors_set(vote=vote, sponsors=[(china, "sponsor")])  # unchanged
    assert _actions(E.BALLOTS, vote.pk) == ["changed", "created"]
    assert _actions(E.VOTE_SPONSORS, vote.pk) == ["created"]
    # Setting a set touches the vote, which is not a change of the vote itself.
    assert _actions(E.VOTE, vote.pk) == ["created"]
    latest = history.entries(E.BALLOTS, vote.pk)[0]
    assert sorted(latest.changes) == [
        ("China", "Yes", "Abstain"),
        ("France", "No", ""),
    ]


def test_who_changed_it_is_the_user_acting_or_the_api_client():
    editor = make_user("edith", "Editors")
    with acting_as(editor):
        actor = services.actor_create(code="ABC", name="Abc", kind="member_state")
    assert revisions.history_of(actor).get().user == editor
    response = token_client(editor).post(
        "/api/v1/actors/",
        {"code": "DEF", "name": "Def", "kind": "member_state"},
        format="json",
    )
    assert response.status_code == 201, response.content
    made = Actor.objects.get(code="DEF")
    assert revisions.history_of(made).get().user == editor
    untouched = services.actor_create(code="GHI", name="Ghi", kind="member_state")
    assert revisions.history_of(untouched).get().user is None


def test_the_diff_names_actors_groups_provisions_and_chapters():
    treaty = TreatyFactory()
    article = ProvisionFactory(treaty=treaty, title="Illegal access")
    chapter = ChapterFactory(treaty=treaty, number="II", title="Criminalization")
    paragraph = provision_services.provision_create(
        treaty=treaty,
        slug="p-14-3",
        title="Paragraph 3",
        kind="paragraph",
        proposition="Keep it.",
        parent=article,
    )
    provision_services.provision_update(provision=paragraph, chapter=chapter)
    membership = services.membership_create(
        actor=ActorFactory(name="Japan"),
        group=GroupFactory(name="Asia-Pacific Group"),
        start_date=DAY,
    )
    services.membership_update(
        membership=membership, group=GroupFactory(name="WEOG"), end_date=DAY
    )
    changed, created = history.entries(E.PROVISION, paragraph.pk)
    assert ("parent", "", "Illegal access") in created.changes
    assert ("kind", "", "Paragraph") in created.changes
    assert changed.changes == [("chapter", "", "Chapter II. Criminalization")]
    changed, created = history.entries(E.MEMBERSHIP, membership.pk)
    assert ("actor", "", "Japan") in created.changes
    assert ("group", "Asia-Pacific Group", "WEOG") in changed.changes
    assert ("end date", "", "2024-02-01") in changed.changes


def test_restoring_a_provision_and_a_deleted_actor_through_the_services():
    editor = make_user("edith", "Editors")
    provision = ProvisionFactory(title="First title")
    first = revisions.history_of(provision).get()
    provision_services.provision_update(provision=provision, title="Second title")
    revisions.revision_restore(revision=first, user=editor)
    provision.refresh_from_db()
    assert provision.title == "First title"
    latest = revisions.history_of(provision).first()
    assert latest.user == editor
    assert history.entries(E.PROVISION, provision.pk)[0].changes == [
        ("title", "Second title", "First title")
    ]

    actor = services.actor_create(code="OLD", name="Oldland", kind="member_state")
    gone = actor.pk
    actor.delete()
    deleted = revisions.history(E.ACTOR, gone).first()
    back = revisions.revision_restore(revision=deleted, user=editor)
    assert (back.code, back.name, back.pk) == ("OLD", "Oldland", gone)


def test_restoring_a_set_needs_its_vote_and_its_actors():
    editor = make_user("rita", "Reviewers")  # the vote has ballots: a reviewer's
    vote = _vote()
    china, france = ActorFactory(), ActorFactory()
    acts.ballots_set(vote=vote, choices={china: "yes", france: "yes"})
    first = revisions.history(E.BALLOTS, vote.pk).get()
    acts.ballots_set(vote=vote, choices={china: "no"})
    revisions.revision_restore(revision=first, user=editor)
    assert dict(vote.ballots.values_list("actor_id", "choice")) == {
        china.pk: "yes",
        france.pk: "yes",
    }
    france.ballots.all().delete()
    france.delete()
    with pytest.raises(Exception, match="no longer exist"):
        revisions.revision_restore(revision=first, user=editor)


@pytest.fixture
def published_action():
    action = acts.treaty_action_create(
        user=None,
        treaty=TreatyFactory(),
        actor=ActorFactory(),
        kind="signature",
        date=DAY,
        text="First",
        sources=["https://treaties.un.org/"],
    )
    acts.treaty_action_publish(action=action, user=None)
    acts.treaty_action_update(action=action, user=None, text="Second")
    return action


def _desk(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_may_not_restore_a_published_record_a_reviewer_may(
    published_action,
):
    first = revisions.history_of(published_action).last()
    restore = reverse("desk:revision-restore", args=[first.pk])
    editor = make_user("edith", "Editors")
    page = _desk(editor).get(
        reverse("desk:history", args=["treaty_action", published_action.pk])
    )
    assert page.status_code == 200 and b'data-testid="restore"' not in page.content
    refused = _desk(editor).post(restore)
    assert refused.status_code == 403
    assert "only a reviewer restores a version" in refused.content.decode()
    published_action.refresh_from_db()
    assert published_action.text == "Second"

    reviewer = make_user("rita", "Reviewers")
    response = _desk(reviewer).post(restore, follow=True)
    assert b"Restored the version" in response.content
    published_action.refresh_from_db()
    assert published_action.text == "First"
    assert published_action.status == "published"  # publication is not restored


def test_the_history_page_names_changes_offers_restore_and_escapes():
    editor = make_user("edith", "Editors")
    actor = services.actor_create(code="ESC", name="<b>Bold</b>", kind="member_state")
    services.actor_update(actor=actor, name="Plain")
    page = _desk(editor).get(reverse("desk:history", args=["actor", actor.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "&lt;b&gt;Bold&lt;/b&gt;" in body and "<b>Bold</b>" not in body
    assert body.count('data-testid="restore"') == 1  # not for the current version
    assert _desk(editor).get("/desk/history/nonsense/1/").status_code == 404
    assert _desk(editor).get("/desk/history/actor/999999/").status_code == 404
    huge = "9" * 30  # beyond any id: a 404, not a database error
    assert _desk(editor).get(f"/desk/history/actor/{huge}/").status_code == 404
    assert _desk(editor).post(f"/desk/revisions/{huge}/restore/").status_code == 404
    outsider = make_user("olga")
    assert _desk(outsider).get(f"/desk/history/actor/{actor.pk}/").status_code == 403
    assert Client().get(f"/desk/history/actor/{actor.pk}/").status_code == 302


def _history_page_queries(user, statement):
    client = _desk(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("desk:history", args=["statement", statement.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_history_page_reads_a_fixed_number_of_queries():
    reviewer = make_user("rita", "Reviewers")
    session = SessionFactory()
    statement = services.statement_create(
        user=reviewer,
        session=session,
        actor=ActorFactory(),
        co_signers=[ActorFactory()],
        on_behalf_of=GroupFactory(),
        title="One",
        text="Text",
        source_url="https://example.org/1",
    )
    services.position_create(
        user=reviewer,
        statement=statement,
        provision=ProvisionFactory(treaty=session.treaty),
        stance="support",
    )
    short = _history_page_queries(reviewer, statement)
    for n in range(6):
        services.statement_update(
            statement=statement,
            user=reviewer,
            title=f"Title {n}",
            co_signers=[ActorFactory()],
        )
        position = services.position_create(
            user=reviewer,
            statement=statement,
            provision=ProvisionFactory(treaty=session.treaty),
            stance="oppose",
        )
        services.position_update(position=position, user=reviewer, wants=f"W{n}")
    services.statement_publish_with_positions(statement=statement, user=reviewer)
    long = _history_page_queries(reviewer, statement)
    assert long == short
    assert long <= HISTORY_PAGE_QUERIES


def test_the_api_gives_revisions_to_editors_only_with_named_changes():
    actor = services.actor_create(code="APX", name="Apex", kind="member_state")
    group = services.group_create(slug="apx", name="Apex group", kind="coalition")
    membership = services.membership_create(actor=actor, group=group, start_date=DAY)
    services.membership_update(membership=membership, end_date=DAY)
    url = f"/api/v1/revisions/?entity=membership&object_id={membership.pk}"
    from rest_framework.test import APIClient

    assert APIClient().get(url).status_code == 401
    assert token_client(make_user("olga")).get(url).status_code == 403
    editor = token_client(make_user("edith", "Editors"))
    with CaptureQueriesContext(connection) as queries:
        response = editor.get(url)
    assert response.status_code == 200, response.content
    assert len(queries) <= API_PAGE_QUERIES, len(queries)
    changed, created = response.json()["results"]
    assert changed["action"] == "changed" and created["action"] == "created"
    assert {"field": "actor", "before": "", "after": "Apex"} in created["changes"]
    assert changed["changes"] == [
        {"field": "end date", "before": "", "after": "2024-02-01"}
    ]
    assert created["data"]["group_id"] == group.pk
    one = editor.get(f"/api/v1/revisions/{changed['id']}/")
    assert one.status_code == 200 and one.json()["changes"] == changed["changes"]
    assert editor.get("/api/v1/revisions/?entity=nonsense").status_code == 400
    for day in range(2, 12):
        services.membership_update(membership=membership, end_date=DAY.replace(day=day))
    with CaptureQueriesContext(connection) as queries:
        longer = editor.get(url)
    assert len(longer.json()["results"]) == 12
    assert len(queries) <= API_PAGE_QUERIES


def test_the_changelog_ignores_other_records_and_first_versions():
    from states import changelog

    acts.treaty_action_publish(
        action=acts.treaty_action_create(
            user=None,
            treaty=TreatyFactory(),
            actor=ActorFactory(),
            kind="signature",
            date=DAY,
            sources=["https://treaties.un.org/"],
        ),
        user=None,
    )
    services.actor_create(code="CLG", name="Changelog", kind="member_state")
    assert changelog.public_changes() == []


def test_models_without_a_revision_are_none_of_the_kept_kinds():
    kept = set(revisions.ENTITY_OF)
    for model in (Treaty, Draft, Chapter, Provision, ProvisionText):
        assert model in kept
    for model in (Actor, ActorAlias, Group, Membership, TreatyAction):
        assert model in kept


def test_the_command_records_first_versions_of_records_that_predate_history():
    from django.core.management import call_command

    with revisions.recording_paused():
        actor = services.actor_create(code="PRE", name="Predates", kind="member_state")
    assert not revisions.history_of(actor).exists()
    call_command("record_first_versions", verbosity=0)
    assert revisions.history_of(actor).get().action == "loaded"
    call_command("record_first_versions", verbosity=0)
    assert revisions.history_of(actor).count() == 1


def test_a_deleted_provision_text_comes_back_through_its_service():
    editor = make_user("edith", "Editors")
    text = _text()
    gone = text.pk
    text.delete()
    back = revisions.revision_restore(
        revision=revisions.history(E.PROVISION_TEXT, gone).first(), user=editor
    )
    assert back.label == "Art. 1" and back.pk == gone
    assert _actions(E.PROVISION_TEXT, gone) == ["created", "deleted", "created"]
    assert revisions.history_of(back).first().user == editor


def test_an_accepted_proposal_is_shown_on_the_revision_that_applied_it_only():
    from states import proposals

    editor = make_user("edith", "Editors")
    reviewer = make_user("rita", "Reviewers")
    statement = services.statement_create(
        user=editor,
        session=SessionFactory(),
        actor=ActorFactory(),
        title="First",
        text="Text",
        source_url="https://example.org/1",
    )
    statement = services.statement_publish(statement=statement, user=reviewer)
    proposal = proposals.change_propose(user=editor, record=statement, title="Second")
    proposals.change_accept(proposal=proposal, user=reviewer, comment="")
    accepted, published, created = history.entries(E.STATEMENT, statement.pk)
    assert accepted.proposal == proposal
    assert accepted.changes == [("title", "First", "Second")]
    assert published.proposal is None and created.proposal is None


def test_a_statements_co_signers_and_supporters_are_named_in_its_history():
    editor = make_user("edith", "Editors")
    france = ActorFactory(code="FRA", name="France")
    chile = ActorFactory(code="CHL", name="Chile")
    statement = services.statement_create(
        user=editor,
        session=SessionFactory(),
        actor=ActorFactory(),
        co_signers=[france],
        title="One",
        text="Text",
        source_url="https://example.org/1",
    )
    services.statement_update(
        statement=statement, user=editor, co_signers=[france, chile], supporters=[]
    )
    changed, created = history.entries(E.STATEMENT, statement.pk)
    assert ("co-signers", "", "France (FRA)") in created.changes
    assert changed.changes == [
        ("co-signers", "France (FRA)", "Chile (CHL), France (FRA)")
    ]
    api = token_client(editor).get(
        f"/api/v1/revisions/?entity=statement&object_id={statement.pk}"
    )
    assert api.json()["results"][0]["changes"] == [
        {
            "field": "co-signers",
            "before": "France (FRA)",
            "after": "Chile (CHL), France (FRA)",
        }
    ]


def test_a_deleted_vote_comes_back_under_its_old_id_with_its_ballots():
    reviewer = make_user("rita", "Reviewers")
    vote = _vote()
    china = ActorFactory()
    acts.ballots_set(vote=vote, choices={china: "yes"})
    gone, ballots = vote.pk, revisions.history(E.BALLOTS, vote.pk).get()
    acts.vote_delete(vote=vote)
    back = revisions.revision_restore(
        revision=revisions.history(E.VOTE, gone).first(), user=reviewer
    )
    assert back.pk == gone
    revisions.revision_restore(revision=ballots, user=reviewer)
    assert dict(back.ballots.values_list("actor_id", "choice")) == {china.pk: "yes"}
    page = _desk(reviewer).get(reverse("desk:history", args=["vote", gone]))
    assert page.status_code == 200 and "(deleted)" not in page.content.decode()


def test_a_vote_with_ballots_is_restored_by_reviewers_only_link_and_post():
    """A vote is public once its ballots are entered (states.acts): an editor sees no
    restore of it nor of its sets, and a forged restore is refused, saying why."""
    vote = _vote()
    china, france = ActorFactory(), ActorFactory()
    acts.ballots_set(vote=vote, choices={china: "yes", france: "no"})
    acts.ballots_set(vote=vote, choices={china: "no"})
    acts.vote_update(vote=vote, title="Second title")
    first_vote = revisions.history(E.VOTE, vote.pk).last()
    first_ballots = revisions.history(E.BALLOTS, vote.pk).last()
    editor = _desk(make_user("edith", "Editors"))
    for entity in ("vote", "ballots"):
        page = editor.get(reverse("desk:history", args=[entity, vote.pk]))
        assert page.status_code == 200
        assert b'data-testid="restore"' not in page.content, entity
    for revision in (first_vote, first_ballots):
        refused = editor.post(reverse("desk:revision-restore", args=[revision.pk]))
        assert refused.status_code == 403
        assert "only a reviewer restores" in refused.content.decode()
    vote.refresh_from_db()
    assert vote.title == "Second title" and vote.ballots.count() == 1

    reviewer = _desk(make_user("rita", "Reviewers"))
    page = reviewer.get(reverse("desk:history", args=["ballots", vote.pk]))
    assert page.content.count(b'data-testid="restore"') == 1
    restore = reverse("desk:revision-restore", args=[first_ballots.pk])
    assert b"Restored the version" in reviewer.post(restore, follow=True).content
    assert vote.ballots.count() == 2


def test_an_editor_may_restore_a_vote_without_ballots():
    vote = _vote()
    first = revisions.history(E.VOTE, vote.pk).get()
    acts.vote_update(vote=vote, title="Second title")
    editor = _desk(make_user("edith", "Editors"))
    page = editor.get(reverse("desk:history", args=["vote", vote.pk]))
    assert page.content.count(b'data-testid="restore"') == 1
    editor.post(reverse("desk:revision-restore", args=[first.pk]))
    vote.refresh_from_db()
    assert vote.title == "V"
