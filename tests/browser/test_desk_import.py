"""An editor imports a spreadsheet on the desk: a file with an issue is refused with
the row and column, the corrected file's dry run is confirmed, drafts are saved."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from states.models import Statement
from tests.api_helpers import make_user
from tests.browser.test_desk import sign_in
from tests.conftest import editorial_groups_restore
from tests.states.import_world import csv_bytes, good_rows, import_world, xlsx_bytes

pytestmark = pytest.mark.browser


def test_editor_uploads_sees_the_issues_then_imports_the_corrected_file(
    page, live_server, transactional_db, screenshot, tmp_path
):
    editorial_groups_restore()
    import_world()
    editor = make_user("edith", "Editors")
    rows = good_rows()
    rows[1]["stance"] = "maybe"
    rows[3]["date"] = "2024-02-12"
    bad = tmp_path / "positions.csv"
    bad.write_bytes(csv_bytes(rows))
    good = tmp_path / "positions.xlsx"
    good.write_bytes(xlsx_bytes(good_rows()))

    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("desk:home"))
    page.get_by_test_id("import-link").click()
    expect(page.get_by_test_id("column-guide")).to_contain_text("co_signers")
    page.locator("[name=file]").set_input_files(str(bad))
    page.get_by_test_id("dry-run").click()
    issues = page.get_by_test_id("import-issues")
    expect(issues).to_contain_text("“maybe” is not allowed")
    expect(issues).to_contain_text("outside session 7's dates 29 Jan–9 Feb 2024")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    screenshot(page, "desk-import-issues")

    page.goto(live_server.url + reverse("desk:import"))
    page.locator("[name=file]").set_input_files(str(good))
    page.get_by_test_id("dry-run").click()
    expect(page.get_by_test_id("positions-create")).to_have_text("4")
    screenshot(page, "desk-import-dry-run")
    assert Statement.objects.count() == 0
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("drafts for review")
    screenshot(page, "desk-import-done")
    assert Statement.objects.filter(created_by=editor, status="draft").count() == 2
