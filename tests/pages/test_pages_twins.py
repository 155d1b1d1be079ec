"""Every public page has a data twin (?format=json or .json) in the API's vocabulary,
linked from the page; sitemap.xml and robots.txt."""

import json
import re

import pytest
from django.urls import reverse

from states import services as state_services
from tests.factories import (
    ActorFactory,
    DraftFactory,
    GroupFactory,
    MembershipFactory,
    PositionFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    session = SessionFactory(number=1, treaty__slug="un-cybercrime")
    treaty = session.treaty
    russia = ActorFactory(code="RUS", name="Russian Federation")
    china = ActorFactory(code="CHN", name="China")
    provision = ProvisionFactory(treaty=treaty, slug="disinformation")
    ProvisionTextFactory(
        provision=provision, draft=DraftFactory(treaty=treaty), label="Article 5"
    )
    statement = StatementFactory(
        session=session,
        actor=russia,
        title="Russia on disinformation",
        text="We want a disinformation offence.",
    )
    PositionFactory(
        statement=statement, provision=provision, stance="support", quote="We want it."
    )
    PositionFactory(
        statement=StatementFactory(session=session, actor=china),
        provision=provision,
        stance="oppose",
    )
    MembershipFactory(actor=russia, group=GroupFactory(slug="eeg"))
    state_services.matrix_rebuild(treaty_id=treaty.pk)
    return {
        "treaty": treaty,
        "session": session,
        "provision": provision,
        "statement": statement,
    }


def _twin(client, url, **query):
    """The twin by ?format=json and by .json, which must agree; and the page's link."""
    page = client.get(url, query)
    assert page.status_code == 200, url
    link = re.search(
        r'<link rel="alternate" type="application/json" title="[^"]*" href="([^"]+)"',
        page.content.decode(),
    )
    assert link, f"{url} links no JSON twin"
    by_param = client.get(link[1].replace("&amp;", "&"))
    assert (
        by_param.status_code == 200 and by_param["Content-Type"] == "application/json"
    )
    suffix = url.rstrip("/") + ".json" if url != "/" else "/index.json"
    by_suffix = client.get(suffix, query)
    assert by_suffix.status_code == 200, suffix
    assert by_suffix.json() == by_param.json()
    return by_param.json()


def test_a_json_twin_for_each_page_kind(client, world):
    slug = world["treaty"].slug
    home = _twin(client, reverse("home"))
    assert home["treaties"][0]["slug"] == slug

    assert {s["stance"] for s in _twin(client, reverse("methodology"))["stances"]} >= {
        "support",
        "oppose",
        "no_position",
    }

    treaty = _twin(client, reverse("treaty-detail", kwargs={"treaty": slug}))
    assert treaty["treaty"]["slug"] == slug
    assert treaty["chapters"][0]["provisions"][0]["slug"] == "disinformation"

    matrix = _twin(client, reverse("treaty-matrix", kwargs={"treaty": slug}))
    api = client.get("/api/v1/matrix/", {"treaty": slug})
    api = json.loads(b"".join(api.streaming_content))
    assert matrix == api  # the API's body exactly
    assert {(c["actor"], c["stance"]) for c in matrix["cells"]} == {
        ("RUS", "support"),
        ("CHN", "oppose"),
    }

    provision = _twin(client, world["provision"].get_absolute_url())
    assert provision["provision"]["slug"] == "disinformation"
    assert provision["totals"]["support"] == 1 and provision["totals"]["oppose"] == 1
    assert {p["actor"] for p in provision["positions"]} == {"RUS", "CHN"}
    assert provision["texts"][0]["label"] == "Article 5"

    actor = _twin(client, reverse("actor-detail", kwargs={"code": "RUS"}))
    assert actor["actor"] == {
        "code": "RUS",
        "name": "Russian Federation",
        "kind": "member_state",
    }
    assert actor["groups"][0]["group"] == "eeg"
    assert actor["statements"][0]["id"] == world["statement"].pk
    assert [c["stance"] for c in actor["cells"]] == ["support"]

    session = _twin(client, world["session"].get_absolute_url())
    assert session["session"]["number"] == 1 and session["count"] == 2
    assert {s["actor"] for s in session["statements"]} == {"RUS", "CHN"}

    compare = _twin(
        client, reverse("treaty-compare", kwargs={"treaty": slug}), actors="RUS,CHN"
    )
    assert compare["actors"] == ["RUS", "CHN"] and len(compare["cells"]) == 2

    found = _twin(client, reverse("search"), q="disinformation")
    assert world["statement"].pk in [s["id"] for s in found["statements"]]

    actors = _twin(client, reverse("actor-list"), q="russ")
    assert [a["code"] for a in actors["actors"]] == ["RUS"]
    assert actors["actors"][0]["statement_count"] == 1

    group = _twin(client, reverse("group-detail", kwargs={"slug": "eeg"}))
    assert [m["actor"] for m in group["memberships"]] == ["RUS"]
    assert group["cohesion"][0]["stance"] == "support"

    # One session: nobody can have moved yet.
    moves = _twin(client, reverse("treaty-moves", kwargs={"treaty": slug}))
    assert (moves["from"], moves["to"], moves["changes"]) == (None, 1, [])

    changes = _twin(client, reverse("changes"))
    assert {c["kind"] for c in changes["changes"]} == {"new"}
    assert "note" not in str(changes)


def test_twins_answer_bad_input_with_json_4xx(client, world):
    slug = world["treaty"].slug
    assert client.get("/actors/XXX.json").status_code == 404
    assert client.get("/actors/XXX.json").json() == {"detail": "Not found."}
    bad = client.get(f"/t/{slug}/matrix.json", {"session": "abc"})
    assert bad.status_code == 400 and "session" in bad.json()
    assert client.get(f"/t/{slug}/compare.json").status_code == 400
    assert client.get("/changes.json", {"actor": "XXX"}).status_code == 400
    assert client.get(f"/t/{slug}/sessions/1.json", {"page": "99"}).status_code == 400
    assert client.get("/search.json", {"q": "a\x00"}).status_code == 400


def test_sitemap_and_robots(client, world):
    xml = client.get("/sitemap.xml")
    assert xml.status_code == 200
    body = xml.content.decode()
    for path in (
        reverse("treaty-matrix", kwargs={"treaty": world["treaty"].slug}),
        world["provision"].get_absolute_url(),
        reverse("actor-detail", kwargs={"code": "RUS"}),
        world["session"].get_absolute_url(),
        reverse("changes"),
    ):
        assert f"<loc>http://testserver{path}</loc>" in body, path
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    assert "Disallow: /admin/" in robots.content.decode()
