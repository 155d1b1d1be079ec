"""The editor's whole path on the desk: enter a statement with a speaker, 6 other
actors and positions on 5 provisions (one a paragraph created from the grid); the
reviewer publishes it from the queue; the public pages show it with verification
and wants; the editor's edit of it becomes a proposal the reviewer accepts."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from provisions.models import Provision
from states import services
from states.models import ChangeProposal, Statement
from tests.api_helpers import make_user
from tests.conftest import editorial_groups_restore
from tests.desk.desk_world import SOURCE, desk_world

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user):
    """Put a signed-in session cookie for `user` into the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )


def fill_row(page, prefix, index, values):
    for name, value in values.items():
        field = page.locator(f"[name={prefix}-{index}-{name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def test_editor_enters_reviewer_publishes_public_pages_show_it_and_a_proposal(
    page, live_server, transactional_db, screenshot
):
    editorial_groups_restore()
    session, provisions, speaker, others = desk_world()
    editor = make_user("edith", "Editors")
    reviewer = make_user("rita", "Reviewers")
    treaty = session.treaty

    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("desk:statement-new"))
    page.locator("[name=session]").select_option(str(session.pk))
    expect(page.get_by_test_id("session-dates")).to_contain_text(
        session.start_date.isoformat()
    )
    page.locator("[name=date]").fill(session.start_date.isoformat())
    page.locator("[name=actor]").fill("Japan")
    page.locator("[name=also_for]").fill("and several other delegations")
    page.locator("[name=kind]").select_option("joint")
    page.locator("[name=verification]").select_option("partly_verified")
    page.locator("[name=title]").fill("Joint statement on criminalization")
    page.locator("[name=text]").fill("We support a narrow scope.")
    expect(page.get_by_test_id("preview")).to_contain_text("narrow scope")
    for _ in range(4):  # 2 rows are there; 6 actors
        page.get_by_test_id("add-actor").click()
    for index, actor in enumerate(others):
        fill_row(
            page,
            "others",
            index,
            {"actor": actor.code, "role": "co_signer" if index < 3 else "supporter"},
        )
    fill_row(page, "sources", 0, {"url": SOURCE, "kind": "official_record"})
    page.get_by_test_id("add-position").click()
    page.get_by_test_id("add-position").click()
    rows = [
        {"provision": "14", "stance": "support_with_changes",
         "wants": "delete 'without right'"},
        {"provision": "Art. 64", "stance": "support"},
        {"provision": "Respect for human rights", "stance": "support",
         "wants": "keep paragraph 3"},
        {"provision": "Article 17", "stance": "oppose"},
        {"provision": "14(3)", "stance": "oppose", "wants": "delete paragraph 3",
         "create_as": "paragraph"},
    ]  # fmt: skip
    for index, values in enumerate(rows):
        fill_row(page, "rows", index, values)
    expect(page.locator(".counter").first).to_contain_text("characters left")
    screenshot(page, "desk-statement-form")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("positions")).to_be_visible()
    statement = Statement.objects.get()
    assert statement.positions.count() == 5
    assert statement.co_signers.count() == 3 and statement.supporters.count() == 3
    paragraph = Provision.objects.get(kind="paragraph")
    screenshot(page, "desk-statement-saved")

    sign_in(page, live_server, reviewer)
    page.goto(live_server.url + reverse("desk:review"))
    queue = page.get_by_test_id("review-drafts")
    expect(queue).to_contain_text("Partly verified")
    expect(queue).to_contain_text("edith")
    screenshot(page, "desk-review-queue")
    page.get_by_test_id(f"publish-{statement.pk}").click()
    expect(page.get_by_test_id("message")).to_contain_text("Published")
    statement.refresh_from_db()
    assert statement.status == "published"
    assert set(statement.positions.values_list("status", flat=True)) == {"published"}
    services.matrix_rebuild(treaty_id=treaty.pk)

    page.goto(
        live_server.url
        + reverse(
            "provision-detail",
            kwargs={"treaty": treaty.slug, "slug": provisions["Article 14"].slug},
        )
    )
    expect(page.get_by_test_id("wants").first).to_have_text(
        "Wants: delete 'without right'"
    )
    expect(page.get_by_test_id("verification").first).to_have_text("Partly verified")
    screenshot(page, "desk-public-provision")
    page.goto(
        live_server.url + reverse("treaty-matrix", kwargs={"treaty": treaty.slug})
    )
    cell = page.locator(
        f'a[data-testid="matrix-cell"][data-provision="{paragraph.pk}"]'
    ).first
    cell.click()
    panel = page.get_by_test_id("evidence-panel")
    expect(panel.get_by_test_id("ev-wants")).to_have_text("Wants: delete paragraph 3")
    expect(panel.get_by_test_id("ev-verification")).to_have_text("Partly verified")
    expect(panel.get_by_test_id("ev-source-kind")).to_have_text("(Official record)")
    screenshot(page, "desk-public-matrix-evidence")

    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("desk:statement", args=[statement.pk]))
    page.get_by_test_id("propose-form").locator("[name=title]").fill(
        "Joint statement on the scope of criminalization"
    )
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("message")).to_contain_text("proposed")
    statement.refresh_from_db()
    assert statement.title == "Joint statement on criminalization"
    proposal = ChangeProposal.objects.get()

    sign_in(page, live_server, reviewer)
    page.goto(live_server.url + reverse("desk:review"))
    expect(page.get_by_test_id(f"proposal-{proposal.pk}")).to_contain_text(
        "the scope of criminalization"
    )
    page.get_by_test_id(f"accept-{proposal.pk}").click()
    statement.refresh_from_db()
    assert statement.title == "Joint statement on the scope of criminalization"
    page.goto(live_server.url + reverse("desk:statement", args=[statement.pk]))
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("by rita, as proposed by edith")
    expect(history).to_contain_text("Created")
    expect(page.get_by_test_id("proposals")).to_contain_text("Accepted by rita")
    screenshot(page, "desk-history")


def test_editor_proposes_a_new_speaker_and_a_removed_position_reviewer_accepts(
    page, live_server, transactional_db, screenshot
):
    editorial_groups_restore()
    session, provisions, japan, others = desk_world()
    editor = make_user("edith", "Editors")
    reviewer = make_user("rita", "Reviewers")
    treaty = session.treaty
    statement = services.statement_create(
        user=editor,
        session=session,
        actor=japan,
        co_signers=[others[1]],
        title="Statement on criminalization",
        text="We support a narrow scope.",
        sources=[{"url": SOURCE, "kind": "official_record"}],
    )
    for label in ("Article 14", "Article 5"):
        services.position_create(
            user=editor,
            statement=statement,
            provision=provisions[label],
            stance="support",
            wants="keep paragraph 3",
        )
    services.statement_publish_with_positions(statement=statement, user=reviewer)
    services.matrix_rebuild(treaty_id=treaty.pk)
    removed = statement.positions.get(provision=provisions["Article 5"])

    def provision_page(label):
        page.goto(
            live_server.url
            + reverse(
                "provision-detail",
                kwargs={"treaty": treaty.slug, "slug": provisions[label].slug},
            )
        )
        return page.get_by_test_id("quotes")

    expect(provision_page("Article 5").locator("li[data-actor=JPN]")).to_have_count(1)

    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("desk:statement", args=[statement.pk]))
    form = page.get_by_test_id("propose-form")
    expect(form.locator("[name=actor]")).to_have_value("JPN")
    # A speaker nobody is called, and a date outside the session: refused, each
    # reason beside its field, what was typed kept.
    form.locator("[name=actor]").fill("Atlantis")
    form.locator("[name=date]").fill("2001-01-01")
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("error-actor")).to_contain_text("Atlantis")
    expect(form.locator("[name=date]")).to_have_value("2001-01-01")
    screenshot(page, "desk-propose-refused", element=form)
    assert not ChangeProposal.objects.exists()
    form.locator("[name=date]").fill("")
    form.locator("[name=actor]").fill("Australia")
    form.get_by_label("Respect for human rights (Support)").check()
    screenshot(page, "desk-propose-form", element=form)
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("message")).to_contain_text("proposed")
    proposal = ChangeProposal.objects.get()
    assert statement.positions.count() == 2  # held for the reviewer

    sign_in(page, live_server, reviewer)
    page.goto(live_server.url + reverse("desk:review"))
    item = page.get_by_test_id(f"proposal-{proposal.pk}")
    speaker = item.locator("tr", has_text="Speaker")
    expect(speaker.locator("del")).to_have_text("Japan")
    expect(speaker.locator("ins")).to_have_text("Australia")
    position = item.locator("tr", has_text="Position on Article 5")
    expect(position.get_by_test_id("diff-removed")).to_have_text("removed")
    expect(position.locator("del")).to_contain_text("Support")
    expect(item.locator("tr")).to_have_count(3)  # the header, speaker and position
    screenshot(page, "desk-review-proposal", element=item)
    page.get_by_test_id(f"accept-{proposal.pk}").click()
    expect(page.get_by_test_id("message")).to_contain_text("accepted")
    assert not statement.positions.filter(pk=removed.pk).exists()
    services.matrix_rebuild(treaty_id=treaty.pk)

    quotes = provision_page("Article 5")
    expect(quotes).to_contain_text("No published position on this provision yet.")
    screenshot(page, "desk-proposal-public-provision")
    quotes = provision_page("Article 14")
    expect(quotes.locator("li[data-actor=AUS]")).to_have_count(1)
    expect(quotes.locator("li[data-actor=JPN]")).to_have_count(0)
