"""The case office end to end in Chromium (issue 3 §8): each public step reaches /track."""

from __future__ import annotations

from typing import Any

import pyotp
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.auth import new_totp_secret
from portal.db import db_session
from portal.models import get_region_by_code
from portal.security import data_cipher, password_hasher
from portal.staff import create_staff_user
from tests.conftest import STAFF_PASSWORD, VALID_ID
from tests.e2e.test_reporting_journeys import fill_common, open_track, read_receipt


def _make_staff(app: Flask, username: str, role: str) -> str:
    """Create a user with a TOTP secret in the live app; return the secret."""
    with app.app_context():
        session = db_session()
        user = create_staff_user(
            session,
            username=username,
            display_name=username,
            password=STAFF_PASSWORD,
            region=get_region_by_code(session, "640100"),
            roles=[role],
            hasher=password_hasher(),
        )
        secret = new_totp_secret()
        user.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{user.id}:totp")
        session.commit()
        return secret


def _sign_in(browser: Browser, base: str, username: str, secret: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{base}/staff/login")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.get_by_role("button", name="继续").click()
    page.fill('[name="code"]', pyotp.TOTP(secret).now())
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待办事项")
    return page


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
        name: _make_staff(app, name, role)
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

    intake = _sign_in(browser, base, "intake", secrets["intake"])
    expect(intake.locator("#queue")).to_contain_text(case_number)
    _operate(intake, base, case_number, "accept")
    _reporter_sees(reporter, "accepted")

    investigator = _sign_in(browser, base, "investigator", secrets["investigator"])
    _operate(
        investigator,
        base,
        case_number,
        "record_findings",
        {'[name="record_findings-reason"]': "调取住院记录，确有挂床。"},
    )
    _operate(investigator, base, case_number, "open_case")
    _reporter_sees(reporter, "case_opened")

    approver = _sign_in(browser, base, "approver", secrets["approver"])
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

    reward = _sign_in(browser, base, "reward", secrets["reward"])
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
