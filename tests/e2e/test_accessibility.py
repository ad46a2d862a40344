"""Accessibility in the browser: the axe-core check on every page, and what axe leaves out.

axe-core (tests/e2e/accessibility.py) runs on every page of every browser test; these tests
prove that the check fires, and assert in a real browser what axe's WCAG rules do not
cover: landmarks, a skip link that works from the keyboard, and errors tied to their field.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from tests.e2e.conftest import AXE_WATCH
from tests.e2e.test_reporting_journeys import fill_common

BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input name="name"></form></main></body></html>"""


@pytest.fixture
def broken_site() -> Iterator[str]:
    """Serve one page that breaks two WCAG rules (an image without text, a field without label)."""
    app = Flask("broken")
    app.add_url_rule("/", "broken", lambda: BROKEN_PAGE)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=5)


def take_findings(request: pytest.FixtureRequest) -> str:
    """Run the end-of-test check now, return its report and clear it so this test can pass."""
    watch = request.node.stash[AXE_WATCH]
    watch.finish()
    report = watch.report()
    watch.violations.clear()
    return report


@pytest.mark.parametrize("javascript", [True, False], ids=["scripts", "no-scripts"])
def test_axe_reports_a_served_page_that_breaks_a_rule_with_rule_impact_element_and_address(
    browser: Browser, broken_site: str, live_server: str, javascript: bool, request
) -> None:
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(broken_site)
    page.goto(live_server)  # the broken page is left at once: its copy was checked anyway
    report = take_findings(request)
    assert "image-alt (critical)" in report and "label (critical)" in report
    assert broken_site in report and "<img" in report and "<input" in report


def test_axe_reports_what_a_script_broke_on_the_page_left_open(
    page: Page, live_server: str, request
) -> None:
    page.goto(live_server)
    page.evaluate("document.querySelector('main').append(document.createElement('select'))")
    report = take_findings(request)
    page.evaluate("document.querySelector('main select').remove()")  # or the test's end finds it
    assert "select-name (critical)" in report and f"{live_server}/" in report


@pytest.mark.parametrize("path", ["/", "/report", "/track", "/about/privacy", "/staff/login"])
def test_pages_have_landmarks_and_one_main_heading(page: Page, live_server: str, path: str) -> None:
    page.goto(f"{live_server}{path}")
    for role in ("banner", "navigation", "main", "contentinfo"):
        expect(page.get_by_role(role).first).to_be_attached()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(
    page: Page, live_server: str
) -> None:
    page.goto(f"{live_server}/report")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/report#main")
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_a_field_with_an_error_points_to_its_message(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    fill_common(page, facts="")
    page.check('[name="declaration"]')
    page.locator("#facts").evaluate("el => el.removeAttribute('required')")
    page.get_by_role("button", name="提交举报").click()
    facts = page.locator("#facts")
    expect(facts).to_have_attribute("aria-invalid", "true")
    message = page.locator("#facts-error")
    expect(message).to_be_visible()
    expect(facts).to_have_accessible_description(re.compile(re.escape(message.inner_text())))
