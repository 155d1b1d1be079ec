"""The public changelog /changes/ and its Atom feed: published changes only, what
changed, filterable; never the editors' notes or drafts."""

import pytest
from django.urls import reverse

from states import revisions, services
from tests.api_helpers import make_user
from tests.factories import ActorFactory, ProvisionFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    # A reviewer: the record changes after publication, which editors only propose.
    editor = make_user("eve", "Editors", "Reviewers")
    session = SessionFactory(number=1)
    russia = ActorFactory(code="RUS", name="Russian Federation")
    norway = ActorFactory(code="NOR", name="Norway")
    provision = ProvisionFactory(
        treaty=session.treaty, slug="disinformation", title="Disinformation offence"
    )
    other = ProvisionFactory(
        treaty=session.treaty, slug="safeguards", title="Safeguards"
    )

    def statement(actor, title, publish=True):
        s = services.statement_create(
            user=editor,
            session=session,
            actor=actor,
            title=title,
            text="Quoted words.",
            source_url="https://example.org/s",
            note="EDITORS-ONLY-NOTE",
        )
        if publish:
            services.statement_publish(statement=s, user=editor)
        return s

    ru = statement(russia, "Russia on offences")
    position = services.position_create(
        user=editor,
        statement=ru,
        provision=provision,
        stance="support",
        quote="We need it.",
        note="EDITORS-ONLY-NOTE",
    )
    services.position_publish(position=position, user=editor)
    no = statement(norway, "Norway on safeguards")
    services.position_publish(
        position=services.position_create(
            user=editor, statement=no, provision=other, stance="oppose"
        ),
        user=editor,
    )
    statement(norway, "SECRET DRAFT TITLE", publish=False)
    return {
        "editor": editor,
        "session": session,
        "ru": ru,
        "no": no,
        "position": position,
        "provision": provision,
    }


def _kinds(response):
    return [(c.kind, c.entity) for c in response.context["page"].changes]


def test_changelog_lists_published_changes_with_what_changed(client, record):
    editor = record["editor"]
    services.position_update(position=record["position"], user=editor, stance="oppose")
    services.position_update(
        position=record["position"], user=editor, note="only the editors' note changes"
    )
    services.statement_unpublish(statement=record["no"], user=editor)

    response = client.get(reverse("changes"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "EDITORS-ONLY-NOTE" not in body and "SECRET DRAFT TITLE" not in body
    assert "only the editors" not in body
    # Withdrawing Norway's statement withdraws its position too: someone following
    # that provision learns of it.
    assert _kinds(response) == [
        ("unpublished", "statement"),
        ("unpublished", "position"),
        ("changed", "position"),
        ("new", "position"),
        ("new", "statement"),
        ("new", "position"),
        ("new", "statement"),
    ]
    assert (
        "Russian Federation: stance on Disinformation offence changed from "
        "Support to Oppose."
    ) in body
    assert "Norway: statement “Norway on safeguards” withdrawn." in body

    by_actor = client.get(reverse("changes"), {"actor": "RUS"})
    assert [c.actor.code for c in by_actor.context["page"].changes] == ["RUS"] * 3
    by_provision = client.get(
        reverse("changes"),
        {"treaty": record["session"].treaty.slug, "provision": "disinformation"},
    )
    assert _kinds(by_provision) == [("changed", "position"), ("new", "position")]

    feed = client.get(reverse("feed-changes"), {"actor": "RUS"})
    assert feed.status_code == 200 and feed["Content-Type"].startswith(
        "application/atom+xml"
    )
    xml = feed.content.decode()
    assert xml.count("<entry>") == 3 and "changed from Support to Oppose" in xml
    assert "EDITORS-ONLY-NOTE" not in xml


def test_a_correction_shows_with_its_reason(client, record):
    position = services.position_update(
        position=record["position"], user=record["editor"], quote="We want it."
    )
    revisions.revision_give_reason(obj=position, reason="The quote was misheard.")
    response = client.get(reverse("changes"))
    first = response.context["page"].changes[0]
    assert first.kind == "corrected" and first.reason == "The quote was misheard."
    assert "Why: The quote was misheard." in response.content.decode()


def test_changelog_pages_back_and_refuses_bad_filters(client, record):
    first = client.get(reverse("changes"))
    older = first.context["page"].changes[2].revision_id
    page = client.get(reverse("changes"), {"before": older})
    assert [c.revision_id for c in page.context["page"].changes] == [
        c.revision_id for c in first.context["page"].changes[3:]
    ]
    for query in (
        {"actor": "XXX"},
        {"treaty": "nope"},
        {"provision": "x"},
        {"before": "abc"},
        {"treaty": record["session"].treaty.slug, "provision": "nope"},
    ):
        assert client.get(reverse("changes"), query).status_code == 400, query
    assert client.get(reverse("feed-changes"), {"actor": "XXX"}).status_code == 404


def test_changelog_query_count_does_not_grow_with_changes(
    client, record, django_assert_max_num_queries
):
    for n in range(30):
        services.position_update(
            position=record["position"], user=record["editor"], quote=f"Version {n}"
        )
    with django_assert_max_num_queries(14):
        response = client.get(reverse("changes"))
    assert len(response.context["page"].changes) == 34  # 4 new, 30 changed
