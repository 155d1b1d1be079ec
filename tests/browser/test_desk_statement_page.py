"""The desk's statement page as a reviewer reads it: everything entered, the
positions by label, and publishing from the page; at 1366 px and on a phone,
nothing wider than the screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from states import services
from tests.api_helpers import make_user
from tests.browser.conftest import new_page
from tests.browser.site_pages import PHONE
from tests.browser.test_desk import sign_in
from tests.browser.test_phone import WIDEST
from tests.conftest import editorial_groups_restore
from tests.desk.desk_world import SOURCE, desk_world
from tests.factories import GroupFactory

pytestmark = pytest.mark.browser


def _draft():
    """A draft with a speaker, 3 co-signers, 3 supporters, a group, two sources
    (the first a 270-character address) and positions on 4 provisions."""
    session, provisions, japan, others = desk_world()
    editor = make_user("edith", "Editors")
    statement = services.statement_create(
        user=editor,
        session=session,
        actor=japan,
        co_signers=others[:3],
        supporters=others[3:],
        on_behalf_of=GroupFactory(slug="g77", name="Group of 77 and China"),
        also_for="and several other delegations",
        kind="joint",
        verification="partly_verified",
        document_symbol="A/AC.291/CRP.7",
        title="Joint statement on criminalization",
        text="We support a narrow scope. " * 8,
        sources=[
            {"url": SOURCE, "kind": "official_record"},
            {"url": "https://ngo.example.org/report", "kind": "ngo_report"},
        ],
    )
    rows = [
        ("Article 14", "support_with_changes", "delete 'without right'"),
        ("Art. 64", "support", ""),
        ("Article 5", "support", "keep paragraph 3"),
        ("Article 17", "oppose", ""),
    ]
    for label, stance, wants in rows:
        services.position_create(
            user=editor,
            statement=statement,
            provision=provisions[label],
            stance=stance,
            wants=wants,
            quote="Our delegation " + "cannot accept this wording " * 12,
            note="Check against the UN summary.",
        )
    return statement


def test_a_reviewer_reads_the_page_and_publishes_from_it_on_a_wide_and_a_phone_screen(
    page, browser, offline, live_server, transactional_db, screenshot
):
    editorial_groups_restore()
    statement = _draft()
    reviewer = make_user("rita", "Reviewers")
    url = live_server.url + reverse("desk:statement", args=[statement.pk])

    sign_in(page, live_server, reviewer)
    page.goto(url)
    summary = page.get_by_test_id("as-entered")
    expect(summary).to_contain_text("New Zealand (NZL) — co-signer")
    expect(summary).to_contain_text("Switzerland (CHE) — supporter")
    expect(summary).to_contain_text("Official record · Document A/AC.291/CRP.7")
    expect(page.get_by_test_id("positions")).to_contain_text("Art. 64 Signature")
    widths = page.evaluate(WIDEST)
    assert widths["doc"] <= widths["viewport"] and not widths["wide"], widths
    screenshot(page, "desk-statement-page")

    phone = new_page(
        browser, offline, viewport=PHONE, device_scale_factor=2, is_mobile=True
    )
    try:
        sign_in(phone, live_server, reviewer)
        phone.goto(url)
        expect(phone.get_by_test_id("review-box")).to_be_visible()
        widths = phone.evaluate(WIDEST)
        assert widths["viewport"] == PHONE["width"]
        assert widths["doc"] <= widths["viewport"] and not widths["wide"], widths
        screenshot(phone, "desk-statement-page-phone")
    finally:
        phone.context.close()

    page.get_by_test_id(f"publish-{statement.pk}").click()
    expect(page.get_by_test_id("message")).to_contain_text(
        "Published with its positions: Joint statement on criminalization"
    )
    assert page.url == url  # back on the statement's page, not the queue
    expect(page.get_by_test_id("review-box")).to_have_count(0)
    statement.refresh_from_db()
    assert statement.status == "published"
    assert set(statement.positions.values_list("status", flat=True)) == {"published"}
    # The message leads on to where readers now see it: its session page's anchor.
    screenshot(page, "desk-published-message", element=page.get_by_test_id("message"))
    page.get_by_test_id("published-public").click()
    page.wait_for_url(
        f"**/sessions/{statement.session.number}/#statement-{statement.pk}"
    )
    expect(page.locator(f"#statement-{statement.pk}")).to_contain_text(
        "Joint statement on criminalization"
    )
    expect(page.get_by_test_id("desk-nav")).to_have_count(0)  # a public page
