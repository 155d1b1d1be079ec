"""Phone first: every public page fits 390 px, and the matrix keeps its header row
and actor column in view and shows a column's title and proposition on tap."""

import pytest
from playwright.sync_api import expect

from provisions.models import Provision
from tests.browser import truth
from tests.browser.conftest import SCREENSHOTS, new_page
from tests.browser.site_pages import PHONE, site_pages

pytestmark = pytest.mark.browser

WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    // Inside a scrolling frame (.table-scroll, .matrix-wrap, .tilemap-scroll) is
    // fine, and so is what is clipped away for screen readers only.
    const frame = el.closest(
      '.table-scroll, .matrix-wrap, .tilemap-scroll, .visually-hidden');
    return !frame && box.width > 0 && box.right > limit + 1;
  }).slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${el.className} ${
      Math.round(el.getBoundingClientRect().right)}px`);
  return {doc: document.documentElement.scrollWidth, viewport: limit, wide};
}"""


@pytest.fixture
def phone(browser, offline):
    page = new_page(
        browser,
        offline,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    page.context.close()
    assert not offline.blocked, offline.blocked


def test_no_page_is_wider_than_a_phone(phone, demo):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for name, path in site_pages().items():
        phone.goto(demo.url + path)
        widths = phone.evaluate(WIDEST)
        assert widths["viewport"] == PHONE["width"]
        if widths["doc"] > widths["viewport"] or widths["wide"]:
            too_wide[name] = widths
        # The first screen of each: full pages of a long list take too long.
        phone.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), timeout=30_000)
    assert not too_wide, too_wide


def test_matrix_keeps_header_and_actor_column_in_view_and_shows_a_column_on_tap(
    phone, demo, screenshot
):
    treaty = truth.demo_treaty()
    phone.goto(demo.url + f"/t/{treaty.slug}/matrix/")
    table = phone.get_by_test_id("matrix-table")
    expect(table).to_be_visible()
    first_actor = table.locator("tbody th").first
    header = table.locator("thead tr.provisions th.col").first
    before = header.bounding_box()
    # Scroll the frame sideways and down: the actor column and header stay put.
    phone.evaluate(
        """() => { const w = document.querySelector('.matrix-wrap');
                   w.scrollLeft = 600; w.scrollTop = 600; }"""
    )
    phone.wait_for_timeout(100)
    wrap = phone.locator(".matrix-wrap").bounding_box()
    actor_box = table.locator("tbody th").nth(12).bounding_box()
    assert abs(actor_box["x"] - wrap["x"]) < 2, (actor_box, wrap)
    corner = table.locator("thead tr.provisions th").first.bounding_box()
    assert abs(corner["y"] - before["y"]) < 60 or corner["y"] <= wrap["y"] + 80
    assert first_actor.count() == 1
    phone.evaluate(
        "() => { const w = document.querySelector('.matrix-wrap');"
        " w.scrollLeft = 0; w.scrollTop = 0; }"
    )
    # A tap on a column heading shows its full title and proposition.
    column = table.locator("thead tr.provisions th.col").nth(2)
    url = phone.url
    tip = column.locator(".tip")
    expect(tip).to_be_hidden()
    column.locator("a").tap()
    expect(tip).to_be_visible()
    assert phone.url == url
    provision = Provision.objects.get(pk=int(column.get_attribute("data-provision")))
    expect(tip).to_contain_text(provision.title)
    expect(tip).to_contain_text(provision.proposition)
    screenshot(phone, "matrix-phone-column-tap")
    # A second tap follows the link to the provision.
    column.locator("a").tap()
    phone.wait_for_url(f"**{provision.get_absolute_url()}")
