import pytest
from django.db import connection

from provisions.models import Provision, Session, Treaty
from tests.api_helpers import api
from tests.factories import (
    ChapterFactory,
    DraftFactory,
    PositionFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    TreatyFactory,
)

# Queries per request: a page of a list (count and rows, plus related data), a list
# filtered by treaty (which also looks the treaty up), one record.
LIST_QUERIES, FILTERED_LIST_QUERIES, DETAIL_QUERIES = 3, 4, 2


pytestmark = pytest.mark.django_db


def test_treaty_is_looked_up_by_slug_and_references_use_slugs(anon):
    treaty = TreatyFactory(slug="un-cybercrime")
    SessionFactory(treaty=treaty, number=1)
    detail = anon.get(api("treaty-detail", slug="un-cybercrime"))
    assert detail.status_code == 200
    assert detail.json()["slug"] == "un-cybercrime"
    assert detail["ETag"]
    sessions = anon.get(api("session-list"), {"treaty": "un-cybercrime"}).json()
    assert [row["treaty"] for row in sessions["results"]] == ["un-cybercrime"]
    assert anon.get(api("treaty-detail", slug="nope")).status_code == 404


def test_anonymous_cannot_create_a_treaty(anon):
    response = anon.post(
        api("treaty-list"), {"slug": "plastics", "title": "Plastics"}, format="json"
    )
    assert response.status_code == 401
    assert not Treaty.objects.exists()


def test_editor_creates_provision_with_chapter_and_parent(editor_client):
    treaty = TreatyFactory()
    chapter = ChapterFactory(treaty=treaty)
    article = ProvisionFactory(treaty=treaty)
    response = editor_client.post(
        api("provision-list"),
        {
            "treaty": treaty.slug,
            "slug": "art-5-para-2",
            "title": "Paragraph 2",
            "kind": "paragraph",
            "chapter": chapter.pk,
            "parent": article.pk,
            "proposition": "Keep paragraph 2.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Provision.objects.get(slug="art-5-para-2").parent == article


def test_provision_parent_from_another_treaty_is_400(editor_client):
    treaty = TreatyFactory()
    response = editor_client.post(
        api("provision-list"),
        {
            "treaty": treaty.slug,
            "slug": "x",
            "title": "X",
            "kind": "article",
            "parent": ProvisionFactory().pk,
            "proposition": "X.",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "parent" in response.json()


def test_provision_cannot_become_its_own_ancestor(editor_client):
    article = ProvisionFactory()
    paragraph = ProvisionFactory(treaty=article.treaty, parent=article)
    response = editor_client.patch(
        api("provision-detail", pk=article.pk),
        {"parent": paragraph.pk},
        format="json",
    )
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.parent is None


def test_duplicate_slug_is_400_naming_it(editor_client):
    existing = ProvisionFactory(slug="taken")
    response = editor_client.post(
        api("provision-list"),
        {
            "treaty": existing.treaty.slug,
            "slug": "taken",
            "title": "Again",
            "kind": "article",
            "proposition": "Again.",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "__all__" in response.json() or "non_field_errors" in response.json()


def test_deleting_a_provision_with_positions_is_409(reviewer_client):
    position = PositionFactory()
    response = reviewer_client.delete(api("provision-detail", pk=position.provision_id))
    assert response.status_code == 409
    assert "positions" in response.json()["detail"]
    assert Provision.objects.filter(pk=position.provision_id).exists()


def test_closing_a_session_is_202_and_idempotent(reviewer_client):
    session = SessionFactory(status=Session.Status.IN_PROGRESS)
    url = api("session-close", pk=session.pk)
    first = reviewer_client.post(url)
    assert first.status_code == 202
    assert first.json()["status"] == "closed"
    updated_at = Session.objects.get(pk=session.pk).updated_at
    again = reviewer_client.post(url)
    assert again.status_code == 202
    assert Session.objects.get(pk=session.pk).updated_at == updated_at


def test_closing_needs_change_session(editor_client, anon):
    session = SessionFactory(status=Session.Status.IN_PROGRESS)
    url = api("session-close", pk=session.pk)
    assert anon.post(url).status_code == 401
    assert editor_client.post(url).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.IN_PROGRESS


def test_session_with_end_before_start_is_400(reviewer_client):
    treaty = TreatyFactory()
    response = reviewer_client.post(
        api("session-list"),
        {
            "treaty": treaty.slug,
            "number": 1,
            "title": "First",
            "start_date": "2023-01-10",
            "end_date": "2023-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_diff_between_two_drafts(anon):
    provision = ProvisionFactory()
    old = DraftFactory(treaty=provision.treaty)
    new = DraftFactory(treaty=provision.treaty)
    ProvisionTextFactory(
        provision=provision, draft=old, label="Article 5", text="States shall act."
    )
    ProvisionTextFactory(
        provision=provision, draft=new, label="Article 6", text="States may act."
    )
    response = anon.get(
        api("provision-diff", pk=provision.pk), {"from": old.pk, "to": new.pk}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["from"]["label"] == "Article 5"
    assert body["to"]["text"] == "States may act."
    assert {"op": "delete", "text": "shall"} in body["diff"]
    assert {"op": "insert", "text": "may"} in body["diff"]


def test_diff_with_a_draft_lacking_the_provision_shows_it_added(anon):
    provision = ProvisionFactory()
    empty = DraftFactory(treaty=provision.treaty)
    text = ProvisionTextFactory(provision=provision, text="New article.")
    response = anon.get(
        api("provision-diff", pk=provision.pk),
        {"from": empty.pk, "to": text.draft_id},
    )
    assert response.json()["from"]["text"] is None
    assert response.json()["diff"] == [{"op": "insert", "text": "New article."}]


@pytest.mark.parametrize(
    "params", [{}, {"from": "x", "to": "1"}, {"from": "999999", "to": "999999"}]
)
def test_diff_with_bad_drafts_is_400(anon, params):
    provision = ProvisionFactory()
    response = anon.get(api("provision-diff", pk=provision.pk), params)
    assert response.status_code == 400
    assert "from" in response.json()


def test_provision_search_covers_titles_propositions_and_texts(anon):
    by_title = ProvisionFactory(title="Offence of disinformation")
    by_text = ProvisionFactory(title="Article 14")
    ProvisionTextFactory(provision=by_text, text="Spreading disinformation online")
    ProvisionFactory(title="Jurisdiction")
    response = anon.get(api("provision-list"), {"search": "disinformation"})
    found = [row["id"] for row in response.json()["results"]]
    assert set(found) == {by_title.pk, by_text.pk}
    if connection.vendor == "postgresql":
        assert found[0] == by_title.pk


def test_provision_text_draft_must_share_the_treaty(editor_client):
    provision = ProvisionFactory()
    response = editor_client.post(
        api("provisiontext-list"),
        {
            "provision": provision.pk,
            "draft": DraftFactory().pk,
            "label": "Art. 1",
            "text": "Text.",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "draft" in response.json()


def test_list_and_detail_queries_do_not_grow(anon, django_assert_max_num_queries):
    treaty = TreatyFactory()
    chapter = ChapterFactory(treaty=treaty)
    for _ in range(30):
        provision = ProvisionFactory(treaty=treaty, chapter=chapter)
        ProvisionTextFactory(provision=provision)
        SessionFactory(treaty=treaty)
        DraftFactory(treaty=treaty)
    for name in [
        "treaty-list",
        "session-list",
        "draft-list",
        "chapter-list",
        "provision-list",
        "provisiontext-list",
    ]:
        with django_assert_max_num_queries(LIST_QUERIES):
            response = anon.get(api(name), {"page_size": 1000})
        assert response.status_code == 200
    with django_assert_max_num_queries(FILTERED_LIST_QUERIES):
        response = anon.get(api("provision-list"), {"treaty": treaty.slug})
    assert response.json()["count"] == 30
    with django_assert_max_num_queries(DETAIL_QUERIES):
        anon.get(api("provision-detail", pk=provision.pk))
