"""A draft sent back by a reviewer, fixed by its editor in the browser: the comment
is shown, a stance changed and a position added in the draft's own form, and the
statement's page shows the change."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from states import services
from states.models import Statement
from tests.api_helpers import make_user
from tests.browser.test_desk import sign_in
from tests.conftest import editorial_groups_restore
from tests.desk.desk_world import SOURCE, desk_world

pytestmark = pytest.mark.browser

COMMENT = "Article 14: Japan opposed it, it did not support it. Add Article 17 too."


def sent_back_draft():
    session, provisions, speaker, _ = desk_world()
    editor = make_user("edith", "Editors")
    reviewer = make_user("rita", "Reviewers")
    statement = services.statement_create(
        user=editor,
        session=session,
        actor=speaker,
        sources=[{"url": SOURCE, "kind": "official_record"}],
        date=session.start_date,
        title="Japan on criminalization",
        text="We support a narrow scope.",
        verification="verified",
    )
    for label in ("Article 14", "Art. 64"):
        services.position_create(
            user=editor,
            statement=statement,
            provision=provisions[label],
            stance="support",
        )
    services.statement_send_back(statement=statement, user=reviewer, comment=COMMENT)
    return editor, statement


def test_an_editor_fixes_a_sent_back_draft_in_its_form(
    page, live_server, transactional_db, screenshot
):
    editorial_groups_restore()
    editor, statement = sent_back_draft()
    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("desk:home"))
    expect(page.get_by_test_id("sent-back")).to_contain_text(COMMENT)
    page.get_by_role("link", name="Japan on criminalization").click()
    expect(page.get_by_test_id("review-comment")).to_contain_text(COMMENT)
    page.get_by_test_id("edit-draft").click()

    expect(page.get_by_test_id("review-comment")).to_contain_text(COMMENT)
    expect(page.locator("[name=title]")).to_have_value("Japan on criminalization")
    expect(page.locator("[name=rows-0-provision]")).to_have_value("Article 14")
    expect(page.locator("[name=rows-0-stance]")).to_have_value("support")
    page.locator("[name=rows-0-stance]").select_option("oppose")
    page.locator("[name=rows-0-wants]").fill("delete 'without right'")
    page.get_by_test_id("add-position").click()
    # Two rows of the draft, two empty ones, and the one just added.
    new_row = page.locator("[name=rows-4-provision]")
    new_row.press_sequentially("Article 17")
    page.locator("[name=rows-4-stance]").select_option("support_with_changes")
    page.locator("[name=rows-4-wants]").fill("keep paragraph 2")
    # The preview follows the edit as it does a new statement.
    expect(page.get_by_test_id("preview-positions")).to_contain_text(
        "Offences in other treaties — wants: keep paragraph 2"
    )
    screenshot(page, "desk-edit-form", element=page.get_by_test_id("positions-grid"))
    page.get_by_test_id("save-draft").click()

    expect(page.get_by_test_id("message")).to_contain_text(
        "Saved: Japan on criminalization"
    )
    positions = page.get_by_test_id("positions")
    expect(positions.locator("tr", has_text="Illegal access")).to_contain_text("Oppose")
    expect(positions.locator("tr", has_text="Illegal access")).to_contain_text(
        "delete 'without right'"
    )
    expect(
        positions.locator("tr", has_text="Offences in other treaties")
    ).to_contain_text("keep paragraph 2")
    expect(positions.locator("tr", has_text="Signature")).to_contain_text("Support")
    # Revised: a normal draft in the review queue again, no longer sent back.
    expect(page.get_by_test_id("review-comment")).to_have_count(0)
    expect(page.get_by_test_id("history")).to_contain_text("by edith")
    screenshot(page, "desk-edit-saved")
    statement.refresh_from_db()
    assert statement.review_comment == ""
    assert statement.positions.count() == 3
    assert Statement.objects.count() == 1
