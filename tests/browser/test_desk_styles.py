"""How the desk looks, measured: the entry form and a published statement's page
with its proposal forms open fit a 1,366 px laptop and a 390 px phone; the proposal
forms are laid out as the entry form is; diffs are set in the site's font; the
stance menus show their longest stance whole; a grid row's Remove box sits in it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from states import services
from tests.api_helpers import make_user
from tests.browser.test_desk import sign_in
from tests.conftest import editorial_groups_restore
from tests.desk.desk_world import SOURCE, desk_world
from tests.factories import PositionFactory, StatementFactory, StatementSourceFactory

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = [(LAPTOP, "1366"), (PHONE, "390")]

# Elements wider than the window, or reaching past its right edge (a scrolling
# table's frame may hold a wider table: that is what it is for).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = (e) => e.closest('.table-scroll, .grid-scroll, .matrix-wrap');
  return [...document.querySelectorAll('main *')]
    .filter((e) => e.getClientRects().length && !inScroller(e))
    .filter((e) => e.getBoundingClientRect().right > width + 1)
    .map((e) => e.tagName.toLowerCase() + (e.name ? '[name=' + e.name + ']' : '')
      + (e.className && typeof e.className === 'string' ? '.' + e.className : ''))
    .slice(0, 8);
}"""

# Stance menus whose longest option is wider than the box shows of it.
TRUNCATED_SELECTS = """(selector) => {
  const canvas = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll(selector)].filter((select) => {
    if (!select.getClientRects().length) return false;
    const style = getComputedStyle(select);
    canvas.font = style.font;
    const texts = [...select.options].map((o) => canvas.measureText(o.text).width);
    const longest = Math.max(...texts);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const inner = select.clientWidth - padding;
    return longest + 18 > inner;  // the menu's arrow takes about 18 px
  }).map((select) => select.name + ' ' + select.clientWidth);
}"""


def _fits(page, name):
    widths = page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth,"
        " view: document.documentElement.clientWidth})"
    )
    assert widths["doc"] <= widths["view"], (name, widths)
    assert page.evaluate(OVERFLOWING) == [], name


def _resize(page, size):
    page.set_viewport_size(size)
    # Wait for the layout at the new width before measuring it.
    page.wait_for_function(f"() => innerWidth === {size['width']}")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")


def test_the_entry_form_fits_and_its_stance_menus_show_every_stance(
    page, live_server, transactional_db, screenshot
):
    editorial_groups_restore()
    session, _, _, _ = desk_world()
    sign_in(page, live_server, make_user("edith", "Editors"))
    page.goto(live_server.url + reverse("desk:statement-new"))
    page.locator("[name=session]").select_option(str(session.pk))
    page.locator("[name=sources-0-url]").fill(SOURCE)
    page.locator("[name=rows-0-provision]").fill("14")
    page.locator("[name=rows-0-stance]").select_option("support_with_changes")
    for size, name in SIZES:
        _resize(page, size)
        screenshot(page, f"desk-entry-form-{name}")
        _fits(page, f"entry form {name}")
        assert page.evaluate(TRUNCATED_SELECTS, "select[name$=-stance]") == [], name


def test_a_grid_rows_remove_box_sits_in_its_row(
    page, live_server, transactional_db, screenshot
):
    """A grid row with a Remove box (an edited statement's rows have one): the box
    is on the row's first line, beside the stance, at both widths."""
    editorial_groups_restore()
    desk_world()
    sign_in(page, live_server, make_user("edith", "Editors"))
    page.goto(live_server.url + reverse("desk:statement-new"))
    # The desk's edit view renders this for each row (desk/_position_row.html gives
    # a formset's DELETE field the class pos-remove); the new form has none.
    page.evaluate(
        """() => document.querySelectorAll('.position-row').forEach((row, i) => {
          row.insertAdjacentHTML('beforeend', '<div class="pos-field pos-remove">'
            + '<label for="remove-' + i + '">Remove</label>'
            + '<input type="checkbox" id="remove-' + i + '"></div>');
        })"""
    )
    row = page.locator(".position-row").first
    for size, name in SIZES:
        _resize(page, size)
        screenshot(page, f"desk-grid-remove-{name}", element=row)
        _fits(page, f"grid with Remove {name}")
        box = row.locator(".pos-remove input").bounding_box()
        frame = row.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= (
            frame["x"] + frame["width"]
        ), name
        stance = row.locator("[name$=-stance]").bounding_box()
        if name == "1366":  # on the stance's line, its middle level with the box's
            middle = stance["y"] + stance["height"] / 2
            assert abs(box["y"] + box["height"] / 2 - middle) <= 3, (box, stance)
        else:  # a line of its own at the row's end, inside it
            assert box["y"] >= row.locator("[name$=-new_title]").bounding_box()["y"]


@pytest.fixture
def published(transactional_db):
    editorial_groups_restore()
    session, provisions, speaker, others = desk_world()
    statement = StatementFactory(
        session=session,
        actor=speaker,
        title="Joint statement on criminalization",
        source_url=SOURCE,
        document_symbol="A/AC.291/CRP.13",
        verification="verified",
    )
    StatementSourceFactory(
        statement=statement, url="https://ngo.example.org/report", kind="ngo_report"
    )
    statement.co_signers.add(others[0])
    stances = [("Article 14", "support_with_changes"), ("Art. 64", "oppose")]
    for label, stance in stances:
        PositionFactory(
            statement=statement,
            provision=provisions[label],
            stance=stance,
            wants="delete 'without right'",
        )
    return statement


def _open_every_proposal_form(page):
    for details in page.locator("details").all():
        details.evaluate("e => { e.open = true; }")


def test_a_published_statements_page_with_its_proposal_forms_open_fits(
    page, live_server, published, screenshot
):
    editor = make_user("edith", "Editors")
    reviewer = make_user("rita", "Reviewers")
    services.statement_update(
        statement=published, user=reviewer, title="The scope of criminalization"
    )
    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("desk:statement", args=[published.pk]))
    expect(page.get_by_test_id("propose-form")).to_be_visible()
    _open_every_proposal_form(page)
    for size, name in SIZES:
        _resize(page, size)
        screenshot(page, f"desk-statement-proposals-{name}")
        _fits(page, f"statement page {name}")
        assert page.evaluate(TRUNCATED_SELECTS, "select[name$=stance]") == [], name
    # The proposal forms are laid out as the entry form: fieldsets, labels above
    # their boxes and as wide as the entry form's.
    form = page.get_by_test_id("propose-form")
    assert form.locator("fieldset").count() >= 4
    label = form.locator(".field label").first
    box = form.locator(".field input[name=title]")
    _resize(page, LAPTOP)
    assert label.evaluate("e => getComputedStyle(e).display") == "block"
    assert box.bounding_box()["width"] >= 500
    # Each position's form is framed as a fieldset is, its labels above its boxes.
    one = page.locator("details.propose-position > form").first
    frame = (
        "e => getComputedStyle(e).borderTopStyle + ' ' + getComputedStyle(e).padding"
    )
    assert one.evaluate(frame) == form.locator("fieldset").first.evaluate(frame)
    labels = one.locator(".field > label")
    assert labels.count() == 4
    assert labels.evaluate_all("ls => ls.map((l) => getComputedStyle(l).display)") == (
        ["block"] * 4
    )
    # The positions it adds are laid out as the entry form's grid.
    assert form.locator("[data-testid=propose-added] .position-row").count() == 2


def test_diffs_are_set_in_the_sites_font(page, live_server, published, screenshot):
    reviewer = make_user("rita", "Reviewers")
    services.statement_update(
        statement=published, user=reviewer, title="The scope of criminalization"
    )
    sign_in(page, live_server, reviewer)
    history = reverse("desk:history", args=["statement", published.pk])
    page.goto(live_server.url + history)
    screenshot(page, "desk-history-1366")
    body_font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    diff = page.locator("table.diff").first
    expect(diff).to_be_visible()
    for cell in (diff, diff.locator("td").first, diff.locator("th").first):
        assert cell.evaluate("e => getComputedStyle(e).fontFamily") == body_font
    for size, name in SIZES:
        _resize(page, size)
        _fits(page, f"history {name}")
        screenshot(page, f"desk-history-{name}")
