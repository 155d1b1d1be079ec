"""Playwright with Debian's Chromium against pytest-django's live_server.

Playwright's own browser download does not work on our machines, so the system
Chromium is launched by path. Every test may save a full-page screenshot under
artifacts/screenshots/ (git-ignored) for a reviewer to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import REQUIRE_SERVICES

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps dialling Google on a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(_plain_http, live_server):
    """pytest-django's live server, started after _plain_http (see there)."""
    return live_server


@pytest.fixture(scope="session")
def _plain_http():
    """The live server speaks plain HTTP, whatever DJANGO_SECURE_SSL_REDIRECT says.

    Its middleware is built once, when it starts, so the per-test settings of
    tests/conftest.py come too late: without this Chromium is sent to https:// and
    fails with ERR_SSL_PROTOCOL_ERROR.
    """
    from django.conf import settings

    redirect = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = redirect


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if not executable:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Offline:
    """Keeps the browser on the live server: the machines have no internet.

    A request to any other origin is aborted and recorded, unless a test stubbed that
    exact URL (to follow an external link without leaving the machine).
    """

    def __init__(self, origin):
        self.origin = origin
        self.stubs = {}
        self.blocked = []
        self.followed = []

    def stub(self, url, body="<!doctype html><title>Stub</title><h1>External</h1>"):
        self.stubs[url] = body

    def route(self, route):
        url = route.request.url
        if url.startswith(self.origin + "/"):
            route.continue_()
        elif url in self.stubs:
            self.followed.append(url)
            route.fulfill(status=200, content_type="text/html", body=self.stubs[url])
        else:
            self.blocked.append(url)
            route.abort()


def new_page(browser, offline, *, viewport=DESKTOP, **context_options):
    """A page in a fresh browser context that cannot reach beyond the live server."""
    context = browser.new_context(viewport=viewport, **context_options)
    context.set_default_timeout(10_000)
    context.route("**/*", offline.route)
    return context.new_page()


@pytest.fixture
def offline(live_server):
    return Offline(live_server.url)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def page(request, browser, offline):
    failed_shot = SCREENSHOTS / f"FAILED-{request.node.name}.png"
    failed_shot.unlink(missing_ok=True)
    page = new_page(browser, offline)
    # Chromium reports what the Content-Security-Policy blocked on the console.
    blocked_by_csp = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and blocked_by_csp.append(message.text)
        ),
    )
    yield page
    if getattr(request.node, "browser_test_failed", False):
        # What the browser showed when the test failed, for whoever reads the CI run.
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(failed_shot), full_page=True)
    page.context.close()
    # The public site serves its own assets; a request elsewhere is a bug.
    assert not offline.blocked, f"requests left the site: {offline.blocked}"
    # Refusing to be framed is the policy doing its job (the embed test frames an
    # ordinary page on purpose); any other block is a page the CSP broke.
    broken = [text for text in blocked_by_csp if "frame-ancestors" not in text]
    assert not broken, f"blocked by the CSP: {broken}"


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo data, loaded into the database the live server reads."""
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, *, element=None):
        """The full page; also `element` alone when the page is too long to read."""
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if element is not None:
            element.screenshot(path=str(SCREENSHOTS / f"{name}-detail.png"))
        return path

    return take
