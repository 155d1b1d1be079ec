"""A hostile-input corpus against every API endpoint and every kind of public page:
deep JSON, huge and non-finite numbers, invalid UTF-8, NUL bytes in the query and the
path, a 10 MB body, absurd paging. Any answer is fine but a 5xx.

The number of requests sent and of 5xx answers is printed in pytest's summary
(tests/api_helpers.py).
"""

from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api_helpers import api, api_key
from tests.pages.pages_world import build_world
from tracker.api_urls import router

pytestmark = pytest.mark.django_db

# Read by pytest_terminal_summary in tests/api_helpers.py.
SENT = Counter()

HUGE = 10**30
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000
TEN_MB = b'{"text": "' + b"x" * (10 * 1024 * 1024) + b'"}'
BAD_UTF8 = b'{"name": "\xff\xfe\xc3\x28"}'
NUMBERS = [HUGE, -HUGE, 2**63, 1e308]
QUERY_VALUES = [str(HUGE), "-1", "0", "1e309", "\x00", "a\x00b", "\ufffd", "x" * 10_000]
# Sent as they are, percent-encoded: invalid UTF-8 and NUL bytes in the query string.
RAW_QUERY_VALUES = ["%ff%fe", "%c3%28", "%00", "%ed%a0%80"]
PAGING = [
    {"page": str(HUGE)},
    {"page": "-1"},
    {"page": "0"},
    {"page_size": "-1"},
    {"page_size": str(HUGE)},
    {"page": "NaN"},
    {"page": "\x00"},
]
# The query parameters each kind of page reads (pages/views.py).
PAGE_PARAMS = {
    "matrix": ["session", "kind", "group", "chapter", "stance", "coded", "page"],
    "provision": ["from", "to", "quotes", "session"],
    "actor": ["treaty", "session"],
    "session": ["page", "all"],
    "compare": ["actors", "session"],
    "search": ["q", "treaty", "session", "actor", "kind", "page"],
    "home": ["page"],
    "treaty": ["session"],
}


class Probe:
    """Sends requests and keeps every 5xx (method, URL, status) for the assertion."""

    def __init__(self, client):
        self.client = client
        client.raise_request_exception = False
        self.errors = []

    def send(self, method, path, *, data=None, body=None, content_type=None):
        if body is not None:
            content_type = content_type or "application/json"
            response = self.client.generic(method, path, body, content_type)
        elif method == "GET":
            response = self.client.get(path, data)
        else:
            response = self.client.generic(method, path)
        SENT["requests"] += 1
        if response.status_code >= 500:
            SENT["5xx"] += 1
            self.errors.append((method, path, data, response.status_code))
        return response


@pytest.fixture
def world(db):
    return build_world(states=6, provisions=4)


@pytest.fixture
def boss_probe(db):
    boss = User.objects.create_superuser("boss", password="pw-for-tests-only")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(boss)}")
    return Probe(client)


def _resources():
    """(basename, list URL, detail URL of a stored row, serializer fields, filters)."""
    for prefix, viewset, basename in router.registry:
        model = viewset.serializer_class.Meta.model
        lookup = viewset.lookup_field
        row = model.objects.order_by("pk").first()
        detail = f"/api/v1/{prefix}/{getattr(row, lookup)}/" if row else None
        fields = [
            name
            for name, field in viewset.serializer_class().fields.items()
            if not field.read_only
        ]
        filterset = getattr(viewset, "filterset_class", None)
        filters = list(filterset.base_filters) if filterset else []
        yield basename, f"/api/v1/{prefix}/", detail, fields, filters


def _hostile_bodies(fields):
    yield DEEP_ARRAY
    yield DEEP_OBJECT
    yield BAD_UTF8
    yield b"\x00\x00\x00"
    yield '{"x": 1e309}'
    yield "[NaN, Infinity, -Infinity]"
    yield '{"a": ' + "9" * 5000 + "}"
    for name in fields:
        for number in NUMBERS:
            yield f'{{"{name}": {number!r}}}'.replace("'", '"')
        yield f'{{"{name}": [[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]}}'
        yield f'{{"{name}": "\\u0000"}}'
        yield f'{{"{name}": "\\ud800"}}'


def _hostile_paths(prefix):
    for segment in (str(HUGE), "-1", "%00", "a%00b", "%ff%fe", "..%2f..", "1e309"):
        yield f"{prefix}{segment}/"


def _query_attacks(probe, url, name):
    for value in QUERY_VALUES:
        probe.send("GET", url, data={name: value})
    separator = "&" if "?" in url else "?"
    for raw in RAW_QUERY_VALUES:
        probe.send("GET", f"{url}{separator}{name}={raw}")


def _read_attacks(probe, list_url, detail, filters):
    for params in PAGING:
        probe.send("GET", list_url, data=params)
    for name in filters:
        _query_attacks(probe, list_url, name)
    for path in _hostile_paths(list_url):
        probe.send("GET", path)
        probe.send("OPTIONS", path)
    probe.send("OPTIONS", list_url)
    if detail:
        probe.send("OPTIONS", detail)


def _write_attacks(probe, list_url, detail, fields):
    for body in _hostile_bodies(fields):
        probe.send("POST", list_url, body=body)
        if detail:
            probe.send("PATCH", detail, body=body)
    probe.send("POST", list_url, body=TEN_MB)
    probe.send("POST", list_url, body="{}", content_type="text/plain")
    if detail:
        probe.send("PUT", detail, body=TEN_MB)
    for path in _hostile_paths(list_url):
        probe.send("PATCH", path, body="{}")
        probe.send("DELETE", path)


def _matrix_attacks(probe, treaty):
    for params in [
        {"treaty": treaty.slug, name: value}
        for name in ("session", "kind", "group", "actor", "chapter", "provision")
        for value in QUERY_VALUES
    ] + [{"treaty": value} for value in QUERY_VALUES]:
        probe.send("GET", api("matrix"), data=params)
        probe.send("GET", api("matrix-changes"), data={**params, "from": HUGE})
    for name in ("session", "kind", "group", "actor", "chapter", "provision", "from"):
        _query_attacks(probe, f"{api('matrix')}?treaty={treaty.slug}", name)
        _query_attacks(probe, f"{api('matrix-changes')}?treaty={treaty.slug}", name)


def test_api_answers_hostile_input_without_a_5xx(world, boss_probe, anon):
    anon_probe = Probe(anon)
    for _name, list_url, detail, fields, filters in _resources():
        _read_attacks(anon_probe, list_url, detail, filters)
        _read_attacks(boss_probe, list_url, detail, filters)
        _write_attacks(boss_probe, list_url, detail, fields)
    _matrix_attacks(anon_probe, world.treaty)
    errors = anon_probe.errors + boss_probe.errors
    assert errors == [], "\n".join(map(repr, errors))


def _page_urls(world):
    treaty, provision, actor = world.treaty, world.provisions[0], world.states[0]
    t = treaty.slug
    return {
        "home": reverse("home"),
        "methodology": reverse("methodology"),
        "search": reverse("search") + "?q=session",
        "treaty": reverse("treaty-detail", kwargs={"treaty": t}),
        "matrix": reverse("treaty-matrix", kwargs={"treaty": t}),
        "compare": reverse("treaty-compare", kwargs={"treaty": t}),
        "provision": provision.get_absolute_url(),
        "actor": reverse("actor-detail", kwargs={"code": actor.code}),
        "session": reverse("session-detail", kwargs={"treaty": t, "number": 2}),
        "feed": reverse("feed-statements"),
        "actor-feed": reverse("feed-actor-statements", kwargs={"code": actor.code}),
        "provision-feed": reverse(
            "feed-provision-statements", kwargs={"treaty": t, "slug": provision.slug}
        ),
        "admin-login": reverse("admin:login"),
        "api-docs": reverse("api-docs"),
        "schema": reverse("api-schema"),
        "health": reverse("healthz"),
    }


def _hostile_page_paths(world):
    t = world.treaty.slug
    bad = ("%00", "a%00b", "%ff%fe", str(HUGE), "-1")
    for value in bad:
        yield f"/actors/{value}/"
        yield f"/t/{value}/"
        yield f"/t/{value}/matrix/"
        yield f"/t/{t}/provisions/{value}/"
        yield f"/t/{t}/sessions/{value}/"
        yield f"/feeds/actors/{value}/"
        yield f"/feeds/t/{t}/provisions/{value}/"
        yield f"/{value}/"
    yield f"/t/{t}/sessions/{HUGE}/"
    yield f"/t/{t}/sessions/{2**63}/"


def test_public_pages_answer_hostile_input_without_a_5xx(world, client, admin_user):
    probe = Probe(client)
    for kind, url in _page_urls(world).items():
        for name in PAGE_PARAMS.get(kind, ["page"]):
            _query_attacks(probe, url, name)
        probe.send("GET", url, data=PAGING[0])
        probe.send("POST", url, body=TEN_MB, content_type="application/json")
        probe.send(
            "POST", url, body=b"a=\xff\x00&b=" + b"x" * 100, content_type="text/plain"
        )
    for path in _hostile_page_paths(world):
        probe.send("GET", path)
    # The admin sign-in with hostile forms (django-axes reads them before Django).
    login = reverse("admin:login")
    for body in (
        b"username=%00&password=x",
        b"username=%ff%fe&password=%00",
        b"username=" + b"x" * (2 * 1024 * 1024) + b"&password=x",
    ):
        probe.send(
            "POST", login, body=body, content_type="application/x-www-form-urlencoded"
        )
    probe.client.force_login(admin_user)
    for url in (reverse("desk:home"), reverse("admin:states_statement_changelist")):
        _query_attacks(probe, url, "q")
        _query_attacks(probe, url, "p")
    assert probe.errors == [], "\n".join(map(repr, probe.errors))
