"""Embeds: frameable by any site (and only they are), with the snippet on the page."""

import re

import pytest
from django.urls import reverse

from states import services as state_services
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    session = SessionFactory(number=1)
    provision = ProvisionFactory(treaty=session.treaty, slug="safeguards")
    for code, stance in (("AAA", "support"), ("BBB", "oppose"), ("CCC", "oppose")):
        PositionFactory(
            statement=StatementFactory(session=session, actor=ActorFactory(code=code)),
            provision=provision,
            stance=stance,
        )
    ActorFactory(code="DDD")  # no position
    state_services.matrix_rebuild(treaty_id=session.treaty.pk)
    return {"treaty": session.treaty, "provision": provision}


def test_provision_embed_is_frameable_and_counts_stances(client, world):
    url = reverse(
        "embed-provision", kwargs={"treaty": world["treaty"].slug, "slug": "safeguards"}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    counts = {s.stance: s.count for s in response.context["bar"].segments}
    assert counts == {
        "support": 1,
        "support_with_changes": 0,
        "undecided": 0,
        "oppose": 2,
        "no_position": 1,
    }
    page = client.get(world["provision"].get_absolute_url())
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert f'&lt;iframe src="http://testserver{url}"'.encode() in page.content


def test_matrix_embed_slices_and_refuses_bad_or_large_slices(client, world, settings):
    url = reverse("embed-matrix", kwargs={"treaty": world["treaty"].slug})
    response = client.get(url, {"actor": ["AAA", "BBB"]})
    assert response.status_code == 200
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert html.count('data-stance="support"') == 1
    assert html.count('data-stance="oppose"') == 1
    assert client.get(url, {"actor": "ZZZ"}).status_code == 400
    assert client.get(url, {"session": "abc"}).status_code == 400
    bad = client.get(reverse("embed-matrix", kwargs={"treaty": "nope"}))
    assert bad.status_code in (400, 404)
    from follow import embeds

    embeds.MAX_SLICE_CELLS, saved = 2, embeds.MAX_SLICE_CELLS
    try:
        assert client.get(url).status_code == 400
    finally:
        embeds.MAX_SLICE_CELLS = saved
    matrix = client.get(
        reverse("treaty-matrix", kwargs={"treaty": world["treaty"].slug})
    )
    assert b'data-testid="embed-snippet"' in matrix.content


STATUS_EMBED_QUERIES = 2


def test_status_counter_embed_is_frameable_and_counts_toward_40(
    client, django_assert_num_queries
):
    from demo.loader import demo_load

    demo_load()
    url = reverse("embed-status", kwargs={"treaty": "un-cybercrime"})
    with django_assert_num_queries(STATUS_EMBED_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    html = response.content.decode()
    # The same figures as the status page (tests/pages/test_pages_acts.py).
    assert 'data-testid="embed-signatories">71<' in html
    assert 'data-testid="embed-counted">0 of 40<' in html
    assert "40 more instruments" in html
    assert 'width="0" height="18" rx="4" data-testid="embed-fill"' in html
    assert 'href="http://testserver/t/un-cybercrime/status/"' in html
    page = client.get(reverse("treaty-status", kwargs={"treaty": "un-cybercrime"}))
    assert page["X-Frame-Options"] == "DENY"
    assert f'&lt;iframe src="http://testserver{url}"'.encode() in page.content
    assert re.search(rb'title="Where the [^"&]*Cybercrime[^"&]* stands"', page.content)
    assert (
        client.get(reverse("embed-status", kwargs={"treaty": "nope"})).status_code
        == 404
    )
