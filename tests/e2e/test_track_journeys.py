"""The reporter's page in Chromium: the code kept after a wrong try, the files sent, a notice
pending until staff record it, and every date in one format (docs/domain.md §2, §3)."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.conftest import png_bytes
from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_case_office_journey import _operate
from tests.e2e.test_reporting_journeys import (
    file_anonymous_report,
    file_real_name_report,
    fill_common,
    open_track,
    read_receipt,
)


def _typo(code: str) -> str:
    """The code with its last character mistyped."""
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def test_a_mistyped_code_is_kept_shown_on_request_and_corrected(
    page: Page, live_server: str
) -> None:
    case_number, code = file_anonymous_report(page, live_server)
    open_track(page, live_server, case_number, _typo(code))
    box = page.locator('[name="access_code"]')
    expect(page.locator("#access_code-error")).to_be_visible()
    expect(box).to_have_value(_typo(code))
    expect(box).to_have_attribute("type", "password")
    page.get_by_role("button", name="显示查询码").click()
    expect(box).to_have_attribute("type", "text")
    page.get_by_role("button", name="隐藏查询码").click()
    expect(box).to_have_attribute("type", "password")
    # Only the mistyped character is fixed; nothing else is typed again.
    box.press("End")
    box.press("Backspace")
    box.type(code[-1])
    page.locator("form.narrow button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(case_number)


def test_without_javascript_the_code_is_kept_and_no_dead_button_shows(
    browser: Browser, live_server: str
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    case_number, code = file_anonymous_report(page, live_server)
    open_track(page, live_server, case_number, _typo(code))
    expect(page.locator('[name="access_code"]')).to_have_value(_typo(code))
    expect(page.locator("#show-access-code")).to_be_hidden()


def test_the_reporter_sees_the_names_of_the_files_they_sent(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    fill_common(page)
    page.set_input_files(
        '[name="evidence"]',
        [{"name": "收费票据.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    case_number, code = read_receipt(page)
    open_track(page, live_server, case_number, code)
    expect(page.locator("#sent-files")).to_contain_text("收费票据.png")


def test_a_notice_is_pending_until_staff_record_it_and_every_date_reads_one_way(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secret = make_staff(app, "intake", "intake_officer")
    reporter = browser.new_context().new_page()
    case_number, code = file_real_name_report(reporter, base)

    intake = sign_in(browser, base, "intake", secret)
    _operate(intake, base, case_number, "accept")
    open_track(reporter, base, case_number, code)
    notice = reporter.locator('tr[data-kind="notify_decision"]')
    expect(notice).to_have_attribute("data-state", "pending")
    expect(notice).to_contain_text("待办")

    text = reporter.locator("main").inner_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    # Received, two deadlines and two steps of the history.
    assert len(re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", text)) >= 5

    _operate(
        intake, base, case_number, "record_notice", {'[name="record_notice-reason"]': "电话告知"}
    )
    reporter.reload()
    expect(notice).to_have_attribute("data-state", "done")
    expect(notice).to_contain_text("完成")
