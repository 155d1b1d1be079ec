import datetime

import pytest
from django.utils import timezone

from states.models import Position, Statement, StatementSource
from tests.api_helpers import api, token_client
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def statement_payload(session, actor, **extra):
    return {
        "session": session.pk,
        "actor": actor.code,
        "kind": "oral",
        "title": "Opening statement",
        "text": "We support an inclusive convention.",
        "source_url": "https://example.org/s1",
        **extra,
    }


def test_editor_creates_a_draft_statement_with_co_signers(editor_client):
    session = SessionFactory()
    speaker, cosigner = ActorFactory(code="CHN"), ActorFactory(code="RUS")
    response = editor_client.post(
        api("statement-list"),
        statement_payload(session, speaker, co_signers=["RUS"]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["actor"] == "CHN"
    assert body["co_signers"] == ["RUS"]
    assert body["status"] == "draft"
    assert body["treaty"] == session.treaty.slug
    assert response["ETag"]
    statement = Statement.objects.get(pk=body["id"])
    assert statement.created_by.username == "edith"
    assert list(statement.co_signers.all()) == [cosigner]


def test_anonymous_write_is_401_and_writes_nothing(anon):
    session, actor = SessionFactory(), ActorFactory()
    response = anon.post(
        api("statement-list"), statement_payload(session, actor), format="json"
    )
    assert response.status_code == 401
    assert not Statement.objects.exists()


def test_editor_cannot_create_a_published_statement(editor_client):
    session, actor = SessionFactory(), ActorFactory()
    response = editor_client.post(
        api("statement-list"),
        statement_payload(session, actor, status="published"),
        format="json",
    )
    assert response.status_code == 403
    assert "states.publish_statement" in response.json()["detail"]
    assert not Statement.objects.exists()


def test_editor_patch_to_published_is_403_and_writes_nothing(editor_client):
    statement = StatementFactory(status="draft", title="Before")
    response = editor_client.patch(
        api("statement-detail", pk=statement.pk),
        {"status": "published", "title": "After"},
        format="json",
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert (statement.status, statement.title) == ("draft", "Before")


def test_editor_publish_action_is_403(editor_client):
    statement = StatementFactory(status="draft")
    response = editor_client.post(api("statement-publish", pk=statement.pk))
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_editor_cannot_edit_or_delete_a_published_statement(editor_client):
    statement = StatementFactory(status="published", title="Public")
    url = api("statement-detail", pk=statement.pk)
    assert editor_client.patch(url, {"title": "X"}, format="json").status_code == 403
    assert editor_client.delete(url).status_code == 403
    statement.refresh_from_db()
    assert statement.title == "Public"


def test_reviewer_publishes_and_unpublishes_with_actions(reviewer_client):
    statement = StatementFactory(status="draft")
    position = PositionFactory(statement=statement, status="draft")
    published = reviewer_client.post(api("statement-publish", pk=statement.pk))
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published["ETag"]
    reviewer_client.post(api("position-publish", pk=position.pk))
    withdrawn = reviewer_client.post(api("statement-unpublish", pk=statement.pk))
    assert withdrawn.json()["status"] == "draft"
    position.refresh_from_db()
    assert position.status == "draft"


def test_reviewer_patch_to_published_publishes(reviewer_client):
    statement = StatementFactory(status="draft")
    response = reviewer_client.patch(
        api("statement-detail", pk=statement.pk),
        {"status": "published", "title": "Now public"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    statement.refresh_from_db()
    assert (statement.status, statement.title) == ("published", "Now public")


def test_publishing_without_source_is_400_naming_the_field(reviewer_client):
    statement = StatementFactory(status="draft", source_url="")
    response = reviewer_client.post(api("statement-publish", pk=statement.pk))
    assert response.status_code == 400
    assert "source_url" in response.json()
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_drafts_are_hidden_from_the_public(anon, editor_client):
    draft = StatementFactory(status="draft")
    public = StatementFactory(status="published")
    anon_ids = [row["id"] for row in anon.get(api("statement-list")).json()["results"]]
    assert anon_ids == [public.pk]
    assert anon.get(api("statement-detail", pk=draft.pk)).status_code == 404
    editor_ids = {
        row["id"] for row in editor_client.get(api("statement-list")).json()["results"]
    }
    assert editor_ids == {draft.pk, public.pk}


def test_stale_if_match_is_412_and_writes_nothing(editor, reviewer):

    statement = StatementFactory(status="draft", title="Original")
    url = api("statement-detail", pk=statement.pk)
    alice, bob = token_client(editor), token_client(reviewer)
    etag_alice = alice.get(url)["ETag"]
    etag_bob = bob.get(url)["ETag"]
    assert etag_alice == etag_bob

    first = bob.patch(url, {"title": "Bob's"}, format="json", HTTP_IF_MATCH=etag_bob)
    assert first.status_code == 200
    assert first["ETag"] != etag_bob

    second = alice.patch(
        url, {"title": "Alice's"}, format="json", HTTP_IF_MATCH=etag_alice
    )
    assert second.status_code == 412
    assert alice.delete(url, HTTP_IF_MATCH=etag_alice).status_code == 412
    statement.refresh_from_db()
    assert statement.title == "Bob's"

    third = alice.patch(
        url, {"title": "Alice's"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert third.status_code == 200


def test_filters_by_treaty_session_actor_and_kind(anon):
    session = SessionFactory()
    chn = ActorFactory(code="CHN")
    said = StatementFactory(session=session, actor=chn, kind="written")
    cosigned = StatementFactory(session=session, kind="oral")
    cosigned.co_signers.add(chn)
    StatementFactory()  # another treaty
    url = api("statement-list")

    def ids(**params):
        response = anon.get(url, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(treaty=session.treaty.slug) == {said.pk, cosigned.pk}
    assert ids(session=session.pk) == {said.pk, cosigned.pk}
    assert ids(actor="CHN") == {said.pk, cosigned.pk}
    assert ids(actor="CHN", kind="written") == {said.pk}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"treaty": "no-such-treaty"}, "treaty"),
        ({"session": "abc"}, "session"),
        ({"actor": "NOPE"}, "actor"),
        ({"kind": "shouted"}, "kind"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"colour": "red"}, "colour"),
        ({"session": ""}, "session"),
        ({"search": "a\x00b"}, "search"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(anon, params, named):
    response = anon.get(api("statement-list"), params)
    assert response.status_code == 400
    assert named in response.json()


def test_updated_since_returns_only_later_changes(anon):
    old = StatementFactory()
    Statement.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    recent = StatementFactory()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = anon.get(api("statement-list"), {"updated_since": since})
    assert [row["id"] for row in response.json()["results"]] == [recent.pk]


def test_search_finds_words_in_title_and_text_best_first(anon):
    in_title = StatementFactory(title="Disinformation offences", text="Long text.")
    in_text = StatementFactory(title="General", text="On disinformation, we object.")
    StatementFactory(title="Unrelated", text="Nothing here.")
    response = anon.get(api("statement-list"), {"search": "disinformation"})
    ids = [row["id"] for row in response.json()["results"]]
    assert set(ids) == {in_title.pk, in_text.pk}
    from django.db import connection

    if connection.vendor == "postgresql":
        assert ids == [in_title.pk, in_text.pk]  # title weighs more than text


def test_csv_lists_one_row_per_statement(anon):
    StatementFactory.create_batch(3)
    response = anon.get(api("statement-list"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("id,created_at,updated_at,treaty,session,actor")
    assert len(lines) == 4


def test_delete_by_reviewer_removes_statement_and_positions(reviewer_client):
    position = PositionFactory()
    url = api("statement-detail", pk=position.statement_id)
    assert reviewer_client.delete(url).status_code == 204
    assert not Position.objects.exists()


# A page of statements (count, rows, and one prefetch each for co-signers, supporters
# and sources), an actor's statements as CSV, one statement.
LIST_QUERIES, ACTOR_CSV_QUERIES, DETAIL_QUERIES = 6, 7, 5


def test_list_and_detail_queries_do_not_grow(anon, django_assert_max_num_queries):
    sessions = SessionFactory.create_batch(3)
    for index in range(60):
        statement = StatementFactory(
            session=sessions[index % 3], on_behalf_of=None, date=None
        )
        statement.co_signers.add(ActorFactory(), ActorFactory())
        statement.supporters.add(ActorFactory())
        StatementSource.objects.create(
            statement=statement, url=f"https://example.org/{index}", order=1
        )
    with django_assert_max_num_queries(LIST_QUERIES):
        response = anon.get(api("statement-list"), {"page_size": 1000})
    assert response.json()["count"] == 60
    with django_assert_max_num_queries(ACTOR_CSV_QUERIES):
        response = anon.get(
            api("statement-list"), {"actor": statement.actor.code, "format": "csv"}
        )
    with django_assert_max_num_queries(DETAIL_QUERIES):
        anon.get(api("statement-detail", pk=statement.pk))


# A statement published through the API as `make bench`'s storm publishes it (POST
# with status published): the token, the serializer's checks and full_clean, the
# insert as a draft, its first source and its revision, the publish (the row locked
# with its session, full_clean, the revision, the matrix mark) and the read-back;
# then its position likewise. full_clean does not look up again the relations the
# services read (session, actor, user). (Here within the test's transaction, and
# with the reviewer's permissions read once per request.)
PUBLISH_STATEMENT_QUERIES = 46
PUBLISH_POSITION_QUERIES = 28


def test_publishing_through_the_api_takes_a_fixed_number_of_queries(
    reviewer_client, django_assert_num_queries
):
    session = SessionFactory()
    provisions = ProvisionFactory.create_batch(3, treaty=session.treaty)
    # Statements, positions and revisions around it: none is read one by one.
    for statement in StatementFactory.create_batch(20, session=session):
        PositionFactory(statement=statement, provision=provisions[0])
    speakers = ActorFactory.create_batch(len(provisions))
    for n, provision in enumerate(provisions):
        with django_assert_num_queries(PUBLISH_STATEMENT_QUERIES):
            statement = reviewer_client.post(
                api("statement-list"),
                statement_payload(
                    session, speakers[n], status="published", title=f"Storm {n}"
                ),
                format="json",
            )
        assert statement.status_code == 201, statement.content
        with django_assert_num_queries(PUBLISH_POSITION_QUERIES):
            position = reviewer_client.post(
                api("position-list"),
                {
                    "statement": statement.json()["id"],
                    "provision": provision.pk,
                    "stance": "support",
                    "status": "published",
                },
                format="json",
            )
        assert position.status_code == 201, position.content
    published = Statement.objects.filter(session=session, title__startswith="Storm")
    assert published.filter(status="published").count() == len(provisions)
    assert Position.objects.filter(
        statement__in=published, status="published"
    ).count() == len(provisions)
