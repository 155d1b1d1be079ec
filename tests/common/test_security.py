"""Security defaults: client address, sign-in lockout, hostile JSON and bodies."""

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from states.models import Actor
from tests.api_helpers import api, token_client
from tests.factories import PositionFactory, SessionFactory, TreatyFactory
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db


def _random_address():
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def test_rate_limit_holds_whatever_x_forwarded_for_says(anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": None, "writes": None},
    }
    cache.clear()
    codes = [anon.get(api("actor-list")).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    spoofed = [
        anon.get(api("actor-list"), HTTP_X_FORWARDED_FOR=_random_address()).status_code
        for _ in range(20)
    ]
    assert spoofed == [429] * 20


def test_an_anonymous_read_is_counted_once_and_still_limited(anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "2/minute"},
    }
    cache.clear()
    codes = [anon.get(api("actor-list")).status_code for _ in range(4)]
    # The anonymous rate holds, not the signed-in users' (stricter here, unused).
    assert codes == [200, 200, 200, 429]
    keys = cache._cache.get_client().keys("*throttle_*")
    assert [key.decode().split("throttle_")[1].split("_")[0] for key in keys] == [
        "anon"
    ]


def test_without_an_anonymous_rate_the_users_rate_limits_anonymous_reads(
    anon, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": "2/minute"},
    }
    cache.clear()
    codes = [anon.get(api("actor-list")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_one_trusted_proxy_means_the_address_it_appended(anon, settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": None, "writes": None},
    }
    cache.clear()

    def get(chain):
        return anon.get(api("actor-list"), HTTP_X_FORWARDED_FOR=chain).status_code

    # What the client wrote left of the proxy's entry changes nothing.
    assert [get(f"{_random_address()}, 198.51.100.7") for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert get("198.51.100.8") == 200


# Sign-in lockout -------------------------------------------------------------------


def _sign_in(client, username, password, address="203.0.113.5"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def boss(db):
    return User.objects.create_superuser("boss", password="right-password-1")


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, boss):
    for _ in range(4):
        assert _sign_in(client, "boss", "wrong").status_code == 200  # the form again
    locked = _sign_in(client, "boss", "wrong")
    assert locked.status_code == 429
    right = _sign_in(client, "boss", "right-password-1")
    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.content.decode()
    assert "15 minutes" in right.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is on the account, whatever address the next guess comes from.
    elsewhere = _sign_in(client, "boss", "right-password-1", "198.51.100.9")
    assert elsewhere.status_code == 429


def test_five_failures_from_one_address_lock_that_address(client, boss):
    for n in range(5):
        _sign_in(client, f"nobody{n}", "wrong", "192.0.2.44")
    assert _sign_in(client, "boss", "right-password-1", "192.0.2.44").status_code == 429
    signed_in = _sign_in(client, "boss", "right-password-1", "192.0.2.45")
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(boss.pk)


def test_spoofed_x_forwarded_for_does_not_escape_the_address_lock(client, boss):
    for n in range(5):
        client.post(
            reverse("admin:login"),
            {"username": f"nobody{n}", "password": "wrong"},
            REMOTE_ADDR="192.0.2.44",
            HTTP_X_FORWARDED_FOR=_random_address(),
        )
    response = client.post(
        reverse("admin:login"),
        {"username": "boss", "password": "right-password-1"},
        REMOTE_ADDR="192.0.2.44",
        HTTP_X_FORWARDED_FOR=_random_address(),
    )
    assert response.status_code == 429


def test_a_success_before_the_limit_resets_the_count(client, boss):
    for _ in range(4):
        _sign_in(client, "boss", "wrong")
    assert _sign_in(client, "boss", "right-password-1").status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "boss", "wrong")
    assert _sign_in(client, "boss", "right-password-1").status_code == 302


# Hostile JSON, numbers and bodies ---------------------------------------------------

# Every list endpoint that accepts a POST.
WRITABLE_LISTS = [
    "treaty-list",
    "session-list",
    "draft-list",
    "chapter-list",
    "provision-list",
    "provisiontext-list",
    "actor-list",
    "group-list",
    "membership-list",
    "statement-list",
    "position-list",
]


@pytest.fixture
def boss_client(boss):
    """May write everything, so a refusal can only come from the body."""
    return token_client(boss)


def _post_raw(client, url, body):
    return client.generic("POST", url, body, content_type="application/json")


@pytest.mark.parametrize("name", WRITABLE_LISTS)
def test_json_nested_100000_levels_deep_is_a_400(boss_client, name):
    response = _post_raw(boss_client, api(name), "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]


def test_json_nested_just_past_the_limit_is_a_400(boss_client):
    body = '{"code": ' + "[" * 21 + "]" * 21 + "}"
    response = _post_raw(boss_client, api("actor-list"), body)
    assert response.status_code == 400
    assert "nested more than 20 levels" in response.json()["detail"]


@pytest.mark.parametrize(
    "name, field", [("position-list", "statement"), ("provisiontext-list", "draft")]
)
@pytest.mark.parametrize("number", ["1e309", "-1e309", "NaN", "Infinity"])
def test_non_finite_numbers_are_a_400(boss_client, name, field, number):
    response = _post_raw(boss_client, api(name), f'{{"{field}": {number}}}')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_an_integer_of_5000_digits_is_a_400(boss_client):
    body = '{"statement": ' + "9" * 5000 + "}"
    response = _post_raw(boss_client, api("position-list"), body)
    assert response.status_code == 400


def test_body_not_in_utf8_is_a_400(boss_client):
    response = _post_raw(boss_client, api("actor-list"), b'{"code": "\xff\xfe"}')
    assert response.status_code == 400
    assert "not valid utf-8" in response.json()["detail"]


def test_a_body_over_the_limit_is_a_413_and_writes_nothing(boss_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    name = "x" * 10_000
    body = json.dumps({"code": "BIG", "name": name, "kind": "academia"})
    response = _post_raw(boss_client, api("actor-list"), body)
    assert response.status_code == 413
    assert "larger than 10000 bytes" in response.json()["detail"]
    assert not Actor.objects.exists()
    small = json.dumps({"code": "SML", "name": "Small", "kind": "academia"})
    assert _post_raw(boss_client, api("actor-list"), small).status_code == 201


def test_the_default_body_limit_is_one_mebibyte(boss_client, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    body = json.dumps({"code": "BIG", "kind": "academia", "name": "x" * 2**20})
    assert _post_raw(boss_client, api("actor-list"), body).status_code == 413


def test_options_on_a_detail_url_signed_in_is_answered_without_a_lock(editor_client):
    # Outside a transaction, as in production, a row lock here was a 500
    # (select_for_update outside a transaction); the test itself runs in one, so it
    # checks that no lock is taken at all.
    position = PositionFactory()
    for url in (
        api("position-detail", pk=position.pk),
        api("statement-detail", pk=position.statement.pk),
        api("actor-detail", code=position.statement.actor.code),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.options(url)
        assert response.status_code == 200, url
        assert "PUT" in response.json().get("actions", {}), url
        locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
        assert locks == [], url


# Content-Security-Policy and Permissions-Policy -------------------------------------


class _InlineCode(HTMLParser):
    """Collects what a no-inline CSP would block: style attributes, event handler
    attributes, <style> blocks and scripts without src (JSON data blocks aside)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in attrs:
            if attrs.get("type") != "application/json":
                self.found.append("<script> without src")


def _inline_code(html):
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def world(db):
    return build_world(states=6, provisions=4)


def page_urls(world):
    """One URL of every kind of public page, with the data to fill it."""
    treaty, provision, actor = world.treaty, world.provisions[0], world.states[0]
    return [
        reverse("home"),
        reverse("methodology"),
        reverse("search") + "?q=session",
        reverse("search"),
        reverse("treaty-detail", kwargs={"treaty": treaty.slug}),
        reverse("treaty-matrix", kwargs={"treaty": treaty.slug}),
        reverse("treaty-compare", kwargs={"treaty": treaty.slug})
        + f"?actors={actor.code},{world.states[1].code}",
        provision.get_absolute_url(),
        reverse("actor-detail", kwargs={"code": actor.code}),
        reverse("session-detail", kwargs={"treaty": treaty.slug, "number": 2}),
        reverse("admin:login"),
    ]


def test_every_page_sends_a_strict_csp_and_a_permissions_policy(client, world):
    for url in [*page_urls(world), reverse("feed-statements"), api("actor-list")]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, url
        assert "script-src 'self'" in policy, url
        assert "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url


def test_no_page_has_inline_script_or_style(client, world, admin_user):
    for url in page_urls(world):
        body = client.get(url).content.decode()
        assert _inline_code(body) == [], url
    client.force_login(admin_user)
    for url in (
        reverse("desk:home"),
        reverse("admin:index"),
        reverse("admin:states_statement_changelist"),
        reverse("admin:states_statement_change", args=[world.statements[0].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(response.content.decode()) == [], url


def test_no_template_has_inline_script_or_style():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    offending = {
        str(path): found
        for path in templates
        for found in [_inline_code(path.read_text())]
        if found
    }
    assert offending == {}


def test_api_docs_work_under_their_relaxed_policy(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    # The init script is a file of its own, not inline.
    scripts = re.findall(r'<script src="([^"]+)"', response.content.decode())
    init = [src for src in scripts if "script" in src.split("?")[-1]]
    assert init, scripts
    script = client.get(init[0].replace("&amp;", "&"))
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize(
    "url, status",
    [
        ("/actors/%00/", 404),
        ("/feeds/actors/a%00b/", 404),
        ("/t/x%00/matrix/", 404),
        ("/api/v1/actors/a%00b/", 404),
        ("/api/v1/matrix/?treaty=%00", 400),
        ("/api/v1/matrix/?treaty=un-test&group=a%00b", 400),
        ("/api/v1/matrix/changes/?treaty=un-test&actor=%00", 400),
    ],
)
def test_nul_in_the_path_is_a_404_and_in_matrix_parameters_a_400(client, url, status):
    SessionFactory(treaty=TreatyFactory(slug="un-test"), number=1)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    if status == 400:
        assert "Null characters are not allowed" in response.content.decode()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
