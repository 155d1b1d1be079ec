import pytest

pytestmark = pytest.mark.browser


def test_home_page_shows_the_treaties_on_record(page, demo, screenshot):
    page.goto(demo.url + "/")
    assert page.locator("h1").first.is_visible()
    assert "Cybercrime" in page.content() or "cybercrime" in page.content()
    assert screenshot(page, "home").exists()
