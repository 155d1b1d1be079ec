"""The status page, a vote page and an actor's formal acts in Chromium, at a desktop
and a phone width, checked against the database; screenshots for a reviewer."""

import pytest
from playwright.sync_api import expect

from provisions.models import Treaty
from states.models import Ballot, Vote
from states.treaty_status import treaty_status
from tests.browser.conftest import SCREENSHOTS, new_page

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _no_horizontal_overflow(page):
    """The page itself never scrolls sideways (wide tables scroll in their box)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 1, f"page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_status_page(browser, offline, demo, screenshot, width):
    page = new_page(browser, offline, viewport=WIDTHS[width])
    page.goto(demo.url + "/t/un-cybercrime/status/")
    status = treaty_status(Treaty.objects.get(slug="un-cybercrime"))
    expect(page.get_by_test_id("count-signatories")).to_have_text(
        str(len(status.signatories))
    )
    expect(page.get_by_test_id("count-counted")).to_have_text(
        f"{status.counted_count} of 40"
    )
    tiles = page.locator("[data-testid=tilemap] g.tile")
    expect(tiles).to_have_count(193)
    assert page.locator("g.tile[data-code=AZE]").get_attribute("data-status") == (
        "approved"
    )
    box = page.get_by_test_id("tilemap").bounding_box()
    assert box["width"] <= WIDTHS[width]["width"]
    # The filter form narrows the table to one status.
    page.get_by_label("Status", exact=True).select_option("approved")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=approved*")
    expect(page.locator("[data-testid=status-table] tbody tr")).to_have_count(1)
    expect(page.locator("#state-AZE")).to_be_visible()
    page.goto(demo.url + "/t/un-cybercrime/status/")
    _no_horizontal_overflow(page)
    page.set_default_timeout(60_000)  # a tall page: 193 tiles and rows
    screenshot(page, f"acts-status-{width}", element=page.get_by_test_id("tilemap"))
    # The first screen alone, and the who-moved table: the full page is very tall.
    page.screenshot(path=str(SCREENSHOTS / f"acts-status-{width}-top.png"))
    page.get_by_test_id("who-moved").screenshot(
        path=str(SCREENSHOTS / f"acts-status-{width}-moved.png")
    )
    page.context.close()
    assert not offline.blocked


@pytest.mark.parametrize("width", list(WIDTHS))
def test_vote_page(browser, offline, demo, screenshot, width):
    vote = Vote.objects.get(document_symbol="A/RES/74/247")
    page = new_page(browser, offline, viewport=WIDTHS[width])
    page.goto(demo.url + f"/t/un-cybercrime/votes/{vote.pk}/")
    for choice in ("yes", "no", "abstain", "non_voting"):
        expected = Ballot.objects.filter(vote=vote, choice=choice).count()
        expect(page.locator(f"dd[data-choice={choice}]")).to_have_text(str(expected))
    expect(page.locator(".vote-bars .bar-row")).to_have_count(5)
    page.get_by_text("African States (54)").click()
    expect(page.locator("details.group-ballots[open]")).to_contain_text("Algeria")
    expect(page.get_by_test_id("sponsors")).to_contain_text("Co-sponsor (47)")
    _no_horizontal_overflow(page)
    screenshot(page, f"acts-vote-{width}")
    page.context.close()
    assert not offline.blocked


@pytest.mark.parametrize("width", list(WIDTHS))
def test_actor_timeline(browser, offline, demo, screenshot, width):
    page = new_page(browser, offline, viewport=WIDTHS[width])
    page.goto(demo.url + "/actors/AZE/")
    acts = page.get_by_test_id("formal-acts")
    expect(acts.locator("li.act")).to_have_count(7)
    expect(acts.locator("li.act-signature")).to_contain_text("25 Oct 2025")
    acts.locator("li.act-ballot-yes h3 a").last.click()
    page.wait_for_url("**/votes/*/")
    expect(page.locator("h1")).to_have_text("A/RES/74/247")
    page.go_back()
    _no_horizontal_overflow(page)
    screenshot(page, f"acts-actor-{width}", element=acts)
    page.context.close()
    assert not offline.blocked
