import pytest
from django.urls import reverse

from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db


def test_home_lists_treaties_with_links_sessions_and_counts(client):
    world = build_world(states=8, provisions=4)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.treaty.title in body
    assert reverse("treaty-matrix", kwargs={"treaty": world.treaty.slug}) in body
    assert (
        reverse("session-detail", kwargs={"treaty": world.treaty.slug, "number": 2})
        in body
    )
    assert "Published statements" in body and "Published positions" in body


def test_home_without_data_says_how_to_load_the_demo(client):
    body = client.get(reverse("home")).content.decode()
    assert "load_demo" in body


def test_methodology_explains_stances_inheritance_as_of_and_freshness(client):
    response = client.get(reverse("methodology"))
    assert response.status_code == 200
    body = response.content.decode()
    for heading in ('id="stances"', 'id="inheritance"', 'id="as-of"', 'id="freshness"'):
        assert heading in body
    assert "No information" in body and "Undecided" in body


def test_pages_use_only_local_assets(client):
    body = client.get(reverse("methodology")).content.decode()
    assert "https://" not in body.split("<body")[0]
    assert "/static/css/site.css" in body
