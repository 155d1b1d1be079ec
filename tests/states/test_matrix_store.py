"""Matrix answers built once per build and served from stored bytes (matrix_store)."""

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from states import services
from states.api import matrix_store
from states.models import Actor, MatrixState
from tests.states import test_matrix_api
from tests.states.test_matrix_api import MATRIX, say

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}
negotiation = test_matrix_api.negotiation  # the fixture


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.MATRIX_STORE_DIR = str(tmp_path / "store")
    return tmp_path / "store"


def body_of(response):
    return b"".join(response.streaming_content)


def read(client, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            MATRIX, {"treaty": "convention", "kind": "all"}, **headers
        )
    assert response.status_code == 200
    return response, body_of(response), [q["sql"] for q in queries]


def cell_reads(queries):
    return [sql for sql in queries if "states_matrixstance" in sql]


def test_the_second_read_sends_the_stored_bytes_without_reading_cells(
    client, negotiation, store
):
    _, first, first_queries = read(client)
    _, second, second_queries = read(client)
    assert second == first
    assert json.loads(second)["cells"]
    assert cell_reads(first_queries)
    assert not cell_reads(second_queries)
    assert len(list(store.glob("*.json"))) == 1


def test_the_next_build_invalidates_the_stored_answer(client, negotiation, store):
    _, before, _ = read(client)
    fra = Actor.objects.get(code="FRA")
    say(negotiation["second"], fra, negotiation["offence"], "oppose")
    services.matrix_mark_stale(
        treaty_id=negotiation["treaty"].id, from_session_number=0
    )
    _, stale, _ = read(client)
    assert json.loads(stale)["stale"] is True
    services.matrix_rebuild(treaty_id=negotiation["treaty"].id)
    _, after, queries = read(client)
    assert cell_reads(queries)  # built again, not the old bytes
    cells = {
        (c["actor"], c["provision"]): c["stance"] for c in json.loads(after)["cells"]
    }
    assert cells["FRA", negotiation["offence"].id] == "oppose"
    assert json.loads(after)["stale"] is False
    # The older build's files are gone.
    build = MatrixState.objects.get(treaty=negotiation["treaty"]).build_count
    names = [path.name for path in store.iterdir()]
    assert names and all(f"-b{build}-" in name for name in names)
    assert before != after


def test_gzip_when_accepted_with_a_weak_etag_that_still_answers_304(
    client, negotiation
):
    plain, body, _ = read(client)
    compressed, zipped, _ = read(client, **GZIP)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(zipped) == body
    assert len(zipped) < len(body)
    assert compressed["ETag"] == f"W/{plain['ETag']}"
    again = client.get(
        MATRIX,
        {"treaty": "convention", "kind": "all"},
        HTTP_IF_NONE_MATCH=compressed["ETag"],
        **GZIP,
    )
    assert again.status_code == 304
    identity = client.get(
        MATRIX,
        {"treaty": "convention", "kind": "all"},
        HTTP_ACCEPT_ENCODING="identity",
    )
    assert "Content-Encoding" not in identity
    assert body_of(identity) == body


def test_csv_is_stored_too(client, negotiation, store):
    params = {"treaty": "convention", "format": "csv"}
    first = client.get(MATRIX, params)
    second = client.get(MATRIX, params)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second["Content-Disposition"].startswith("attachment;")
    assert list(store.glob("*.csv"))


def test_an_unusable_store_answers_from_memory(client, negotiation, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MATRIX_STORE_DIR = str(blocker / "store")
    _, body, _ = read(client)
    assert json.loads(body)["cells"]


def test_the_store_is_bounded_per_build(client, negotiation, store, monkeypatch):
    monkeypatch.setattr(matrix_store, "MAX_STORED_PER_BUILD", 1)
    read(client)
    response = client.get(MATRIX, {"treaty": "convention", "actor": ["CHN", "FRA"]})
    assert response.status_code == 200
    assert json.loads(body_of(response))["actors"]
    assert len(list(store.glob("*.json"))) == 1


def frame_reads(queries):
    """The frame's reads: the rows' actors and the columns' provisions."""
    return [
        sql
        for sql in queries
        if sql.startswith('SELECT "states_actor"')
        or sql.startswith('SELECT "provisions_provision"')
    ]


def test_a_stored_answer_is_found_without_reading_the_frame(client, negotiation):
    first, body, first_queries = read(client)
    second, again, queries = read(client)
    assert again == body
    assert frame_reads(first_queries)
    assert not frame_reads(queries)
    assert second["ETag"] == first["ETag"]
    # The session (with the treaty and its build) and the fingerprint.
    assert len(queries) == 2


def test_the_fingerprint_gives_the_etag_of_the_frame(negotiation):
    from states.matrix.params import matrix_params_from_query
    from states.matrix.read import matrix_fingerprint, matrix_frame

    for query in (
        {"treaty": "convention", "kind": "all"},
        {"treaty": "convention", "group": "eu-members"},
        {"treaty": "convention", "chapter": str(negotiation["chapter"].id)},
        {"treaty": "convention", "actor": ["CHN", "EU"], "session": "1"},
    ):
        params = matrix_params_from_query(None, query)
        assert matrix_fingerprint(params).etag == matrix_frame(params).etag, query


def test_a_renamed_actor_is_never_served_from_the_old_bytes(client, negotiation):
    _, before, _ = read(client)
    services.actor_update(actor=Actor.objects.get(code="FRA"), name="République")
    _, after, queries = read(client)
    assert frame_reads(queries)
    names = [actor["name"] for actor in json.loads(after)["actors"]]
    assert "République" in names and "France" not in names
    assert after != before


def test_a_changed_session_title_is_never_served_from_the_old_bytes(
    client, negotiation
):
    read(client)
    second = negotiation["second"]
    second.title = "Resumed second session"
    second.save()
    _, after, _ = read(client)
    assert json.loads(after)["session"]["title"] == "Resumed second session"


def test_an_unknown_actor_is_still_named_once_the_matrix_is_stored(client, negotiation):
    ok = client.get(MATRIX, {"treaty": "convention", "actor": ["CHN"]})
    assert ok.status_code == 200
    body_of(ok)
    client.get(MATRIX, {"treaty": "convention", "actor": ["CHN"]})
    refused = client.get(MATRIX, {"treaty": "convention", "actor": ["CHN", "XXX"]})
    assert refused.status_code == 400
    assert "XXX" in refused.json()["actor"][0]


def test_the_stored_csv_keeps_its_file_name(client, negotiation, store):
    params = {"treaty": "convention", "format": "csv"}
    first = client.get(MATRIX, params)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(MATRIX, params)
    assert not frame_reads([q["sql"] for q in queries])
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["ETag"] == first["ETag"]
    not_modified = client.get(MATRIX, params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
