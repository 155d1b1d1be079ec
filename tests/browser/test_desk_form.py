"""The statement form in the browser: nothing scrolls sideways on a laptop or a
phone, the grid's boxes show what is typed, and the provision box suggests."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from states.models import Actor, ActorAlias
from tests.api_helpers import make_user
from tests.browser.test_checks import _blocking
from tests.browser.test_desk import sign_in
from tests.conftest import editorial_groups_restore
from tests.desk.desk_world import SOURCE, desk_world
from tests.factories import (
    DraftFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WANTS = "delete “without right” and add a reference to the purpose of the conduct"


def overflow(page):
    return page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, view: innerWidth})"
    )


def resize(page, size):
    """Resize, and wait until the page has its new width (measured at once, the
    old width's layout was seen now and then)."""
    page.set_viewport_size(size)
    page.wait_for_function(f"() => innerWidth === {size['width']}")


def open_form(page, live_server):
    editorial_groups_restore()
    session, provisions, speaker, others = desk_world()
    sign_in(page, live_server, make_user("edith", "Editors"))
    page.goto(live_server.url + reverse("desk:statement-new"))
    page.locator("[name=session]").select_option(str(session.pk))
    return session, provisions


def test_the_form_fits_a_laptop_and_a_phone_and_shows_what_is_typed(
    page, live_server, transactional_db, screenshot
):
    # A session named as the UN names them: its option widened the select, and the
    # form with it, 33 px past a 1366 px window with the demo's sessions.
    SessionFactory(
        number=9,
        title="Reconvened concluding session of the Ad Hoc Committee to Elaborate a "
        "Comprehensive International Convention on Countering the Use of ICT",
    )
    open_form(page, live_server)
    page.locator("[name=sources-0-url]").fill(SOURCE)
    page.locator("[name=rows-0-provision]").fill("Respect for human rights")
    page.locator("[name=rows-1-provision]").fill("Article 99 of the revised draft")
    page.locator("[name=rows-1-stance]").select_option("support")
    page.locator("[name=rows-0-wants]").fill(WANTS)
    page.locator("[name=rows-0-quote]").fill("We cannot accept " + "x" * 200)
    for size, name in [(LAPTOP, "desk-form-1366"), (PHONE, "desk-form-390")]:
        resize(page, size)
        assert overflow(page)["doc"] <= overflow(page)["view"], (name, overflow(page))
        screenshot(page, name, element=page.get_by_test_id("positions-grid"))
    # Refused (an unknown provision): the error beside its box fits too.
    page.locator("[name=actor]").fill("JPN")
    page.locator("[name=verification]").select_option("unverified")
    page.locator("[name=title]").fill("On the scope")
    page.locator("[name=text]").fill("We support a narrow scope.")
    page.locator("[name=rows-0-stance]").select_option("oppose")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("row-error").first).to_be_visible()
    for size in (PHONE, LAPTOP):
        resize(page, size)
        assert overflow(page)["doc"] <= overflow(page)["view"], (size, overflow(page))
    screenshot(page, "desk-form-refused-1366")
    # The provision box shows a title whole; wants, quote and note wrap as they grow.
    provision = page.locator("[name=rows-0-provision]")
    assert provision.evaluate("e => e.scrollWidth <= e.clientWidth")
    for name in ("wants", "quote", "note"):
        assert page.locator(f"[name=rows-0-{name}]").evaluate("e => e.tagName") == (
            "TEXTAREA"
        )
    wants = page.locator("[name=rows-0-wants]")
    assert wants.evaluate("e => e.scrollHeight <= e.clientHeight + 2")
    assert wants.bounding_box()["width"] >= 200


def test_the_provision_box_suggests_labels_in_the_sessions_numbering(
    page, live_server, transactional_db, screenshot
):
    session, _ = open_form(page, live_server)
    revised = DraftFactory(
        treaty=session.treaty, title="Revised draft", session=session
    )
    extradition = ProvisionFactory(treaty=session.treaty, title="Extradition")
    ProvisionTextFactory(provision=extradition, draft=revised, label="Article 16")
    page.locator("[name=rows-0-provision]").press_sequentially("16")
    options = page.locator("#provision-suggestions option")
    # Only the option of Article 16 is counted: a factory's slug ("provision-116")
    # may hold "16" too, depending on how many provisions earlier tests made.
    sixteen = page.locator('#provision-suggestions option[value="Article 16"]')
    expect(sixteen).to_have_count(1)
    assert sixteen.get_attribute("label") == "Article 16 · Extradition"
    page.locator("[name=rows-1-provision]").press_sequentially("illeg")
    expect(options.first).to_have_attribute("label", "Article 14 · Illegal access")
    # Written otherwise than printed, the label holds what was typed: Chromium
    # lists only the options whose value or label contains the box's text.
    page.locator("[name=rows-2-provision]").press_sequentially("Art 14")
    expect(options.first).to_have_attribute(
        "label", "Article 14 · Illegal access (matches “Art 14”)"
    )
    assert options.first.get_attribute("value") == "Article 14"


def test_the_actor_box_suggests_name_and_code_and_finds_an_alias(
    page, live_server, transactional_db
):
    open_form(page, live_server)
    ActorAlias.objects.create(actor=Actor.objects.get(code="JPN"), alias="Nippon")
    options = page.locator("#actor-suggestions option")
    page.locator("[name=actor]").press_sequentially("japa")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("label", "Japan (JPN)")
    assert options.first.get_attribute("value") == "JPN"
    page.locator("[name=others-0-actor]").press_sequentially("nipp")
    expect(options.first).to_have_attribute("label", "Japan (JPN), also “Nippon”")


def test_the_preview_follows_what_is_typed_as_the_public_pages_read_it(
    page, live_server, transactional_db, screenshot
):
    open_form(page, live_server)
    page.locator("[name=actor]").fill("JPN")
    page.locator("[name=others-0-actor]").fill("AUS")
    page.locator("[name=others-1-actor]").fill("NOR")
    page.locator("[name=others-1-role]").select_option("supporter")
    page.locator("[name=also_for]").fill("and several other delegations")
    page.locator("[name=title]").fill("On the scope")
    page.locator("[name=text]").fill("We support a narrow scope.")
    page.locator("[name=sources-0-url]").fill("https://example.org/summary")
    page.locator("[name=rows-0-provision]").fill("14")
    page.locator("[name=rows-0-stance]").select_option("support_with_changes")
    page.locator("[name=rows-0-wants]").fill("delete 'without right'")
    preview = page.get_by_test_id("preview")
    expect(preview.get_by_test_id("preview-by")).to_contain_text("Japan with Australia")
    expect(preview.get_by_test_id("supporters")).to_contain_text(
        "Supported by Norway and several other delegations"
    )
    expect(preview).to_contain_text("Verification not chosen")
    page.locator("[name=verification]").select_option("partly_verified")
    expect(preview.get_by_test_id("verification")).to_have_text("Partly verified")
    expect(preview.get_by_test_id("preview-positions")).to_contain_text(
        "Article 14 Illegal access — wants: delete 'without right'"
    )
    expect(preview).to_contain_text("as a supporter of Japan’s statement")
    screenshot(page, "desk-form-preview", element=page.locator("section.preview"))


def test_the_entry_form_has_no_serious_or_critical_axe_violation(
    page, live_server, transactional_db
):
    """axe-core on the form as an editor fills it: rows added by script, the
    preview shown, then refused with errors beside the fields; at both widths."""
    axe = Axe()
    open_form(page, live_server)
    page.get_by_test_id("add-actor").click()
    page.get_by_test_id("add-source").click()
    page.get_by_test_id("add-position").click()
    page.locator("[name=actor]").fill("JPN")
    page.locator("[name=title]").fill("On the scope")
    page.locator("[name=text]").fill("We support a narrow scope.")
    page.locator("[name=rows-0-provision]").fill("14")
    page.locator("[name=rows-0-stance]").select_option("support")
    expect(page.get_by_test_id("preview-positions")).to_be_visible()
    found = {}
    for size, name in [(LAPTOP, "1366"), (PHONE, "390")]:
        resize(page, size)
        found[name] = _blocking(axe.run(page))
    # Refused by the server (the browser checks the rest first): a provision no
    # draft prints.
    page.locator("[name=verification]").select_option("unverified")
    page.locator("[name=rows-1-provision]").fill("Article 99")
    page.locator("[name=rows-1-stance]").select_option("oppose")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("row-error").first).to_be_visible()
    for size, name in [(PHONE, "390 refused"), (LAPTOP, "1366 refused")]:
        resize(page, size)
        found[name] = _blocking(axe.run(page))
    assert found == {name: {} for name in found}, json.dumps(found, indent=1)
