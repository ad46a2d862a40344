"""The report form in plain words, on a phone, its paper receipt, and an unsure report classified
by the office (docs/domain.md §2, §6)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from flask import Flask
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_reporting_journeys import open_track, read_receipt

PHONE = {"width": 390, "height": 844}
# Measured in Chromium at 390 × 844 on the form as it was before it asked in plain words
# (24 legal types first, every field open): the form 4,256 px tall, the whole page 5,256 px.
FORM_HEIGHT_BEFORE = 4256
PAGE_HEIGHT_BEFORE = 5256
FACTS = "医院让我父亲办了住院，其实他每天都回家住，医院照样按住院结算医保。"


def fill_plain_report(page: Page) -> None:
    """Fill the form as a citizen would: who, where, what happened in plain words, the facts."""
    page.get_by_label("医院或诊所").check()
    page.fill('[name="party_name"]', "银川某某医院")
    page.select_option('[name="region"]', "640104")
    page.get_by_label("没住院却记住院 / 挂床").check()
    page.fill('[name="facts"]', FACTS)
    page.check('[name="declaration"]')


def send(page: Page) -> None:
    page.get_by_role("button", name="提交举报").click()


def test_the_form_is_at_most_half_as_tall_on_a_phone(page: Page, live_server: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/report")
    form = page.evaluate("document.querySelector('form.report-form').offsetHeight")
    whole = page.evaluate("document.documentElement.scrollHeight")
    assert form <= FORM_HEIGHT_BEFORE / 2
    assert whole <= PAGE_HEIGHT_BEFORE / 2


def test_the_form_is_in_numbered_steps(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    legends = page.locator("fieldset.step > legend").all_inner_texts()
    assert legends == ["1. 举报对象", "2. 发生了什么", "3. 证据", "4. 您的身份"]


def test_a_plain_report_reaches_staff_with_its_legal_types(
    browser: Browser, page: Page, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/report")
    fill_plain_report(page)
    send(page)
    case_number, _ = read_receipt(page)

    officer = sign_in(browser, base, "officer", make_staff(app, "officer", "intake_officer"))
    officer.goto(f"{base}/staff/reports/{case_number}")
    expect(officer.locator("#violation-types")).to_contain_text("挂床住院")
    expect(officer.locator("#reporter-situation")).to_contain_text("没住院却记住院")


def test_an_unsure_report_is_found_in_the_queue_classified_and_shown_with_its_types(
    browser: Browser, page: Page, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    page.goto(f"{base}/report")
    fill_plain_report(page)
    page.get_by_label("不确定 / 其他").check()
    send(page)
    case_number, _ = read_receipt(page)

    officer = sign_in(browser, base, "officer", make_staff(app, "officer", "intake_officer"))
    officer.set_viewport_size(PHONE)
    officer.goto(f"{base}/staff/")
    officer.get_by_label("违法违规类型").select_option(label="待分类（尚无违法类型）")
    officer.get_by_role("button", name="筛选").click()
    row = officer.locator("#queue tr", has_text=case_number)
    expect(row.locator(".to-classify")).to_have_text("待分类")
    row.get_by_role("link", name=case_number).click()
    expect(officer.locator("#violation-types")).to_contain_text("待分类")

    form = officer.locator("#op-classify")
    expect(form.locator("summary")).to_have_text("设定违法类型")
    # Nothing chosen: refused with a message, and the note typed is still there.
    form.get_by_label("备注（选填）").fill("电话回访后确认")
    form.get_by_role("button", name="保存违法类型").click()
    form = officer.locator("#op-classify")
    expect(form).to_contain_text("请至少选择一种违法违规类型")
    expect(form.get_by_label("备注（选填）")).to_have_value("电话回访后确认")

    form.get_by_label("挂床住院").check()
    form.get_by_label("虚构医药服务项目").check()
    # The grouped checkboxes fit a phone: nothing scrolls sideways.
    assert officer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form.get_by_role("button", name="保存违法类型").click()

    expect(officer.locator("#violation-types")).to_have_text("虚构医药服务项目; 挂床住院")
    expect(officer.locator("#reporter-situation")).to_contain_text("以上类型由工作人员设定")
    expect(officer.locator(".timeline")).to_contain_text("工作人员设定了违法类型")
    expect(officer.locator(".timeline")).to_contain_text("电话回访后确认")
    expect(officer.locator("#op-classify summary")).to_have_text("更正违法类型")

    officer.goto(f"{base}/staff/?violation=unclassified")
    expect(officer.locator("#queue")).to_have_count(0)


def test_the_legal_types_stay_available_for_who_knows_them(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    expect(page.locator("#vt-nominal_bed")).to_be_hidden()
    page.get_by_text("我知道具体违法类型").click()
    expect(page.locator("#vt-nominal_bed")).to_be_visible()


def test_real_name_fields_show_only_for_a_real_name_report(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    expect(page.locator('[name="real_name"]')).to_be_hidden()
    page.get_by_label("实名举报").check()
    expect(page.locator('[name="real_name"]')).to_be_visible()
    expect(page.locator('[name="id_number"]')).to_be_visible()
    page.get_by_label("匿名举报").check()
    expect(page.locator('[name="real_name"]')).to_be_hidden()


def test_without_styles_a_name_typed_while_anonymous_is_said_to_be_dropped(
    browser: Browser, live_server: str
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.route("**/*.css", lambda route: route.abort())
    page.goto(f"{live_server}/report")
    fill_plain_report(page)
    page.fill('[name="real_name"]', "王晓明")
    send(page)
    read_receipt(page)
    expect(page.locator("#identity-ignored")).to_contain_text("您的姓名没有被记录")


def test_a_file_too_large_is_refused_before_anything_is_sent(
    page: Page, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    # A small limit, read by the page as by the server: the browser need not carry 20 MB.
    limit = app.config["EVIDENCE_MAX_FILE_BYTES"] = 64 * 1024
    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.goto(f"{base}/report")
    fill_plain_report(page)
    page.set_input_files(
        '[name="evidence"]',
        {"name": "video.mp4", "mimeType": "video/mp4", "buffer": b"\0" * (limit + 1)},
    )
    expect(page.locator("#evidence-check")).to_contain_text("video.mp4")
    send(page)
    expect(page.locator("#evidence-check")).to_contain_text("举报尚未发送")
    expect(page.locator('[name="evidence"]')).to_be_focused()
    assert posts == []


def test_the_printed_receipt_says_where_and_how_to_use_it(
    page: Page, live_site: tuple[str, Flask], tmp_path: Path
) -> None:
    base, app = live_site
    page.goto(f"{base}/report")
    fill_plain_report(page)
    send(page)
    case_number, code = read_receipt(page)
    received = page.locator("#received-at").inner_text()

    page.emulate_media(media="print")
    pdf = pypdfium2.PdfDocument(page.pdf(format="A4"))
    text = "".join(p.get_textpage().get_text_range() for p in pdf)
    flat = "".join(text.split())
    for expected in (
        "医保基金监管",  # the portal's name
        f"{base}/track",  # the full address of the tracking page
        app.config["HOTLINE_TEXT"],
        received,  # the date filed
        "访问码无法找回",  # what to do if it is lost
        case_number,
        code,
    ):
        assert "".join(expected.split()) in flat, expected


def test_the_report_page_weighs_under_100_kb(page: Page, live_server: str) -> None:
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(f"{live_server}/report", wait_until="networkidle")
    total = 0
    for request in finished:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    assert finished and total < 100 * 1024


def test_an_anonymous_reporter_asks_for_a_reward_on_track(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/report")
    expect(page.locator("#wants_reward-hint")).to_contain_text("反馈结果之前")
    fill_plain_report(page)
    send(page)
    case_number, code = read_receipt(page)
    open_track(page, live_server, case_number, code)
    page.locator("#reward-request").get_by_role("button").click()
    expect(page.locator(".flash-success")).to_contain_text("已记录您的奖励申请")
    expect(page.locator('[data-kind="reward_requested"]')).to_be_visible()
    expect(page.locator("#reward-request")).to_have_count(0)
