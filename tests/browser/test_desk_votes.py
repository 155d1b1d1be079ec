"""An editor enters a recorded vote on the desk in a browser: pastes the lists as
the meeting coverage prints them, sees a name no actor matches, corrects it, checks
the preview (matches, non-voting members, totals) and saves every ballot — at
desktop and at phone width, with screenshots."""

import datetime

import pytest
from playwright.sync_api import expect

from states import acts
from states.models import Ballot
from tests.api_helpers import make_user
from tests.browser.conftest import new_page
from tests.browser.test_desk import sign_in
from tests.conftest import editorial_groups_restore
from tests.desk.acts_world import COVERAGE, acts_world

pytestmark = pytest.mark.browser

DESKTOP_1280 = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TYPO = COVERAGE.replace("Viet Nam", "Viet Nma")
LONG_NAME = COVERAGE.replace("Viet Nam", "Socialist Republic of Viet Nam")

# Wider than the viewport, outside a frame that scrolls on its own.
OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return !el.closest('.grid-scroll') && box.width > 0 && box.right > limit + 1;
  }).slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${el.className}`);
}"""


def paste_preview_and_save(page, vote, screenshot, name, *, by_alias=False):
    """From the desk home to saved ballots, the unmatched name corrected in the
    text or remembered as an alias; a screenshot of each preview."""
    page.get_by_test_id("desk-votes").click()
    page.get_by_test_id(f"ballots-{vote.pk}").click()
    page.locator("[name=text]").fill(LONG_NAME if by_alias else TYPO)
    page.get_by_test_id("preview-ballots").click()
    problems = page.get_by_test_id("preview-problems")
    expect(problems).to_contain_text("Nothing can be saved yet.")
    unmatched = "Socialist Republic of Viet Nam" if by_alias else "Viet Nma"
    expect(page.get_by_test_id("unmatched")).to_contain_text(f"“{unmatched}”")
    expect(page.get_by_test_id("save-ballots")).to_have_count(0)
    assert not page.evaluate(OVERFLOW)
    screenshot(page, f"desk-vote-preview-unmatched-{name}", element=problems)

    if by_alias:
        page.get_by_test_id("alias-actor-1").fill("Viet Nam")
        page.get_by_test_id("add-alias-1").click()
        expect(page.get_by_test_id("message")).to_contain_text(
            "is now an alias of Viet Nam"
        )
    else:
        # The pasted text is kept: correct the one name and preview again.
        field = page.locator("form[data-testid=paste-form] [name=text]")
        assert "Viet Nma" in field.input_value()
        field.fill(COVERAGE)
        page.get_by_test_id("preview-ballots").click()
    preview = page.get_by_test_id("vote-preview")
    expect(page.get_by_test_id("preview-totals")).to_contain_text(
        "In favour 4 · Against 3 · Abstaining 2 · Non-voting 1"
    )
    expect(page.get_by_test_id("non-voting")).to_have_text("France")
    expect(preview).to_contain_text("Nippon")  # the stored alias, matched to Japan
    assert not page.evaluate(OVERFLOW)
    screenshot(page, f"desk-vote-preview-{name}", element=preview)

    page.get_by_test_id("save-ballots").click()
    expect(page.get_by_test_id("message").last).to_contain_text(
        f"Ballots saved for {vote}: 4 in favour, 3 against, 2 abstaining, 1 non-voting"
    )
    expect(page.get_by_test_id("current-totals")).to_contain_text("In favour 4")
    expect(page.get_by_test_id("locked")).to_be_visible()  # now a reviewer's
    screenshot(page, f"desk-vote-saved-{name}")


def test_editor_pastes_previews_corrects_and_saves_a_vote(
    page, live_server, offline, browser, transactional_db, screenshot
):
    editorial_groups_restore()
    treaty, _, vote = acts_world()
    second = acts.vote_create(
        treaty=treaty,
        body="Third Committee",
        date=datetime.date(2019, 11, 18),
        document_symbol="A/C.3/74/L.11/Rev.1",
        title="The same text in committee",
        question="Recommend the draft resolution.",
    )
    editor = make_user("edith", "Editors")

    page.set_viewport_size(DESKTOP_1280)
    sign_in(page, live_server, editor)
    page.goto(live_server.url + "/desk/")
    paste_preview_and_save(page, vote, screenshot, "1280")
    assert Ballot.objects.filter(vote=vote).count() == 10

    phone = new_page(browser, offline, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(phone, live_server, editor)
        phone.goto(live_server.url + "/desk/")
        paste_preview_and_save(phone, second, screenshot, "390", by_alias=True)
    finally:
        phone.context.close()
    assert dict(
        Ballot.objects.filter(vote=second).values_list("actor__code", "choice")
    ) == dict(Ballot.objects.filter(vote=vote).values_list("actor__code", "choice"))


def test_editor_enters_a_ratification_and_a_reviewer_publishes_it(
    page, live_server, offline, browser, transactional_db, screenshot
):
    editorial_groups_restore()
    acts_world()
    editor = make_user("edith", "Editors")
    reviewer = make_user("rita", "Reviewers")

    page.set_viewport_size(DESKTOP_1280)
    sign_in(page, live_server, editor)
    page.goto(live_server.url + "/desk/")
    page.get_by_test_id("desk-treaty-actions").click()
    page.get_by_test_id("new-treaty-action").click()
    page.locator("[name=actor]").fill("Russia")
    page.locator("[name=kind]").select_option("ratification")
    page.locator("[name=date]").fill("2026-03-02")
    page.locator("[name=sources]").fill("https://treaties.un.org/ratification")
    page.locator("[name=verification]").select_option("partly_verified")
    page.get_by_test_id("save-treaty-action").click()
    expect(page.get_by_test_id("message")).to_contain_text(
        "Saved as a draft: Russian Federation: Ratification (2026-03-02)"
    )
    expect(page.get_by_test_id("publish-action")).to_have_count(0)  # not hers
    screenshot(page, "desk-treaty-action-draft-1280")

    phone = new_page(browser, offline, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(phone, live_server, reviewer)
        phone.goto(live_server.url + "/desk/review/")
        queue = phone.get_by_test_id("review-treaty-actions")
        expect(queue).to_contain_text("Russian Federation")
        expect(queue).to_contain_text("edith")
        assert not phone.evaluate(OVERFLOW)
        screenshot(phone, "desk-review-treaty-actions-390", element=queue)
        phone.locator("[data-testid^=publish-action-]").click()
        expect(phone.get_by_test_id("message")).to_contain_text(
            "Published: Russian Federation: Ratification"
        )
        expect(phone.get_by_test_id("review-treaty-actions")).to_contain_text(
            "No treaty actions wait for review."
        )
    finally:
        phone.context.close()

    page.reload()
    expect(page.get_by_test_id("locked")).to_be_visible()
    expect(page.get_by_test_id("save-treaty-action")).to_have_count(0)
    screenshot(page, "desk-treaty-action-published-1280")
