"""Provision, search, actor, compare and session pages, checked against the database."""

import re

import pytest
from django.db.models import Q
from django.urls import reverse
from playwright.sync_api import expect

from provisions.models import Provision
from states import stances
from states.models import Actor, Position, Statement
from tests.browser import truth

pytestmark = pytest.mark.browser

ALL_KINDS = tuple(Actor.Kind.values)

# (provision, actor, badge before, badge after) of every move shown.
MOVES_JS = """section => [...section.querySelectorAll('ul.transitions > li')]
  .flatMap(li => {
    const heading = li.closest('ul').previousElementSibling;
    const badges = li.querySelectorAll('.transition .stance');
    return [...li.querySelectorAll('.actors a')].map(a => [
        heading.textContent.trim(), a.textContent.trim(),
        badges[0].textContent.trim(), badges[1].textContent.trim()]);
})"""


def _badge(stance):
    key = stance or stances.NO_POSITION
    return f"{stances.SYMBOLS[key]} {stances.LABELS[key]}"


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


def test_provision_page_shows_what_changed_between_two_chosen_drafts(
    page, demo, screenshot
):
    provision = Provision.objects.get(slug="respect-for-human-rights")
    # The demo has no article's text on record: an editor enters two drafts' texts.
    first, *entered = provision.texts.order_by("draft__session__number", "id")
    entered[0].text = "States Parties shall implement this Convention."
    entered[1].text = "Each State Party shall ensure it implements this Convention."
    for text in entered:
        text.save()
    page.goto(demo.url + provision.get_absolute_url())
    texts = list(
        page.locator("ol.drafts > li").evaluate_all("els => els.map(e => e.id)")
    )
    assert len(texts) == 3
    expect(page.locator(f"#draft-{first.draft_id}")).to_contain_text("not on record")
    old_text, new_text = (
        provision.texts.get(draft_id=int(element.removeprefix("draft-")))
        for element in texts[1:]
    )

    form = page.get_by_test_id("diff-form")
    form.get_by_label("From").select_option(str(old_text.draft_id))
    form.get_by_label("To").select_option(str(new_text.draft_id))
    form.get_by_role("button", name="Compare").click()
    page.wait_for_url(f"**from={old_text.draft_id}&to={new_text.draft_id}#h-diff")

    diff = page.get_by_test_id("diff")
    expect(diff.locator("ins").first).to_be_visible()
    expect(diff.locator("del").first).to_be_visible()
    # Dropping the insertions gives the old text back, dropping the deletions the new.
    without = (
        "(el, tag) => { const c = el.cloneNode(true);"
        " c.querySelectorAll(tag).forEach(n => n.remove()); return c.textContent; }"
    )
    assert diff.evaluate(without, "ins") == old_text.text
    assert diff.evaluate(without, "del") == new_text.text
    expect(page.locator("#h-diff ~ p.meta")).to_contain_text(
        f"{old_text.label} in {old_text.draft.title}"
    )
    screenshot(page, "provision-diff")


def _word_of_one_statement():
    """A long word that occurs in the text of exactly one published statement."""
    statements = list(Statement.objects.published().order_by("id"))
    texts = [s.text.lower() for s in statements]
    for statement in statements:
        for word in sorted(set(re.findall(r"[a-z]{9,}", statement.text.lower()))):
            if sum(word in text for text in texts) == 1:
                return statement, word
    raise AssertionError("no statement has a word of its own")


def test_search_from_the_home_page_finds_a_statement_by_one_of_its_words(
    page, demo, screenshot
):
    statement, word = _word_of_one_statement()
    treaty = truth.demo_treaty()
    page.goto(demo.url + "/")
    card = page.get_by_test_id("treaty-card")
    expect(card.get_by_role("heading", level=2)).to_have_text(str(treaty))
    counts = dict(
        zip(
            card.locator(".counts dt").all_text_contents(),
            card.locator(".counts dd").all_text_contents(),
            strict=True,
        )
    )
    published = Statement.objects.published().filter(session__treaty=treaty)
    assert counts == {
        "Sessions": str(treaty.sessions.count()),
        "Provisions": str(treaty.provisions.count()),
        "Published statements": str(published.count()),
        "Published positions": str(
            Position.objects.published().filter(statement__in=published).count()
        ),
    }
    screenshot(page, "home")

    page.get_by_role("searchbox", name="Search the record").fill(word)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/search/\?q={word}$"))

    results = page.get_by_test_id("search-statements")
    link = f'a[href$="/#statement-{statement.id}"]'
    hit = results.locator("li").filter(has=page.locator(link))
    expect(hit.locator(link)).to_have_text(statement.title)
    expect(hit.locator(".snippet mark")).to_have_text(word, ignore_case=True)
    screenshot(page, "search")

    hit.locator(link).click()
    page.wait_for_url(f"**#statement-{statement.id}")
    entry = page.locator(f"#statement-{statement.id}")
    expect(entry).to_be_visible()
    expect(entry.locator("h3")).to_have_text(statement.title)
    expect(entry).to_contain_text(word, ignore_case=True)


def test_actor_page_from_the_matrix_lists_its_groups_statements_and_positions(
    page, demo, screenshot
):
    actor = Actor.objects.get(code="RUS")
    treaty = truth.demo_treaty()
    page.goto(demo.url + reverse("treaty-matrix", kwargs={"treaty": treaty.slug}))
    page.locator('tr[data-actor="RUS"] th a').click()
    page.wait_for_url(f"**{actor.get_absolute_url()}")

    expect(page.get_by_test_id("actor")).to_have_attribute("data-actor", "RUS")
    expect(page.get_by_role("heading", level=1)).to_have_text(actor.name)
    groups = sorted(actor.memberships.values_list("group__name", flat=True))
    assert groups
    pills = page.locator("p.meta .pill").all_text_contents()
    assert sorted(_squash(p) for p in pills) == groups

    titles = page.get_by_test_id("actor-statements").locator("h3").all_text_contents()
    own = actor.statements.published().values_list("title", flat=True)
    assert set(own) <= set(titles)

    number = truth.session_number(
        page.locator("section[aria-labelledby=h-positions] p.meta a").get_attribute(
            "href"
        )
    )
    cells = {
        provision: run
        for (code, provision), run in truth.cells_as_of(
            treaty, number, kinds=ALL_KINDS
        ).items()
        if code == "RUS"
    }
    assert cells
    rows = page.get_by_test_id("actor-positions").locator("tbody tr")
    expect(rows).to_have_count(len(cells))
    shown = rows.evaluate_all(
        "rows => rows.map(r => [r.querySelector('a').hash,"
        " r.querySelector('.stance').textContent.trim()])"
    )
    assert dict(shown) == {
        f"#position-{run.position_id}": _badge(run.stance) for run in cells.values()
    }
    screenshot(page, "actor-rus")


def test_compare_page_puts_two_actors_stances_side_by_side(page, demo, screenshot):
    treaty = truth.demo_treaty()
    page.goto(demo.url + reverse("treaty-compare", kwargs={"treaty": treaty.slug}))
    page.get_by_label("Actor 1", exact=True).fill("United States of America (USA)")
    page.get_by_label("Actor 2", exact=True).fill("china")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**actors=china**")

    table = page.get_by_test_id("compare-table")
    expect(table.locator("thead th")).to_have_text(
        ["Provision", "United States of America", "China"]
    )
    number = truth.session_number(
        page.locator("main p.meta a").first.get_attribute("href")
    )
    cells = truth.cells_as_of(treaty, number, kinds=ALL_KINDS)
    expected = {}
    for (code, provision), run in cells.items():
        if code in ("USA", "CHN"):
            expected.setdefault(provision, {"USA": None, "CHN": None})[code] = (
                run.stance
            )
    assert len(expected) >= 5
    shown = table.locator("tr[data-provision]").evaluate_all(
        "rows => rows.map(r => [Number(r.dataset.provision),"
        " [...r.querySelectorAll('td.c .stance')].map(s => s.textContent.trim())])"
    )
    assert dict(shown) == {
        provision: [_badge(stances["USA"]), _badge(stances["CHN"])]
        for provision, stances in expected.items()
    }
    screenshot(page, "compare-usa-chn")


def test_actors_page_narrows_the_list_as_one_types(page, demo, screenshot):
    page.goto(demo.url + reverse("actor-list"))
    rows = page.get_by_test_id("actor-table").locator("tbody tr")
    expect(rows).to_have_count(Actor.objects.count())
    page.get_by_label("Name or code").press_sequentially("kor", delay=30)
    expected = sorted(
        Actor.objects.filter(Q(name__icontains="kor") | Q(code="KOR")).values_list(
            "code", flat=True
        )
    )
    assert expected
    expect(rows).to_have_count(len(expected))
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.actor)")) == expected
    page.wait_for_url("**q=kor**")
    page.get_by_label("Name or code").fill("")
    page.get_by_label("Kind").select_option("civil_society")
    page.wait_for_url("**kind=civil_society**")
    expect(rows).to_have_count(Actor.objects.filter(kind="civil_society").count())
    screenshot(page, "actors-kor")


def _busiest_session(treaty):
    """The session with the most stance changes among the parties since the last."""
    best = None
    for session in treaty.sessions.order_by("number"):
        previous = truth.previous_session(session)
        if previous is None:
            continue
        before = truth.cells_as_of(treaty, previous.number)
        after = truth.cells_as_of(treaty, session.number)
        moves = {
            key
            for key in before.keys() | after.keys()
            if getattr(before.get(key), "stance", None)
            != getattr(after.get(key), "stance", None)
        }
        if best is None or len(moves) > len(best[2]):
            best = (session, previous, moves, before, after)
    return best


def test_session_page_shows_who_moved_since_the_previous_session(
    page, demo, screenshot
):
    treaty = truth.demo_treaty()
    session, previous, moves, before, after = _busiest_session(treaty)
    assert len(moves) >= 5
    page.goto(
        demo.url
        + reverse(
            "session-detail", kwargs={"treaty": treaty.slug, "number": session.number}
        )
    )
    section = page.get_by_test_id("who-moved")
    expect(section.locator("h2")).to_have_text(f"Who moved since {previous.title}")
    summary = _squash(section.locator("p.meta").first.text_content())
    assert re.search(rf"\b{len(moves)} changes? of stance\b", summary), summary
    assert f"between session {previous.number} and session {session.number}" in (
        summary
    )
    provisions = len({provision for _, provision in moves})
    assert re.search(rf"\bon {provisions} provisions?\b", summary), summary
    names = dict(Actor.objects.values_list("code", "name"))
    titles = dict(Provision.objects.values_list("id", "title"))
    expected = sorted(
        (
            titles[provision],
            names[code],
            _badge(getattr(before.get((code, provision)), "stance", None)),
            _badge(getattr(after.get((code, provision)), "stance", None)),
        )
        for code, provision in moves
    )
    shown = sorted(
        tuple(_squash(x) for x in move) for move in section.evaluate(MOVES_JS)
    )
    # Each provision lists its first MOVES_PER_PROVISION changes, then "and N more".
    from collections import Counter

    from pages.selectors.session import MOVES_PER_PROVISION

    per_provision = Counter(title for title, *_ in expected)
    assert set(shown) <= set(expected)
    assert len(shown) == sum(
        min(n, MOVES_PER_PROVISION) for n in per_provision.values()
    )
    screenshot(page, f"session-{session.number}-who-moved", element=section)
