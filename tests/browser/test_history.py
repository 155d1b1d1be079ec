"""A record's history on the desk: the editor sees what changed, named, and
restores an earlier version of a provision with one button; a statement's history
tells its positions' story with it."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from common.acting import acting_as
from provisions import services as provision_services
from states import services
from states.models import Statement
from tests.api_helpers import make_user
from tests.browser.test_desk import sign_in
from tests.conftest import editorial_groups_restore
from tests.desk.desk_world import desk_world, entry_data
from tests.factories import ChapterFactory, ProvisionFactory

pytestmark = pytest.mark.browser


def test_editor_reads_a_provisions_history_and_restores_a_version(
    page, live_server, transactional_db, screenshot
):
    editorial_groups_restore()
    editor = make_user("edith", "Editors")
    provision = ProvisionFactory(title="Illegal access")
    chapter = ChapterFactory(treaty=provision.treaty, number="II", title="Offences")
    with acting_as(editor):
        provision_services.provision_update(
            provision=provision, title="Unlawful access", chapter=chapter
        )

    sign_in(page, live_server, editor)
    page.goto(
        live_server.url + reverse("desk:history", args=["provision", provision.pk])
    )
    revisions = page.get_by_test_id("revision")
    expect(revisions).to_have_count(2)
    newest = revisions.first
    expect(newest).to_contain_text("Changed")
    expect(newest).to_contain_text("by edith")
    expect(newest).to_contain_text("Chapter II. Offences")
    expect(newest).to_contain_text("Unlawful access")
    screenshot(page, "desk-provision-history")

    revisions.last.get_by_test_id("restore").click()
    expect(page.get_by_test_id("message")).to_contain_text("Restored the version")
    expect(page.get_by_test_id("revision")).to_have_count(3)
    provision.refresh_from_db()
    assert provision.title == "Illegal access" and provision.chapter_id is None
    screenshot(page, "desk-provision-history-restored")


def test_editor_reads_a_statements_history_with_its_positions(
    page, live_server, transactional_db, screenshot
):
    """Entered from the form with a paragraph the grid created, a position changed
    and one deleted, then published with its positions by a reviewer: the page
    reads as one story, co-signers by name, and offers the editor no restore of
    what is published."""
    editorial_groups_restore()
    editor = make_user("edith", "Editors")
    reviewer = make_user("rita", "Reviewers")
    session, provisions, speaker, others = desk_world()
    rows = [
        ("14", "support_with_changes", "delete 'without right'", ""),
        ("Article 17", "oppose", "", ""),
        ("14(3)", "oppose", "delete paragraph 3", "paragraph"),
    ]
    client = Client()
    client.force_login(editor)
    response = client.post(
        reverse("desk:statement-new"),
        entry_data(session, speaker, others[:2], rows=rows),
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    article = statement.positions.get(provision=provisions["Article 14"])
    services.position_update(
        position=article, user=editor, stance="support", wants="", quote="We agree."
    )
    services.position_delete(
        position=statement.positions.get(provision=provisions["Article 17"]),
        user=editor,
    )
    client.force_login(reviewer)
    client.post(reverse("desk:review-publish", args=[statement.pk]))

    sign_in(page, live_server, editor)
    page.goto(
        live_server.url + reverse("desk:history", args=["statement", statement.pk])
    )
    versions = page.get_by_test_id("revision")
    expect(versions.first).to_contain_text("Published with 2 positions")
    expect(versions.first.get_by_test_id("published-with")).to_contain_text(
        "Support on Article 14 Illegal access"
    )
    created = versions.last
    expect(created).to_contain_text("Australia (AUS)")
    expect(page.get_by_test_id("new-provision")).to_have_count(1)
    expect(page.locator(".position-version").first).to_contain_text(
        "Position deleted on Article 17 Offences in other treaties"
    )
    # Only the deleted draft position can come back (either of its versions).
    expect(page.get_by_test_id("restore")).to_have_count(2)
    screenshot(page, "desk-statement-history")

    new = page.get_by_test_id("new-provision").locator("xpath=..")
    new.get_by_test_id("provision-history").click()
    expect(page.locator("h1 + .lede")).to_contain_text("Provision:")
    expect(page.get_by_test_id("revision")).to_contain_text("Created")
