"""The citizen's reporting journey in headless Chromium (docs/domain.md §2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.conftest import VALID_ID, jpeg_with_gps, png_bytes


def fill_common(
    page: Page, facts: str = "该院组织参保人挂床住院，实际不在院，按住院结算医保费用。"
) -> None:
    page.check('input[name="party_kind"][value="hospital"]')
    page.fill('[name="party_name"]', "银川某某医院")
    page.select_option('[name="region"]', "640104")
    page.check('input[name="situation"][value="paper_admission"]')
    page.fill('[name="facts"]', facts)
    page.locator("#more-details > summary").click()
    page.fill('[name="amount"]', "12500")


def read_receipt(page: Page) -> tuple[str, str]:
    expect(page.locator("#case-number")).to_be_visible()
    return page.locator("#case-number").inner_text(), page.locator("#access-code").inner_text()


def file_anonymous_report(page: Page, base: str) -> tuple[str, str]:
    """File a valid anonymous report and return its receipt."""
    page.goto(f"{base}/report")
    fill_common(page)
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    return read_receipt(page)


def file_real_name_report(page: Page, base: str, *, wants_reward: bool = False) -> tuple[str, str]:
    """File a valid real-name report and return its receipt."""
    page.goto(f"{base}/report")
    fill_common(page)
    page.check('input[name="identity_mode"][value="real_name"]')
    page.fill('[name="real_name"]', "王晓明")
    page.fill('[name="id_number"]', VALID_ID)
    page.fill('[name="phone"]', "13912345678")
    if wants_reward:
        page.check('[name="wants_reward"]')
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    return read_receipt(page)


def open_track(page: Page, base: str, case_number: str, code: str) -> None:
    page.goto(f"{base}/track")
    page.fill('[name="case_number"]', case_number)
    page.fill('[name="access_code"]', code)
    page.locator("form.narrow button[type=submit]").click()


def test_anonymous_report_with_two_files_can_be_followed_on_track(
    page: Page, live_server: str
) -> None:
    page.goto(f"{live_server}/report")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_contain_text("举报")
    fill_common(page)
    page.set_input_files(
        '[name="evidence"]',
        [
            {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()},
            {"name": "票据.png", "mimeType": "image/png", "buffer": png_bytes()},
        ],
    )
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    case_number, code = read_receipt(page)
    # The code is typed the lazy way: lower case, no dashes.
    open_track(page, live_server, case_number.lower(), code.lower().replace("-", ""))
    expect(page.locator("#stage")).to_have_attribute("data-stage", "received")
    expect(page.locator(".status")).to_contain_text("2 份证据材料")
    expect(page.locator("h1")).to_contain_text(case_number)


def test_real_name_report_is_accepted_and_tracked(page: Page, live_server: str) -> None:
    case_number, code = file_real_name_report(page, live_server, wants_reward=True)
    open_track(page, live_server, case_number, code)
    expect(page.locator(".status")).to_contain_text("实名举报")
    expect(page.locator("body")).not_to_contain_text(VALID_ID)


def test_form_with_mistakes_keeps_what_was_typed(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    fill_common(page, facts="该院虚构诊疗项目，多次为未到院的参保人结算。")
    page.check('input[name="identity_mode"][value="real_name"]')
    page.fill('[name="real_name"]', "王晓明")
    page.fill('[name="id_number"]', "110105194912310021")  # wrong check character
    page.fill('[name="phone"]', "13912345678")
    page.get_by_role("button", name="提交举报").click()

    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("#id_number-error")).to_contain_text("身份证")
    expect(page.locator("#declaration-error")).to_be_visible()
    expect(page.locator('[name="facts"]')).to_have_value(
        "该院虚构诊疗项目，多次为未到院的参保人结算。"
    )
    expect(page.locator('[name="party_name"]')).to_have_value("银川某某医院")
    expect(page.locator('[name="phone"]')).to_have_value("13912345678")
    expect(page.locator('[name="region"]')).to_have_value("640104")
    expect(page.locator('input[name="situation"][value="paper_admission"]')).to_be_checked()
    expect(page.locator('input[name="identity_mode"][value="real_name"]')).to_be_checked()

    page.fill('[name="id_number"]', VALID_ID)
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    read_receipt(page)


def test_a_report_over_the_body_limit_keeps_the_typed_text_after_back(
    page: Page, live_site: tuple[str, Any]
) -> None:
    base, app = live_site
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    page.goto(f"{base}/report")
    fill_common(page, facts="我写了很久的举报内容，文件太大也不能丢。")
    page.set_input_files(
        '[name="evidence"]',
        [{"name": "大文件.png", "mimeType": "image/png", "buffer": b"x" * (1024 * 1024)}],
    )
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("文件过大")
    expect(page.locator("main")).to_contain_text("减少文件数量或选择较小的文件")
    page.go_back()
    expect(page.locator('[name="facts"]')).to_have_value("我写了很久的举报内容，文件太大也不能丢。")
    expect(page.locator('[name="party_name"]')).to_have_value("银川某某医院")


def test_reporter_can_add_information_on_track(page: Page, live_server: str) -> None:
    case_number, code = file_anonymous_report(page, live_server)
    open_track(page, live_server, case_number, code)
    page.fill('[name="body"]', "补充：该院上月又办理了三例挂床住院。")
    page.set_input_files(
        '[name="evidence"]', [{"name": "补充.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("button", name="发送").click()
    expect(page.locator(".messages")).to_contain_text("补充：该院上月又办理了三例挂床住院。")
    expect(page.locator(".timeline")).to_contain_text("您补充了材料")


def test_reporter_can_sign_out(page: Page, live_server: str) -> None:
    case_number, code = file_anonymous_report(page, live_server)
    open_track(page, live_server, case_number, code)
    page.get_by_role("button", name="退出").click()
    expect(page.locator('[name="access_code"]')).to_be_visible()
    page.goto(f"{live_server}/track")
    expect(page.locator("body")).not_to_contain_text(case_number)


def test_pages_work_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    case_number, code = file_anonymous_report(page, live_server)
    open_track(page, live_server, case_number, code)
    expect(page.locator("#stage")).to_have_attribute("data-stage", "received")
    context.close()


def test_no_script_errors_or_csp_violations_on_report_pages(page: Page, live_server: str) -> None:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server}/")
    page.goto(f"{live_server}/report")
    fill_common(page)
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    read_receipt(page)
    # The print button is revealed by our one script, proving it ran under the CSP.
    expect(page.locator("#print-receipt")).to_be_visible()
    page.goto(f"{live_server}/track")
    assert problems == []


def test_chinese_text_renders_on_a_phone_screen(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/report")
    # Nothing wider than the screen: the page must not scroll sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    context.close()


def test_language_switch_shows_english(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report fraud")
