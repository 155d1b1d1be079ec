"""An embed loads when another origin frames it; an ordinary page does not."""

import http.server
import threading

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from states import services as state_services
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def other_origin():
    """Serve one HTML page from a second server on 127.0.0.1 (the live server is
    localhost: another origin). A real server, not a stubbed response: Chromium
    refuses to let a page it cannot place on the local network frame a local one."""
    servers = []

    def serve(html):
        body = html.encode()

        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_embed_is_framed_by_another_origin_and_a_page_is_not(
    transactional_db, live_server, page, other_origin, screenshot
):
    session = SessionFactory(number=1)
    provision = ProvisionFactory(
        treaty=session.treaty, slug="safeguards", title="Human-rights safeguards"
    )
    PositionFactory(
        statement=StatementFactory(session=session, actor=ActorFactory(code="AAA")),
        provision=provision,
        stance="support",
    )
    state_services.matrix_rebuild(treaty_id=session.treaty.pk)
    slugs = {"treaty": session.treaty.slug, "slug": "safeguards"}
    embed = live_server.url + reverse("embed-provision", kwargs=slugs)
    ordinary = live_server.url + reverse("provision-detail", kwargs=slugs)
    other_site = other_origin(
        "<!doctype html><title>An article</title><h1>Our article</h1>"
        f'<iframe id="embed" src="{embed}" width="600" height="300"></iframe>'
        f'<iframe id="ordinary" src="{ordinary}" width="600" height="300"></iframe>'
    )
    # The router keeps the browser on the live server; this origin may pass too.
    page.route(f"{other_site}**", lambda route: route.continue_())

    page.goto(other_site)
    framed = page.frame_locator("#embed")
    expect(framed.locator('[data-testid="embed-provision"]')).to_be_visible()
    expect(framed.locator("h1")).to_have_text("Human-rights safeguards")
    expect(
        framed.locator('[data-testid="embed-counts"] [data-stance="support"]')
    ).to_contain_text("Support: 1")
    # X-Frame-Options: DENY keeps every other page out of frames.
    page.wait_for_timeout(500)
    frames = {f.url: f for f in page.frames}
    assert ordinary not in frames or not frames[ordinary].query_selector(
        '[data-testid="provision"]'
    )
    assert (
        page.frame_locator("#ordinary").locator('[data-testid="provision"]').count()
        == 0
    )
    screenshot(page, "embed-framed-by-another-origin")
