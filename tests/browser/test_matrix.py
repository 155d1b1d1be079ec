"""The matrix page as a person uses it: filters, evidence, keyboard, a phone."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pages.templatetags.site_tags import source_address
from states import services
from states.models import Actor, Membership, Position
from tests.browser import truth
from tests.browser.conftest import new_page
from tests.factories import (
    ActorFactory,
    PositionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.browser


def _matrix_url(server, treaty):
    return server.url + reverse("treaty-matrix", kwargs={"treaty": treaty.slug})


def _shown_session(page):
    href = page.locator(".matrix-meta a").first.get_attribute("href")
    return truth.session_number(href)


def _evidence_cell(treaty, number, codes):
    """A direct (not inherited) cell of one of `codes` with a quote and a source."""
    cells = truth.cells_as_of(treaty, number)
    direct = {
        run.position_id: key
        for key, run in cells.items()
        if not run.via and key[0] in codes
    }
    position = (
        Position.objects.filter(id__in=direct)
        .exclude(quote="")
        .exclude(statement__source_url="")
        .select_related("statement", "provision", "statement__actor")
        .order_by("statement__actor__name", "provision__order")
        .first()
    )
    assert position is not None, "the demo data has no quoted direct position"
    return position, cells[direct[position.id]]


def test_filter_by_a_regional_group_then_follow_a_cells_evidence_to_its_source(
    page, demo, offline, screenshot
):
    treaty = truth.demo_treaty()
    page.goto(_matrix_url(demo, treaty))
    rows = page.get_by_test_id("matrix-table").locator("tbody tr[data-actor]")
    expect(rows.first).to_be_visible()
    unfiltered = rows.count()

    # Choosing a group submits the form by itself (static/js/matrix.js).
    page.get_by_label("Group").select_option(label="African States")
    page.wait_for_url("**group=african-states**")
    expect(page.get_by_label("Group")).to_have_value("african-states")

    session = treaty.sessions.get(number=_shown_session(page))
    members = set(
        Membership.objects.covering(session.start_date)
        .filter(group__slug="african-states", actor__kind__in=Actor.PARTY_KINDS)
        .values_list("actor__code", flat=True)
    )
    assert len(members) > 20
    shown = rows.evaluate_all("rows => rows.map(r => r.dataset.actor)")
    assert sorted(shown) == sorted(members)
    assert len(shown) < unfiltered
    # Every cell of a row belongs to that row's actor.
    cell_actors = set(
        page.get_by_test_id("matrix-cell").evaluate_all(
            "cells => cells.map(c => c.closest('tr').dataset.actor)"
        )
    )
    assert cell_actors and cell_actors <= members  # stance cells, none outside
    screenshot(page, "matrix-african-states")

    position, run = _evidence_cell(treaty, session.number, members)
    statement = position.statement
    cell = page.locator(
        f'tr[data-actor="{statement.actor.code}"] a[data-testid="matrix-cell"]'
        f'[data-provision="{position.provision_id}"]'
    )
    expect(cell).to_have_attribute("data-position", str(position.id))
    expect(cell).to_have_class(f"cell s-{position.stance}")

    cell.click()
    panel = page.get_by_test_id("evidence-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#ev-title")).to_contain_text(statement.actor.name)
    expect(panel.locator("#ev-provision")).to_have_text(position.provision.title)
    expect(panel.locator("#ev-quote")).to_have_text(f"“{position.quote}”")
    expect(panel.locator("#ev-stance")).to_contain_text(position.get_stance_display())
    expect(panel.locator("#ev-session")).to_contain_text(
        f"in force since session {run.from_number}"
    )
    expect(panel.locator("#ev-role")).to_have_text("The speaker")
    statement_link = panel.locator("#ev-statement a")
    expect(statement_link).to_have_text(statement.title)
    expect(statement_link).to_have_attribute(
        "href",
        reverse(
            "session-detail",
            kwargs={"treaty": treaty.slug, "number": statement.session.number},
        )
        + f"#statement-{statement.id}",
    )
    source = panel.locator("#ev-source a")
    expect(source).to_have_attribute("href", statement.source_url)
    # The link reads as where it goes, as the provision page's does.
    expect(source).to_have_text(source_address(statement.source_url))
    expect(panel.get_by_test_id("ev-source-document")).to_be_hidden()  # no symbol
    assert "noopener" in source.get_attribute("rel").split()
    assert urlsplit(statement.source_url).netloc != urlsplit(demo.url).netloc
    screenshot(page, "matrix-evidence")

    # Follow the source link; the external page is stubbed, the machine is offline.
    offline.stub(statement.source_url)
    source.click()
    page.wait_for_url(statement.source_url)
    assert offline.followed == [statement.source_url]

    # Back on the matrix, the same evidence leads to the provision's quotes.
    page.go_back()
    cell.click()
    panel.get_by_role("link", name="All statements on this provision").click()
    page.wait_for_url(f"**{position.provision.get_absolute_url()}#quotes")
    expect(page.get_by_role("heading", level=1)).to_have_text(position.provision.title)
    quote = page.locator(f"#position-{position.id}")
    expect(quote).to_be_visible()
    expect(quote.locator("blockquote")).to_have_text(f"“{position.quote}”")
    # Each source is named by its kind and its symbol or address (the first is
    # the statement's source URL).
    expect(quote.get_by_test_id("source").first).to_have_attribute(
        "href", statement.source_url
    )
    expect(quote.get_by_test_id("source").first).to_have_text(
        source_address(statement.source_url)
    )
    screenshot(page, "provision-quotes")


def test_the_evidence_links_a_long_source_by_its_address_then_its_document(
    page, live_server, transactional_db, screenshot
):
    """The link text is the address, shortened as the server shortens it, with its
    kind and the statement's document symbol after it, all set as text."""
    session = SessionFactory(number=1, treaty__slug="evidence-con")
    long_url = "https://www.un.org/" + "/".join(["part"] * 40) + "/A_AC.291_CRP.13.pdf"
    statement = StatementFactory(
        session=session,
        actor=ActorFactory(code="JPN", name="Japan"),
        source_url=long_url,
        document_symbol="<b>A/AC.291/CRP.13</b>",
    )
    position = PositionFactory(statement=statement, quote="Narrow the scope.")
    services.matrix_rebuild(treaty_id=session.treaty.pk)
    page.goto(_matrix_url(live_server, session.treaty))
    page.locator(f'a[data-testid="matrix-cell"][data-position="{position.pk}"]').click()
    panel = page.get_by_test_id("evidence-panel")
    source = panel.locator("#ev-source a")
    expect(source).to_have_text("un.org/…/A_AC.291_CRP.13.pdf")
    assert source_address(long_url) == "un.org/…/A_AC.291_CRP.13.pdf"
    expect(source).to_have_attribute("href", long_url)
    expect(panel.get_by_test_id("ev-source-kind")).to_have_text("(Official record)")
    document = panel.get_by_test_id("ev-source-document")
    expect(document).to_have_text("· Document <b>A/AC.291/CRP.13</b>")
    assert panel.locator("#ev-source-document b, #ev-source b").count() == 0
    screenshot(page, "matrix-evidence-source-address")


def test_keyboard_opens_and_closes_a_cells_evidence(page, demo, screenshot):
    treaty = truth.demo_treaty()
    chapter = treaty.chapters.get(number="II")
    # A filtered view keeps the page small; every Tab stop before the cells remains.
    page.goto(_matrix_url(demo, treaty) + f"?group=african-states&chapter={chapter.pk}")
    expect(page.get_by_test_id("matrix-table")).to_be_visible()
    focused_cell = "() => document.activeElement.matches('a[data-testid=matrix-cell]')"
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate(focused_cell):
            break
    else:
        pytest.fail("Tab never reached a matrix cell")
    cells = page.locator('a[data-testid="matrix-cell"]')
    assert cells.count() >= 2
    # Tab order follows the table: the first cell Tab reaches is the first one shown.
    expect(cells.first).to_be_focused()
    position_id = cells.first.get_attribute("data-position")
    position = Position.objects.select_related("statement__actor").get(id=position_id)

    page.keyboard.press("Enter")
    panel = page.get_by_test_id("evidence-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#ev-title")).to_contain_text(position.statement.actor.name)
    expect(panel.locator("#ev-quote")).to_have_text(
        f"“{position.quote}”" if position.quote else "No quote recorded."
    )
    screenshot(page, "matrix-keyboard-evidence")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # Focus returns to the cell, so the reader keeps their place in the table.
    expect(cells.first).to_be_focused()
    page.keyboard.press("Tab")
    expect(cells.nth(1)).to_be_focused()


def test_matrix_fits_a_phone_and_scrolls_inside_its_frame(
    browser, offline, demo, screenshot
):
    treaty = truth.demo_treaty()
    page = new_page(
        browser,
        offline,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page.goto(_matrix_url(demo, treaty))
        expect(page.get_by_test_id("matrix-table")).to_be_visible()
        screenshot(page, "matrix-phone")
        widths = page.evaluate(
            """() => ({
                doc: document.documentElement.scrollWidth,
                body: document.body.scrollWidth,
                viewport: document.documentElement.clientWidth,
                wrapScroll: document.querySelector('.matrix-wrap').scrollWidth,
                wrapClient: document.querySelector('.matrix-wrap').clientWidth,
            })"""
        )
        assert widths["viewport"] == 390
        assert widths["doc"] <= widths["viewport"], widths
        assert widths["body"] <= widths["viewport"], widths
        # The table is far wider than a phone: it scrolls inside its container.
        assert widths["wrapScroll"] > widths["wrapClient"], widths
        assert widths["wrapClient"] <= widths["viewport"], widths
    finally:
        page.context.close()
    assert not offline.blocked, offline.blocked


def test_a_supporters_cell_says_it_supports_anothers_statement(page, demo, screenshot):
    """A supporter's cell rests on the speaker's statement: the evidence names the
    speaker and says the row's state is a supporter, not that it spoke."""
    treaty = truth.demo_treaty()
    supported = Position.objects.filter(
        statement__session__treaty=treaty, statement__supporters__isnull=False
    ).values_list("id", "statement__supporters__code", "statement__session__number")
    for position_id, code, number in supported.order_by("statement__session__number"):
        run = truth.cells_as_of(treaty, number).get(
            (code, Position.objects.get(id=position_id).provision_id)
        )
        if run and run.position_id == position_id and not run.via:
            break
    else:
        pytest.fail("the demo data has no supporter's cell")
    position = Position.objects.select_related("statement__actor").get(id=position_id)
    page.goto(_matrix_url(demo, treaty) + f"?session={number}&actor={code}")
    cell = page.locator(
        f'tr[data-actor="{code}"] a[data-testid="matrix-cell"]'
        f'[data-position="{position_id}"]'
    )
    cell.click()
    panel = page.get_by_test_id("evidence-panel")
    expect(panel.get_by_test_id("ev-role")).to_have_text(
        f"A supporter of {position.statement.actor.name}’s statement"
    )
    # The speaker line names the supporters as such, as the provision page does.
    names = ", ".join(
        position.statement.supporters.order_by("name").values_list("name", flat=True)
    )
    expect(panel.get_by_test_id("ev-speaker")).to_contain_text(f"supported by {names}")
    screenshot(page, "matrix-supporter-evidence")


def test_a_joint_statements_cells_name_its_co_signers_and_supporters(
    page, live_server, transactional_db, screenshot
):
    """Japan's statement with three co-signers and three supporters: the speaker's,
    a co-signer's and a supporter's cell each name them all, co-signers with the
    speaker, then the supporters as such, then the support that names no actor —
    all set as text."""
    session = SessionFactory(number=1, treaty__slug="joint-con")
    actors = {
        code: ActorFactory(code=code, name=name)
        for code, name in (
            ("JPN", "Japan"),
            ("AUS", "Australia"),
            ("CAN", "Canada"),
            ("GBR", "United Kingdom"),
            ("NOR", "Norway"),
            ("CHE", "Switzerland"),
            ("NZL", "New Zealand"),
        )
    }
    statement = StatementFactory(
        session=session,
        actor=actors["JPN"],
        also_for="and several <i>other</i> delegations",
    )
    statement.co_signers.add(actors["AUS"], actors["CAN"], actors["GBR"])
    statement.supporters.add(actors["NOR"], actors["CHE"], actors["NZL"])
    position = PositionFactory(statement=statement, quote="Keep the safeguards.")
    services.matrix_rebuild(treaty_id=session.treaty.pk)
    page.goto(_matrix_url(live_server, session.treaty))
    panel = page.get_by_test_id("evidence-panel")
    speaker_line = (
        "Japan with Australia, Canada, United Kingdom, supported by New Zealand, "
        "Norway, Switzerland, and several <i>other</i> delegations"
    )
    for code, part in (
        ("JPN", "The speaker"),
        ("CAN", "A co-signer of Japan’s statement"),
        ("NOR", "A supporter of Japan’s statement"),
    ):
        page.locator(
            f'tr[data-actor="{code}"] a[data-testid="matrix-cell"]'
            f'[data-position="{position.pk}"]'
        ).click()
        expect(panel).to_be_visible()
        expect(panel.get_by_test_id("ev-speaker")).to_have_text(speaker_line)
        expect(panel.get_by_test_id("ev-role")).to_have_text(part)
        assert panel.locator("#ev-speaker i").count() == 0
        if code == "NOR":
            screenshot(page, "matrix-joint-statement-evidence", element=panel)
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
