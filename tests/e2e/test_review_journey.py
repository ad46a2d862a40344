"""A review in Chromium (docs/domain.md §11): the reporter rates the handling "不满意" and asks
for a review; the province sends the report back; the city handles it again and tells them."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher
from tests.e2e.staff import make_staff, sign_in, take_to_feedback
from tests.e2e.test_case_office_journey import _operate
from tests.e2e.test_phone_width import PHONE, assert_fits
from tests.e2e.test_reporting_journeys import open_track


def _city_report(app: Flask) -> tuple[str, str]:
    """File a report of the city of Yinchuan (its level above: the province); return the receipt."""
    with app.app_context():
        session = db_session()
        receipt = submit_report(
            session,
            ReportDraft(
                region=get_region_by_code(session, "640100"),
                party_kind="hospital",
                party_name="银川某某医院",
                facts="该院让病人挂床住院。",
                violation_codes=["nominal_bed"],
                submission_key="review-journey",
            ),
            cipher=data_cipher(),
            hasher=access_code_hasher(),
        )
        session.commit()
        return receipt.case_number, receipt.access_code


def test_a_review_sends_the_report_back_and_the_city_handles_it_again(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secrets = {
        name: make_staff(app, name, role, region)
        for name, role, region in (
            ("intake", "intake_officer", "640100"),
            ("investigator", "investigator", "640100"),
            ("approver", "approver", "640100"),
            ("province", "approver", "640000"),
        )
    }
    case_number, code = _city_report(app)
    take_to_feedback(app, case_number, "intake", "investigator", "approver", "1000")

    # The reporter rates the handling and asks the province to review it, on a phone.
    reporter = browser.new_context(viewport=PHONE).new_page()
    open_track(reporter, base, case_number, code)
    reporter.get_by_label("不满意").check()
    reporter.fill('[name="comment"]', "只追回了一部分")
    reporter.get_by_role("button", name="提交评价").click()
    expect(reporter.locator("#rating-given")).to_have_attribute(
        "data-satisfaction", "not_satisfied"
    )
    reporter.fill('[name="reason"]', "医院还有其他挂床病人，没有查清。")
    reporter.get_by_role("button", name="申请复查").click()
    expect(reporter.locator("#review-answer")).to_have_attribute("data-status", "requested")
    expect(reporter.locator("#review-due")).to_contain_text("年")
    expect(reporter.locator("#rating-form")).to_have_count(0)
    assert_fits(reporter)

    # The province finds it among the reviews to answer and sends it back.
    province = sign_in(browser, base, "province", secrets["province"])
    province.goto(f"{base}/staff/queue")
    province.locator("#reviews-due a").click()
    province.get_by_role("link", name=case_number).click()
    expect(province.locator("#staff-review-status")).to_have_attribute("data-status", "requested")
    province.set_viewport_size(PHONE)
    assert_fits(province)
    _operate(
        province,
        base,
        case_number,
        "send_back_review",
        {'[name="send_back_review-reason"]': "请核查其他挂床病人后重新处理。"},
    )
    expect(province.locator("#stage")).to_have_attribute("data-stage", "handling")

    # The reporter reads the answer, and sees the new handling deadline.
    reporter.reload()
    expect(reporter.locator("#review-answer")).to_have_attribute("data-status", "sent_back")
    expect(reporter.locator("#review-answer-text")).to_contain_text("其他挂床病人")
    expect(reporter.locator('tr[data-kind="handling"]')).to_have_attribute("data-state", "pending")
    assert_fits(reporter)

    # The city records a new handling decision and tells the reporter.
    city = sign_in(browser, base, "approver", secrets["approver"])
    _operate(
        city,
        base,
        case_number,
        "record_handling",
        {
            '[name="record_handling-recovered"]': "5000",
            'input[value="recover"]': True,
            '[name="record_handling-reason"]': "追回全部违规费用。",
        },
    )
    intake = sign_in(browser, base, "intake", secrets["intake"])
    _operate(
        intake,
        base,
        case_number,
        "send_feedback",
        {'[name="send_feedback-reason"]': "复查后已追回全部违规费用。"},
    )
    reporter.reload()
    expect(reporter.locator("#stage")).to_have_attribute("data-stage", "closed")
    expect(reporter.locator('[data-kind="review_sent_back"]')).to_be_visible()
    expect(reporter.locator(".messages")).to_contain_text("复查后已追回全部违规费用")
