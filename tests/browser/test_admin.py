"""Editor entry: a member of the Editors group records a statement in the admin."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from playwright.sync_api import expect

from provisions.models import Provision, Session
from states.models import Actor, Position, Statement, Status
from tests.conftest import editorial_groups_restore

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-browser-tests-only"
SOURCE = "https://example.org/statements/brazil-sixth-session"


def _autocomplete(page, select_id, typed, option):
    """Pick `option` in the admin's select2 widget that replaces <select id=…>."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()
    expect(page.locator(f"#{select_id} option:checked")).to_have_text(option)


def test_an_editor_adds_a_statement_with_a_position_in_the_admin(
    page, demo, screenshot
):
    # The Editors group comes from data migrations; an earlier test's flush may have
    # emptied it.
    editorial_groups_restore()
    editor = User.objects.create_user("edna", password=PASSWORD, is_staff=True)
    editor.groups.add(AuthGroup.objects.get(name="Editors"))
    session = Session.objects.get(number=6)
    actor = Actor.objects.get(code="BRA")
    provision = Provision.objects.get(slug="respect-for-human-rights")

    page.goto(demo.url + "/admin/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.locator("tr.model-statement a.addlink").click()
    expect(page.get_by_role("heading", name="Add statement")).to_be_visible()

    _autocomplete(page, "id_session", "Sixth", str(session))
    _autocomplete(page, "id_actor", "Brazil", actor.name)
    page.get_by_label("Title").fill("Brazil on human rights safeguards")
    page.get_by_label("Text").fill(
        "Brazil asked that the convention be implemented consistently with "
        "international human rights law."
    )
    page.get_by_label("Source url").fill(SOURCE)
    _autocomplete(page, "id_positions-0-provision", "human rights", provision.title)
    page.locator("#id_positions-0-stance").select_option(Position.Stance.SUPPORT)
    page.locator("#id_positions-0-quote").fill(
        "implemented consistently with international human rights law"
    )
    screenshot(page, "admin-statement-add")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text(
        "was added successfully"
    )
    # The change page shows the saved position in its inline.
    expect(page.locator("#id_positions-0-provision option:checked")).to_have_text(
        provision.title
    )
    expect(page.locator("#id_positions-0-stance")).to_have_value("support")
    screenshot(page, "admin-statement-saved")
    statement = Statement.objects.get(title="Brazil on human rights safeguards")
    assert (statement.session, statement.actor) == (session, actor)
    assert statement.source_url == SOURCE
    assert statement.status == Status.DRAFT
    assert statement.created_by == editor
    position = statement.positions.get()
    assert (position.provision, position.stance) == (provision, "support")
    assert position.quote.startswith("implemented consistently")
    assert position.status == Status.DRAFT
    assert (position.created_by, position.updated_by) == (editor, editor)

    # Its history: the revision that recorded the editor's save.
    page.get_by_role("link", name="1 revision").click()
    expect(page.get_by_role("heading", name="Select revision to view")).to_be_visible()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Brazil on human rights safeguards")
    expect(rows.first).to_contain_text("edna")
    screenshot(page, "admin-statement-history")
