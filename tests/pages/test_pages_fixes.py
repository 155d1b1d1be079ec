"""The small fixes of issue 14: every actor page's compare link works, friendly
error pages (also under DEBUG), the favicon, the feeds' ids and dates."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse

from states.models import Actor
from tests.factories import ActorFactory, StatementFactory
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    return build_world()


def test_every_actor_pages_compare_link_answers_200(client, world):
    ActorFactory(code="LONE", name="Lone state")  # no statement, no partner
    for actor in Actor.objects.all():
        body = client.get(reverse("actor-detail", kwargs={"code": actor.code})).text
        href = re.search(r'data-testid="compare-partners" href="([^"]+)"', body)
        assert href, actor.code
        response = client.get(href.group(1).replace("&amp;", "&"))
        assert response.status_code == 200, (actor.code, href.group(1))
        assert actor.code in response.text


def test_compare_with_one_actor_prefills_the_form(client, world):
    url = reverse("treaty-compare", kwargs={"treaty": world.treaty.slug})
    response = client.get(url, {"with": "S05"})
    assert response.status_code == 200
    assert 'name="actors" value="S05"' in response.text


@pytest.mark.parametrize("debug", [False, True])
def test_not_found_is_the_sites_own_page_also_under_debug(client, world, debug):
    with override_settings(DEBUG=debug):
        for path in ("/no/such/page/", reverse("actor-detail", kwargs={"code": "ZZZ"})):
            response = client.get(path)
            assert response.status_code == 404
            body = response.content.decode()
            assert 'data-testid="not-found"' in body, path
            assert "URLconf" not in body and "Using the URLconf" not in body


def test_api_not_found_stays_json_under_debug(client, world):
    with override_settings(DEBUG=True):
        response = client.get("/api/v1/actors/ZZZ/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_server_error_is_the_sites_own_page(world):
    from django.test import RequestFactory

    from pages.views.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert 'data-testid="server-error"' in response.content.decode()


def test_favicon_is_linked_and_served(client, world):
    body = client.get(reverse("home")).text
    href = re.search(r'<link rel="icon" href="([^"]+)"', body).group(1)
    assert href.endswith(".svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == href


def test_feed_entry_ids_are_full_uris_stable_across_reloads_and_dates_own(
    client, world
):
    statement = StatementFactory(
        session=world.sessions[1], actor=world.ngo, date=datetime.date(2022, 3, 4)
    )
    first, second = (
        ET.fromstring(client.get(reverse("feed-statements")).content) for _ in (1, 2)
    )
    ids = [e.find(f"{ATOM}id").text for e in first.findall(f"{ATOM}entry")]
    assert ids == [e.find(f"{ATOM}id").text for e in second.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)
    assert all(re.match(r"^https?://[^/]+/t/", i) for i in ids), ids[:3]
    entry = next(
        e
        for e in first.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}id").text.endswith(f"#statement-{statement.pk}")
    )
    assert entry.find(f"{ATOM}updated").text.startswith("2022-03-04")
    assert entry.find(f"{ATOM}published").text.startswith("2022-03-04")
    undated = next(
        e
        for e in first.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}id").text.endswith(f"#statement-{world.statements[0].pk}")
    )
    start = world.statements[0].session.start_date.isoformat()
    assert undated.find(f"{ATOM}updated").text.startswith(start)


def test_drafts_link_to_their_document_and_have_no_empty_separators(client, world):
    from tests.factories import DraftFactory

    DraftFactory(
        treaty=world.treaty,
        slug="crp",
        title="Conference paper",
        symbol="A/AC.291/CRP.13",
        published_on=None,
    )
    body = client.get(
        reverse("treaty-detail", kwargs={"treaty": world.treaty.slug})
    ).text
    assert '<a href="https://undocs.org/A/AC.291/CRP.13" rel="noopener">' in body
    assert not re.search(r"·\s*·", body)
    assert not re.search(r"·\s*</p>", body)
