"""Supporters, also_for, sources, verification, wants, aliases and length limits
(DESIGN §2): through the services and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from states import services
from states.models import (
    TEXT_MAX,
    TITLE_MAX,
    Actor,
    ActorAlias,
    Position,
    Statement,
    StatementSource,
)
from states.revisions import history_of
from tests.api_helpers import api
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

SOURCES = [
    {"url": "https://example.org/record", "kind": "official_record"},
    {"url": "https://ngo.example.org/report", "kind": "ngo_report"},
]


def payload(session, actor, **extra):
    return {
        "session": session.pk,
        "actor": actor.code,
        "title": "Statement on Article 14",
        "text": "Backed by several delegations.",
        **extra,
    }


def test_api_takes_and_returns_supporters_sources_also_for_and_verification(
    editor_client,
):
    session = SessionFactory()
    speaker = ActorFactory(code="JPN")
    ActorFactory(code="AUS"), ActorFactory(code="CAN"), ActorFactory(code="NZL")
    response = editor_client.post(
        api("statement-list"),
        payload(
            session,
            speaker,
            co_signers=["AUS"],
            supporters=["CAN", "NZL"],
            also_for="and several other delegations",
            sources=SOURCES,
            verification="partly_verified",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["co_signers"] == ["AUS"]
    assert sorted(body["supporters"]) == ["CAN", "NZL"]
    assert body["also_for"] == "and several other delegations"
    assert body["sources"] == SOURCES
    assert body["source_url"] == SOURCES[0]["url"]
    assert body["verification"] == "partly_verified"
    statement = Statement.objects.get(pk=body["id"])
    assert [s.kind for s in statement.sources.all()] == [
        "official_record",
        "ngo_report",
    ]


def test_a_lone_source_url_is_the_first_source_and_follows_edits(editor):
    statement = services.statement_create(
        user=editor,
        session=SessionFactory(),
        actor=ActorFactory(),
        title="t",
        text="x",
        source_url="https://example.org/a",
    )
    assert list(statement.sources.values_list("url", flat=True)) == [
        "https://example.org/a"
    ]
    services.statement_update(
        statement=statement, user=editor, source_url="https://example.org/b"
    )
    assert list(statement.sources.values_list("url", flat=True)) == [
        "https://example.org/b"
    ]


def test_sources_replace_the_list_and_set_source_url(editor):
    statement = StatementFactory(status="draft")
    services.statement_update(statement=statement, user=editor, sources=SOURCES[::-1])
    statement.refresh_from_db()
    assert statement.source_url == SOURCES[1]["url"]
    assert list(statement.sources.values_list("url", flat=True)) == [
        SOURCES[1]["url"],
        SOURCES[0]["url"],
    ]


def test_a_source_of_an_unknown_kind_is_refused_with_its_field(editor_client):
    response = editor_client.post(
        api("statement-list"),
        payload(
            SessionFactory(),
            ActorFactory(),
            sources=[{"url": "https://example.org/x", "kind": "rumour"}],
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "sources" in response.json()
    assert not Statement.objects.exists()


def test_an_actor_is_not_both_co_signer_and_supporter(editor):
    other = ActorFactory()
    with pytest.raises(ValidationError) as error:
        services.statement_create(
            user=editor,
            session=SessionFactory(),
            actor=ActorFactory(),
            title="t",
            text="x",
            co_signers=[other],
            supporters=[other],
        )
    assert "supporters" in error.value.message_dict
    assert not Statement.objects.exists()


def test_a_title_or_text_over_its_limit_is_refused_never_cut(editor_client):
    session, actor = SessionFactory(), ActorFactory()
    for field, limit in (("title", TITLE_MAX), ("text", TEXT_MAX)):
        response = editor_client.post(
            api("statement-list"),
            payload(session, actor, **{field: "x" * (limit + 1)}),
            format="json",
        )
        assert response.status_code == 400, field
        assert field in response.json()
    assert not Statement.objects.exists()


def test_the_database_refuses_an_over_long_text_written_around_the_services():
    statement = StatementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(text="x" * (TEXT_MAX + 1))


def test_the_date_message_names_the_session_dates(editor):
    session = SessionFactory()
    outside = session.end_date.replace(year=session.end_date.year + 1)
    with pytest.raises(ValidationError) as error:
        services.statement_create(
            user=editor, session=session, actor=ActorFactory(), title="t", text="x",
            date=outside,
        )  # fmt: skip
    message = error.value.message_dict["date"][0]
    assert f"{session.start_date:%-d %B %Y}" in message
    assert f"{session.end_date:%-d %B %Y}" in message


def test_positions_take_and_return_wants(editor_client):
    statement = StatementFactory(status="draft")
    provision = ProvisionFactory(treaty=statement.session.treaty)
    response = editor_client.post(
        api("position-list"),
        {
            "statement": statement.pk,
            "provision": provision.pk,
            "stance": "support_with_changes",
            "wants": "delete 'without right'",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["wants"] == "delete 'without right'"
    assert Position.objects.get().wants == "delete 'without right'"


def test_supporters_count_for_the_positions_actor_filter(anon):
    supporter = ActorFactory(code="CAN")
    position = PositionFactory(status="published")
    position.statement.supporters.add(supporter)
    response = anon.get(api("position-list"), {"actor": "CAN"})
    assert [p["id"] for p in response.json()["results"]] == [position.pk]


def test_actors_are_matched_by_code_name_or_alias_in_any_case(anon):
    russia = ActorFactory(code="RUS", name="Russian Federation")
    ActorAlias.objects.create(actor=russia, alias="Russia")
    for name in ("rus", "Russian Federation", "RUSSIA"):
        assert list(Actor.objects.matching(name)) == [russia]
    assert list(Actor.objects.searching("russ")) == [russia]
    body = anon.get(api("actor-detail", code="RUS")).json()
    assert body["aliases"] == ["Russia"]


def test_an_alias_names_one_actor_in_any_case():
    ActorAlias.objects.create(actor=ActorFactory(), alias="Turkey")
    with pytest.raises(ValidationError):
        ActorAlias(actor=ActorFactory(), alias="TURKEY").full_clean()


def test_revisions_keep_supporters_and_sources(editor):
    supporter = ActorFactory()
    statement = services.statement_create(
        user=editor,
        session=SessionFactory(),
        actor=ActorFactory(),
        title="t",
        text="x",
        supporters=[supporter],
        sources=SOURCES,
    )
    latest = history_of(statement).first()
    assert latest.data["supporters"] == [supporter.pk]
    assert latest.data["sources"] == SOURCES
    assert StatementSource.objects.filter(statement=statement).count() == 2
