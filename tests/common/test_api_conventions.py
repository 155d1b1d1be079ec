"""Conventions shared by every endpoint: pagination, errors, CSV, auth, throttling."""

import hashlib
import re

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from states.models import Actor, ApiToken, Statement
from tests.api_helpers import api, make_user
from tests.factories import ActorFactory, SessionFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_page_size_is_clamped_at_1000(anon):
    Actor.objects.bulk_create(
        Actor(code=f"A{n:04d}", name=f"Actor {n}", kind="member_state")
        for n in range(1005)
    )
    body = anon.get(api("actor-list"), {"page_size": 5000}).json()
    assert body["count"] == 1005
    assert len(body["results"]) == 1000
    assert "page=2" in body["next"]


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"page": "abc"}, 400, "page"),
        ({"page": "0"}, 400, "page"),
        ({"page_size": "-3"}, 400, "page_size"),
        ({"page": "99"}, 404, "detail"),
        ({"ordering": "name", "shoe_size": "9"}, 400, "shoe_size"),
        ({"kind": "planet"}, 400, "kind"),
        ({"group": "no-such-group"}, 400, "group"),
    ],
)
def test_bad_list_parameters_are_json_errors(anon, params, status, named):
    ActorFactory()
    response = anon.get(api("actor-list"), params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert named in response.json()


def test_errors_stay_json_when_csv_was_asked_for(anon):
    response = anon.get(api("actor-list"), {"format": "csv", "kind": "planet"})
    assert response.status_code == 400
    assert response.json() == {"kind": [pytest.approx(response.json()["kind"][0])]}


def test_csv_of_every_list_has_a_header_row(anon):
    ActorFactory(code="CHN", name="China")
    response = anon.get(api("actor-list"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().splitlines()
    # New columns are added at the end (the README's compatibility rule).
    assert rows[0] == "id,created_at,updated_at,code,name,kind,aliases"
    assert rows[1].endswith(",CHN,China,member_state,")


def test_unknown_lookup_is_json_404(anon):
    for url in [
        api("actor-detail", code="NOPE"),
        "/api/v1/statements/abc/",
        "/api/v1/statements/1.5/",
        "/api/v1/statements/99999999999999999999999/",
        "/api/v1/groups/a%00b/",
    ]:
        response = anon.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url


def test_malformed_json_is_400(editor_client):
    response = editor_client.generic(
        "POST", api("actor-list"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_missing_and_wrong_fields_are_named(editor_client):
    response = editor_client.post(
        api("statement-list"),
        {"session": "seventeen", "actor": 5, "kind": "sung"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"session", "actor", "kind", "title", "text"} <= set(errors)
    assert not Statement.objects.exists()


def test_nul_byte_in_body_is_400_naming_the_field(editor_client):
    session = SessionFactory()
    response = editor_client.post(
        api("statement-list"),
        {"session": session.pk, "actor": "A\x00B", "title": "t", "text": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "actor" in response.json()


def test_json_null_body_is_400(editor_client):
    response = editor_client.generic(
        "POST", api("actor-list"), "null", content_type="application/json"
    )
    assert response.status_code == 400


def test_actor_code_must_be_upper_case(editor_client):
    response = editor_client.post(
        api("actor-list"),
        {"code": "chn", "name": "China", "kind": "member_state"},
        format="json",
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_session_auth_needs_csrf(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        api("actor-list"),
        {"code": "CHN", "name": "China", "kind": "member_state"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Actor.objects.exists()


def test_writes_are_throttled_per_user_with_retry_after(editor_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "writes": "2/minute"},
    }
    cache.clear()
    statuses = [
        editor_client.post(
            api("actor-list"),
            {"code": f"AB{n}", "name": f"Actor {n}", "kind": "academia"},
            format="json",
        )
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [201, 201, 429]
    assert int(statuses[2]["Retry-After"]) > 0
    assert Actor.objects.count() == 2
    # Reads are not writes.
    assert editor_client.get(api("actor-list")).status_code == 200


def test_anonymous_reads_are_throttled_per_address(anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": None, "writes": None},
    }
    cache.clear()
    codes = [anon.get(api("actor-list")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def _create_api_token(capsys, *args):
    call_command("create_api_token", *args)
    return capsys.readouterr().out.strip()


def _who(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # A write without a body: 400 means authenticated (and allowed), 401 not.
    return client.post(api("actor-list"), {}, format="json").status_code


def test_create_api_token_prints_a_working_key_once_and_stores_its_hash(capsys):
    user = make_user("tokenuser", "Editors")
    key = _create_api_token(capsys, "tokenuser")
    token = ApiToken.objects.get(user=user)
    assert key not in (token.digest, token.prefix)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    assert _who(key) == 400
    assert _who(key[:-1] + ("0" if key[-1] != "0" else "1")) == 401
    # The key cannot be shown again: a second one needs --rotate, which revokes it.
    with pytest.raises(CommandError, match="rotate"):
        call_command("create_api_token", "tokenuser")
    rotated = _create_api_token(capsys, "tokenuser", "--rotate")
    assert rotated != key
    assert (_who(key), _who(rotated)) == (401, 400)
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")


def test_admin_lists_tokens_without_any_secret(client, capsys):
    make_user("tokenuser", "Editors")
    key = _create_api_token(capsys, "tokenuser")
    token = ApiToken.objects.get()
    admin_user = User.objects.create_superuser("boss", password="pw-for-tests-only")
    client.force_login(admin_user)
    for url in (
        reverse("admin:states_apitoken_changelist"),
        reverse("admin:states_apitoken_change", args=[token.pk]),
    ):
        body = client.get(url).content.decode()
        assert token.prefix in body, url
        assert key not in body, url
        assert token.digest not in body, url
    assert client.get(reverse("admin:states_apitoken_add")).status_code == 403


def test_schema_documents_every_resource_and_error(anon):
    response = anon.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for resource in [
        "treaties",
        "sessions",
        "drafts",
        "chapters",
        "provisions",
        "provision-texts",
        "actors",
        "groups",
        "memberships",
        "statements",
        "positions",
    ]:
        assert f"/api/v1/{resource}/" in paths
    patch = paths["/api/v1/statements/{id}/"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "412", "413", "429"} <= set(patch)
    assert "text/csv" in paths["/api/v1/actors/"]["get"]["responses"]["200"]["content"]


def test_docs_page_uses_only_local_assets(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    urls += re.findall(r"""["'](https?://[^"']+)["']""", html)
    assert any("swagger-ui" in url for url in urls)
    external = [url for url in urls if url.startswith(("http:", "https:", "//"))]
    assert external == []
    local = [url for url in urls if url.startswith("/static/")]
    assert local
    for url in local:
        # Served by WhiteNoise after collectstatic; here: the file is in a package.
        assert finders.find(url.removeprefix("/static/").split("?")[0]), url


# A PATCH of a statement with 20 co-signers and 20 supporters: the write, its
# revision (co-signers, supporters and sources read once each), the read-back.
STATEMENT_EDIT_QUERIES = 34


def test_statement_edits_leave_queries_constant_per_request(
    reviewer_client, django_assert_max_num_queries
):
    statement = StatementFactory(status="draft")
    statement.co_signers.add(*ActorFactory.create_batch(20))
    statement.supporters.add(*ActorFactory.create_batch(20))
    # Fixed, whatever the number of co-signers and supporters: the revision reads
    # co-signers, supporters and sources once each.
    with django_assert_max_num_queries(STATEMENT_EDIT_QUERIES):
        response = reviewer_client.patch(
            api("statement-detail", pk=statement.pk),
            {"title": "Renamed"},
            format="json",
        )
    assert response.status_code == 200


# One record: the row, and its current memberships where it has any.
DETAIL_QUERIES = 2


@pytest.mark.parametrize(
    ("name", "make", "key"),
    [
        ("treaty-detail", "TreatyFactory", "slug"),
        ("session-detail", "SessionFactory", "pk"),
        ("draft-detail", "DraftFactory", "pk"),
        ("chapter-detail", "ChapterFactory", "pk"),
        ("provisiontext-detail", "ProvisionTextFactory", "pk"),
        ("actor-detail", "ActorFactory", "code"),
        ("membership-detail", "MembershipFactory", "pk"),
    ],
)
def test_every_detail_has_a_small_fixed_query_budget(
    anon, django_assert_max_num_queries, name, make, key
):
    from tests import factories

    instance = getattr(factories, make)()
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = anon.get(api(name, **{key: getattr(instance, key)}))
    assert response.status_code == 200
    assert response["ETag"]


@pytest.mark.parametrize(
    "payload",
    [
        {"code": "ABC", "name": 0, "kind": "academia"},
        {"code": 7, "name": "Seven", "kind": "academia"},
        {"code": "ABC", "name": "Abc", "kind": 1},
    ],
)
def test_values_of_the_wrong_json_type_are_refused_not_coerced(editor_client, payload):
    response = editor_client.post(api("actor-list"), payload, format="json")
    assert response.status_code == 400
    assert not Actor.objects.exists()


def test_integer_reference_given_as_string_is_refused(editor_client):
    session = SessionFactory()
    response = editor_client.post(
        api("statement-list"),
        {"session": str(session.pk), "actor": ActorFactory().code, "title": "t"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["session"] == ["Must be an integer."]


@pytest.mark.parametrize(
    "since", ["0230-10-18T03:47:10-22:40", "0001-01-01T00:10:00+23:00"]
)
def test_updated_since_with_extreme_offsets_is_not_a_500(anon, since):
    StatementFactory()
    response = anon.get(api("statement-list"), {"updated_since": since})
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
