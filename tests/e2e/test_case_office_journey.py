"""The case office end to end in Chromium (docs/domain.md §3): each public step reaches /track."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.conftest import STAFF_PASSWORD, VALID_ID
from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_reporting_journeys import (
    file_real_name_report,
    fill_common,
    open_track,
    read_receipt,
)


def _operate(
    page: Page, base: str, case_number: str, op: str, fill: dict[str, Any] | None = None
) -> None:
    page.goto(f"{base}/staff/reports/{case_number}")
    section = page.locator(f"#op-{op}")
    section.locator("summary").click()
    for selector, value in (fill or {}).items():
        if value is True:
            section.locator(selector).check()
        else:
            section.locator(selector).fill(value)
    section.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()


def _reporter_sees(reporter: Page, kind: str) -> None:
    reporter.goto(reporter.url.split("/track")[0] + "/track")
    expect(reporter.locator(f'[data-kind="{kind}"]')).to_be_visible()


def test_a_report_goes_from_acceptance_to_a_claimed_reward(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secrets = {
        name: make_staff(app, name, role)
        for name, role in (
            ("intake", "intake_officer"),
            ("investigator", "investigator"),
            ("approver", "approver"),
            ("reward", "reward_officer"),
        )
    }

    reporter = browser.new_context().new_page()
    reporter.goto(f"{base}/report")
    fill_common(reporter)
    reporter.check('[name="wants_reward"]')
    reporter.check('[name="declaration"]')
    reporter.get_by_role("button", name="提交举报").click()
    case_number, code = read_receipt(reporter)
    open_track(reporter, base, case_number, code)

    intake = sign_in(browser, base, "intake", secrets["intake"])
    expect(intake.locator("#queue")).to_contain_text(case_number)
    _operate(intake, base, case_number, "accept")
    _reporter_sees(reporter, "accepted")

    investigator = sign_in(browser, base, "investigator", secrets["investigator"])
    _operate(
        investigator,
        base,
        case_number,
        "record_findings",
        {'[name="record_findings-reason"]': "调取住院记录，确有挂床。"},
    )
    _operate(investigator, base, case_number, "open_case")
    _reporter_sees(reporter, "case_opened")

    approver = sign_in(browser, base, "approver", secrets["approver"])
    _operate(
        approver,
        base,
        case_number,
        "record_handling",
        {
            '[name="record_handling-recovered"]': "1500000",
            'input[value="recover"]': True,
            '[name="record_handling-reason"]': "责令退回违规费用 150 万元。",
        },
    )
    _reporter_sees(reporter, "handling_decided")

    _operate(
        intake,
        base,
        case_number,
        "send_feedback",
        {'[name="send_feedback-reason"]': "经查属实，已追回基金损失。"},
    )
    _reporter_sees(reporter, "feedback_sent")
    expect(reporter.locator(".messages")).to_contain_text("已追回基金损失")

    reward = sign_in(browser, base, "reward", secrets["reward"])
    reward.goto(f"{base}/staff/reports/{case_number}")
    reward.fill('[name="reward-case_value"]', "1500000")
    for question in ("reporter_is_staff", "offender_under_investigation", "already_known"):
        reward.check(f'[name="reward-{question}"][value="no"]')
    reward.get_by_role("button", name="提出奖励").click()
    expect(reward.locator("#reward-status")).to_have_attribute("data-status", "proposed")

    approver.goto(f"{base}/staff/reports/{case_number}")
    approver.get_by_role("button", name="批准奖励").click()
    expect(approver.locator("#reward-status")).to_have_attribute("data-status", "approved")
    _reporter_sees(reporter, "reward_offered")
    expect(reporter.locator("#reward-status")).to_contain_text("20,500.00")

    reporter.fill('[name="real_name"]', "王晓明")
    reporter.fill('[name="id_number"]', VALID_ID)
    reporter.fill('[name="phone"]', "13912345678")
    reporter.get_by_role("button", name="领取奖励").click()
    expect(reporter.locator("#reward-status")).to_have_attribute("data-status", "claimed")


def test_an_identity_is_opened_only_through_a_custodians_approval(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    keeper_secret = make_staff(app, "keeper", "approver", region="640000", wants_custodian=True)
    keeper = sign_in(browser, base, "keeper", keeper_secret)  # signing in makes the custodian key

    reporter = browser.new_context().new_page()
    case_number, code = file_real_name_report(reporter, base)

    officer = sign_in(browser, base, "officer", make_staff(app, "officer", "investigator"))
    officer.goto(f"{base}/staff/reports/{case_number}")
    expect(officer.locator("main")).not_to_contain_text("王晓明")
    officer.locator("#request-identity-report summary").click()
    officer.fill('[name="identity-reason"]', "需要当面核实举报内容")
    officer.get_by_role("button", name="提交申请").click()
    expect(officer.locator(".flash-success")).to_be_visible()

    keeper.goto(f"{base}/staff/identity-requests")
    expect(keeper.locator(".requests").first).to_contain_text("需要当面核实举报内容")
    keeper.locator('input[type="password"]').first.fill(STAFF_PASSWORD)
    keeper.get_by_role("button", name="批准").click()
    expect(keeper.locator(".flash-success")).to_be_visible()

    officer.goto(f"{base}/staff/identity-requests")
    officer.locator('input[type="password"]').first.fill(STAFF_PASSWORD)
    officer.get_by_role("button", name="查看身份信息").click()
    expect(officer.locator("#identity")).to_contain_text("王晓明")
    expect(officer.locator("#identity")).to_contain_text(VALID_ID)

    open_track(reporter, base, case_number, code)
    expect(reporter.locator('[data-kind="identity_opened"]')).to_contain_text("银川市")
    expect(reporter.locator("main")).not_to_contain_text("officer")
