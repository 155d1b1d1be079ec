"""Screenshots at 1,280 and 390 px of the actors list, a group page, who moved
between two sessions, a provision page with its map and compare; each page checked
to fit its width (wide boxes scroll inside themselves, never the page)."""

import pytest
from playwright.sync_api import expect

from provisions.models import Provision, Session
from states.models import Group
from tests.browser import truth
from tests.browser.conftest import SCREENSHOTS, new_page
from tests.browser.site_pages import PHONE, WIDE

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": WIDE, "phone": PHONE}


def _pages():
    treaty = truth.demo_treaty()
    numbers = list(
        Session.objects.with_snapshot()
        .filter(treaty=treaty)
        .order_by("number")
        .values_list("number", flat=True)
    )
    group = (
        Group.objects.get(slug="eu")
        if Group.objects.filter(slug="eu").exists()
        else (Group.objects.order_by("name").first())
    )
    return {
        "actors": "/actors/",
        "group": f"/groups/{group.slug}/",
        "moves": f"/t/{treaty.slug}/moves/?from={numbers[0]}&to={numbers[-1]}",
        "provision": Provision.objects.get(
            slug="respect-for-human-rights"
        ).get_absolute_url(),
        "compare": f"/t/{treaty.slug}/compare/?actors=USA,CHN,RUS",
    }


def _overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_site_screens(browser, offline, demo, screenshot, width):
    page = new_page(browser, offline, viewport=WIDTHS[width])
    page.set_default_timeout(60_000)
    for name, path in _pages().items():
        page.goto(demo.url + path)
        assert _overflow(page) <= 1, f"{name} scrolls sideways at {width}"
        if name == "provision":
            expect(page.locator("[data-testid=provision-map] g.tile")).to_have_count(
                193
            )
            box = page.get_by_test_id("provision-map").bounding_box()
            assert box["width"] <= WIDTHS[width]["width"]
            page.get_by_test_id("provision-map").screenshot(
                path=str(SCREENSHOTS / f"site-provision-map-{width}.png")
            )
        if name == "group":
            expect(page.get_by_test_id("follow-form")).to_be_visible()
        if name == "moves":
            expect(page.get_by_test_id("moves")).to_be_visible()
        screenshot(page, f"site-{name}-{width}")
    page.context.close()
    assert not offline.blocked
