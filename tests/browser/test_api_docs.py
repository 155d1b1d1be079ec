"""The API docs (Swagger UI from drf-spectacular-sidecar) work under their CSP."""

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_under_the_csp(page, transactional_db, live_server, screenshot):
    response = page.goto(live_server.url + "/api/docs/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").filter(
        has_text="Treaty Tracker API"
    ).wait_for()
    block = page.locator(".opblock", has_text="/api/v1/statements/").first
    block.wait_for()
    # Swagger UI's stylesheet applied: an operation is a laid-out block, not raw text.
    assert block.bounding_box()["height"] > 20
    method = page.locator(".opblock-summary-method").first
    assert method.evaluate("el => getComputedStyle(el).textAlign") == "center"
    screenshot(page, "api-docs")
