"""A record's history on the desk: the editor sees what changed, named, and
restores an earlier version of a provision with one button."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from common.acting import acting_as
from provisions import services as provision_services
from tests.api_helpers import make_user
from tests.browser.test_desk import sign_in
from tests.conftest import editorial_groups_restore
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
