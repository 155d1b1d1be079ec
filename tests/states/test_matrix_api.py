"""GET /api/v1/matrix/ and /api/v1/matrix/changes/ (API.md, "The matrix")."""

import csv
import datetime
import io
import json

import orjson
import pytest
from django.urls import reverse

from provisions.models import Session
from states import services
from states.matrix.params import matrix_params_from_query
from states.matrix.read import matrix_view
from states.models import Actor, Membership, Position, Statement
from tests.factories import (
    ActorFactory,
    ChapterFactory,
    GroupFactory,
    ProvisionFactory,
    SessionFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db

MATRIX = reverse("api:matrix")
CHANGES = reverse("api:matrix-changes")


def matrix_body(response):
    """The JSON of a matrix response (a 200 is streamed)."""
    return json.loads(response.getvalue())


def say(session, actor, provision, stance, on_behalf_of=None, date=None):
    statement = Statement.objects.create(
        session=session,
        actor=actor,
        on_behalf_of=on_behalf_of,
        date=date,
        title="Statement",
        text="...",
        source_url="https://example.org/s",
        status="published",
    )
    return Position.objects.create(
        statement=statement, provision=provision, stance=stance, status="published"
    )


@pytest.fixture
def negotiation():
    treaty = TreatyFactory(slug="convention")
    first = SessionFactory(treaty=treaty, number=1, status="closed")
    second = SessionFactory(treaty=treaty, number=2, status="in_progress")
    SessionFactory(treaty=treaty, number=3, status="scheduled")
    chapter = ChapterFactory(treaty=treaty, order=1)
    offence = ProvisionFactory(treaty=treaty, slug="offence", chapter=chapter, order=1)
    safeguards = ProvisionFactory(treaty=treaty, slug="safeguards", order=2)
    chn = ActorFactory(code="CHN", name="China")
    fra = ActorFactory(code="FRA", name="France")
    deu = ActorFactory(code="DEU", name="Germany")
    hrw = ActorFactory(code="HRW", name="Human Rights Watch", kind="civil_society")
    eu_group = GroupFactory(slug="eu-members")
    Membership.objects.create(
        actor=fra, group=eu_group, start_date=datetime.date(1958, 1, 1)
    )
    Membership.objects.create(
        actor=deu, group=eu_group, start_date=datetime.date(1958, 1, 1)
    )
    eu = ActorFactory(code="EU", name="European Union", kind="regional_org")
    say(first, chn, offence, "support")
    say(first, eu, safeguards, "support", on_behalf_of=eu_group)
    say(second, chn, offence, "oppose")
    say(second, fra, offence, "support_with_changes")
    say(first, hrw, safeguards, "support")
    services.matrix_rebuild(treaty_id=treaty.id)
    return {
        "treaty": treaty,
        "first": first,
        "second": second,
        "chapter": chapter,
        "offence": offence,
        "safeguards": safeguards,
        "group": eu_group,
    }


def test_matrix_as_of_the_current_session(client, negotiation):
    response = client.get(MATRIX, {"treaty": "convention"})
    assert response.status_code == 200
    body = matrix_body(response)
    assert body["treaty"] == "convention"
    assert body["session"]["number"] == 2
    assert body["stale"] is False
    assert body["built_at"].endswith("Z")
    assert [a["code"] for a in body["actors"]] == ["CHN", "EU", "FRA", "DEU"]
    assert [p["slug"] for p in body["provisions"]] == ["offence", "safeguards"]
    offence, safeguards = negotiation["offence"].id, negotiation["safeguards"].id
    cells = {(c["actor"], c["provision"]): c for c in body["cells"]}
    assert cells[("CHN", offence)]["stance"] == "oppose"
    assert cells[("CHN", offence)]["since"] == 2
    assert cells[("FRA", offence)]["stance"] == "support_with_changes"
    assert cells[("FRA", safeguards)] | {"position": 0, "statement": 0} == {
        "actor": "FRA",
        "provision": safeguards,
        "stance": "support",
        "position": 0,
        "statement": 0,
        "since": 1,
        "via": "eu-members",
    }
    assert body["totals"][str(offence)] == {
        "support": 0,
        "support_with_changes": 1,
        "undecided": 0,
        "oppose": 1,
        "no_position": 2,
    }
    assert response["ETag"]


def test_matrix_as_of_an_earlier_session(client, negotiation):
    body = matrix_body(client.get(MATRIX, {"treaty": "convention", "session": 1}))
    cells = {(c["actor"], c["provision"]): c["stance"] for c in body["cells"]}
    assert cells[("CHN", negotiation["offence"].id)] == "support"
    assert ("FRA", negotiation["offence"].id) not in cells


def test_filters_select_rows_and_columns(client, negotiation):
    body = matrix_body(
        client.get(
            MATRIX,
            {
                "treaty": "convention",
                "group": "eu-members",
                "chapter": negotiation["chapter"].id,
            },
        )
    )
    assert [a["code"] for a in body["actors"]] == ["FRA", "DEU"]
    assert [p["slug"] for p in body["provisions"]] == ["offence"]
    assert [c["actor"] for c in body["cells"]] == ["FRA"]
    body = matrix_body(
        client.get(
            MATRIX,
            {
                "treaty": "convention",
                "kind": ["civil_society"],
                "provision": [negotiation["safeguards"].id],
            },
        )
    )
    assert [a["code"] for a in body["actors"]] == ["HRW"]
    assert body["cells"][0]["stance"] == "support"
    body = matrix_body(
        client.get(MATRIX, {"treaty": "convention", "actor": ["HRW", "CHN"]})
    )
    assert {a["code"] for a in body["actors"]} == {"HRW", "CHN"}
    body = matrix_body(client.get(MATRIX, {"treaty": "convention", "kind": "all"}))
    assert len(body["actors"]) == Actor.objects.count()


def test_matrix_as_csv(client, negotiation):
    response = client.get(MATRIX, {"treaty": "convention", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["actor_code", "actor_name", "offence", "safeguards"]
    assert rows[1] == ["CHN", "China", "oppose", ""]
    assert rows[3] == ["FRA", "France", "support_with_changes", "support"]


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ({}, "treaty"),
        ({"treaty": "nope"}, "treaty"),
        ({"treaty": "convention", "session": "abc"}, "session"),
        ({"treaty": "convention", "session": "9"}, "session"),
        ({"treaty": "convention", "session": "3"}, "session"),
        ({"treaty": "convention", "kind": "pirate"}, "kind"),
        ({"treaty": "convention", "group": "nope"}, "group"),
        ({"treaty": "convention", "actor": "ZZZ"}, "actor"),
        ({"treaty": "convention", "actor": "not a code!"}, "actor"),
        ({"treaty": "convention", "chapter": "x"}, "chapter"),
        ({"treaty": "convention", "chapter": "999999"}, "chapter"),
        ({"treaty": "convention", "provision": "x"}, "provision"),
        ({"treaty": "convention", "provision": "999999"}, "provision"),
        ({"treaty": "convention", "sesion": "1"}, "sesion"),
    ],
)
def test_bad_query_is_400_naming_the_parameter(client, negotiation, query, param):
    response = client.get(MATRIX, query)
    assert response.status_code == 400
    assert list(response.json()) == [param]


def test_scheduled_session_is_an_error_not_an_empty_matrix(client, negotiation):
    response = client.get(MATRIX, {"treaty": "convention", "session": 3})
    assert response.status_code == 400
    assert "scheduled" in response.json()["session"][0]


def test_unchanged_matrix_answers_304_and_a_change_changes_the_etag(
    client, negotiation
):
    query = {"treaty": "convention"}
    etag = client.get(MATRIX, query)["ETag"]
    again = client.get(MATRIX, query, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    other = client.get(MATRIX, {**query, "session": 1})["ETag"]
    assert other != etag
    position = Position.objects.filter(statement__actor__code="CHN").last()
    services.position_update(position=position, user=None, stance="undecided")
    stale = client.get(MATRIX, query, HTTP_IF_NONE_MATCH=etag)
    assert stale.status_code == 200
    assert matrix_body(stale)["stale"] is True
    services.matrix_rebuild(treaty_id=negotiation["treaty"].id)
    fresh = client.get(MATRIX, query)
    assert matrix_body(fresh)["stale"] is False
    assert fresh["ETag"] not in {etag, stale["ETag"]}


def test_changes_between_sessions(client, negotiation):
    response = client.get(CHANGES, {"treaty": "convention", "from": 1, "to": 2})
    assert response.status_code == 200
    body = response.json()
    offence = negotiation["offence"].id
    assert body["from"] == 1 and body["to"] == 2
    assert body["changes"] == [
        {"actor": "CHN", "provision": offence, "before": "support", "after": "oppose"},
        {
            "actor": "FRA",
            "provision": offence,
            "before": None,
            "after": "support_with_changes",
        },
    ]
    default = client.get(CHANGES, {"treaty": "convention"}).json()
    assert default["changes"] == body["changes"]
    etag = response["ETag"]
    query = {"treaty": "convention", "from": 1, "to": 2}
    assert client.get(CHANGES, query, HTTP_IF_NONE_MATCH=etag).status_code == 304
    filtered = client.get(CHANGES, {**query, "actor": "FRA", "format": "csv"})
    rows = list(csv.reader(io.StringIO(filtered.content.decode())))
    assert rows == [
        ["actor", "provision", "before", "after"],
        ["FRA", str(offence), "", "support_with_changes"],
    ]


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ({"treaty": "convention", "from": 2, "to": 1}, "from"),
        ({"treaty": "convention", "from": 2, "to": 2}, "from"),
        ({"treaty": "convention", "from": "x", "to": 2}, "from"),
        ({"treaty": "convention", "from": 7, "to": 2}, "from"),
        ({"treaty": "convention", "from": 1, "to": 3}, "to"),
        ({"treaty": "convention", "to": 1}, "from"),
        ({"treaty": "convention", "session": 1}, "session"),
    ],
)
def test_bad_changes_query_is_400_naming_the_parameter(
    client, negotiation, query, param
):
    response = client.get(CHANGES, query)
    assert response.status_code == 400
    assert list(response.json()) == [param]


def big_negotiation(actors, provisions):
    treaty = TreatyFactory(slug="big")
    sessions = [SessionFactory(treaty=treaty, number=n) for n in (1, 2, 3)]
    chapter = ChapterFactory(treaty=treaty)
    group = GroupFactory(slug="big-group")
    parties = [ActorFactory(code=f"B{i:03d}") for i in range(actors)]
    for actor in parties[::2]:
        Membership.objects.create(
            actor=actor, group=group, start_date=datetime.date(2000, 1, 1)
        )
    columns = [
        ProvisionFactory(treaty=treaty, chapter=chapter if i % 2 else None)
        for i in range(provisions)
    ]
    stances = Position.Stance.values
    for s, session in enumerate(sessions):
        for i, actor in enumerate(parties):
            statement = Statement.objects.create(
                session=session,
                actor=actor,
                title="s",
                text="t",
                source_url="https://example.org/s",
                status="published",
            )
            Position.objects.bulk_create(
                Position(
                    statement=statement,
                    provision=provision,
                    stance=stances[(i + j + s) % 4],
                    status="published",
                )
                for j, provision in enumerate(columns)
                if (i + j + s) % 3
            )
    services.matrix_rebuild(treaty_id=treaty.id)
    return treaty, chapter


# Matrix reads: the parameters (up to three), the fingerprint (is it stored?), rows,
# columns and cells; the whole matrix needs no group or chapter lookup. Once stored,
# the parameters and the fingerprint only.
SLICE_QUERIES, WHOLE_MATRIX_QUERIES, CHANGES_QUERIES = 7, 5, 6
STORED_SLICE_QUERIES, STORED_WHOLE_MATRIX_QUERIES = 4, 2


@pytest.mark.parametrize("size", [(4, 3), (40, 30)])
def test_matrix_reads_use_a_fixed_number_of_queries(
    client,
    django_assert_max_num_queries,
    django_assert_num_queries,
    size,
    settings,
    tmp_path,
):
    settings.MATRIX_STORE_DIR = str(tmp_path / "store")
    treaty, chapter = big_negotiation(*size)
    with django_assert_max_num_queries(SLICE_QUERIES):
        response = client.get(
            MATRIX, {"treaty": "big", "group": "big-group", "chapter": chapter.id}
        )
    assert response.status_code == 200
    body = matrix_body(response)
    assert len(body["actors"]) == size[0] // 2
    with django_assert_max_num_queries(WHOLE_MATRIX_QUERIES):
        whole = client.get(MATRIX, {"treaty": "big", "session": 2})
    whole_body = matrix_body(whole)
    assert len(whole_body["cells"]) > size[0]
    with django_assert_num_queries(STORED_SLICE_QUERIES):
        again = client.get(
            MATRIX, {"treaty": "big", "group": "big-group", "chapter": chapter.id}
        )
    assert matrix_body(again) == body
    with django_assert_num_queries(STORED_WHOLE_MATRIX_QUERIES):
        whole_again = client.get(MATRIX, {"treaty": "big", "session": 2})
    assert matrix_body(whole_again) == whole_body
    with django_assert_max_num_queries(CHANGES_QUERIES):
        changes = client.get(
            CHANGES, {"treaty": "big", "from": 1, "to": 3, "group": "big-group"}
        )
    assert changes.json()["changes"]


def test_never_built_treaty_reads_as_stale_without_cells(client):
    treaty = TreatyFactory(slug="new")
    SessionFactory(treaty=treaty, number=1, status=Session.Status.IN_PROGRESS)
    body = matrix_body(client.get(MATRIX, {"treaty": "new"}))
    assert body["stale"] is True
    assert body["built_at"] is None
    assert body["cells"] == []


def one_dict_body(query):
    """The matrix body as API.md lays it out, encoded whole from matrix_view."""
    view = matrix_view(matrix_params_from_query(None, query))
    body = {
        "treaty": view.treaty.slug,
        "session": {
            "id": view.session.pk,
            "number": view.session.number,
            "title": view.session.title,
            "status": view.session.status,
        },
        "built_at": view.built_at,
        "stale": view.stale,
        "actors": view.actors,
        "provisions": [
            {
                "id": p["id"],
                "slug": p["slug"],
                "title": p["title"],
                "kind": p["kind"],
                "chapter": p["chapter_id"],
                "order": p["order"],
                "proposition": p["proposition"],
            }
            for p in view.provisions
        ],
        "cells": [
            view.cells[(a["code"], p["id"])]
            for a in view.actors
            for p in view.provisions
            if (a["code"], p["id"]) in view.cells
        ],
        "totals": {str(pid): column for pid, column in view.totals.items()},
    }
    return orjson.dumps(body, option=orjson.OPT_UTC_Z)


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "all"},
        {"session": "1"},
        {"group": "big-group", "chapter": "the chapter"},
        {"actor": ["B003", "B000", "B007"], "provision": "the first two"},
    ],
)
def test_streamed_matrix_is_the_body_encoded_as_one_dict(client, query):
    treaty, chapter = big_negotiation(12, 9)
    # Rows are shown by name: make that the reverse of the id order they are read in.
    for actor in Actor.objects.all():
        actor.name = f"Party {1000 - actor.id}"
        actor.save()
    query = {"treaty": "big", **query}
    if "chapter" in query:
        query["chapter"] = str(chapter.id)
    if "provision" in query:
        query["provision"] = [str(p.id) for p in treaty.provisions.order_by("id")[:2]]
    response = client.get(MATRIX, query)
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body == one_dict_body(query)
    assert int(response["Content-Length"]) == len(body)
    assert json.loads(body)["cells"]


def test_matrix_csv_has_a_line_for_every_row_in_display_order(client, negotiation):
    ActorFactory(code="ZAF", name="South Africa")
    response = client.get(
        MATRIX, {"treaty": "convention", "session": 1, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == ["CHN", "EU", "FRA", "DEU", "ZAF"]
    assert rows[3] == ["FRA", "France", "", "support"]
    assert rows[5] == ["ZAF", "South Africa", "", ""]
