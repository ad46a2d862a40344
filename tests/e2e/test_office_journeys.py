"""The office reads right, in Chromium: confirmations that say what was done, fields named for
what they hold, the deadline of the stage, a reward pending before 办结, the approver's queue,
menus per role and the TOTP key in fours."""

from __future__ import annotations

import re

import pyotp
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.db import db_session
from tests.conftest import STAFF_PASSWORD
from tests.e2e.staff import file_report, make_staff, sign_in, take_to_feedback


def _open_op(page: Page, op: str) -> None:
    page.locator(f"#op-{op} summary").click()


def test_each_step_confirms_what_was_done_and_names_its_fields(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    case_number = file_report(app, "e2e-wording")
    intake = sign_in(browser, base, "w-intake", make_staff(app, "w-intake", "intake_officer"))
    intake.goto(f"{base}/staff/reports/{case_number}")
    expect(intake.locator("#stage").locator("xpath=..")).to_contain_text("受理决定期限")
    _open_op(intake, "accept")
    intake.locator("#op-accept button[type=submit]").click()
    expect(intake.locator(".flash-success")).to_have_text("已受理，决定已记录。")
    # Accepted: the running deadline is now the decision on opening a case.
    expect(intake.locator("#stage").locator("xpath=..")).to_contain_text("立案决定期限")

    investigator = sign_in(browser, base, "w-inv", make_staff(app, "w-inv", "investigator"))
    investigator.goto(f"{base}/staff/reports/{case_number}")
    _open_op(investigator, "record_findings")
    investigator.get_by_label("核查情况").fill("调取住院记录，确有挂床。")
    investigator.locator("#op-record_findings button[type=submit]").click()
    expect(investigator.locator(".flash-success")).to_have_text("核查情况已记录（内部）。")
    history = investigator.locator(".timeline")
    expect(history.locator('[data-kind="findings_recorded"]')).to_contain_text("内部")
    expect(history.locator('[data-kind="accepted"]')).to_contain_text("举报人可见")

    intake.goto(f"{base}/staff/reports/{case_number}")
    _open_op(intake, "send_message")
    intake.get_by_label("给举报人的留言").fill("请补充就诊时间。")
    intake.locator("#op-send_message button[type=submit]").click()
    expect(intake.locator(".flash-success")).to_contain_text("消息已发送")
    expect(intake.locator('.timeline [data-kind="message_sent"]')).to_contain_text("已发送给举报人")


def test_a_pending_reward_holds_closing_and_waits_in_the_approvers_queue(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secrets_ = {
        name: make_staff(app, name, role)
        for name, role in (
            ("r-intake", "intake_officer"),
            ("r-inv", "investigator"),
            ("r-approver", "approver"),
            ("r-reward", "reward_officer"),
        )
    }
    case_number = file_report(app, "e2e-reward", wants_reward=True)
    take_to_feedback(app, case_number, "r-intake", "r-inv", "r-approver", recovered="86000")

    reward = sign_in(browser, base, "r-reward", secrets_["r-reward"])
    reward.goto(f"{base}/staff/reports/{case_number}")
    expect(reward.locator("#stage").locator("xpath=..")).to_contain_text("奖励告知期限")
    expect(reward.locator("#op-close")).to_have_count(0)
    reward.fill('[name="reward-case_value"]', "86000")
    for question in ("reporter_is_staff", "offender_under_investigation", "already_known"):
        reward.check(f'[name="reward-{question}"][value="no"]')
    reward.get_by_role("button", name="提出奖励").click()
    expect(reward.locator(".flash-success")).to_contain_text("奖励已提出，待另一名审核人审批")
    expect(reward.locator("#reward-status")).to_contain_text("已提出，待审批")
    expect(reward.locator("#reward-status")).not_to_contain_text("proposed")

    approver = sign_in(browser, base, "r-approver", secrets_["r-approver"])
    approver.goto(f"{base}/staff/")
    waiting = approver.locator("#reward-proposed")
    expect(waiting).to_contain_text("奖励待审批")
    expect(waiting.locator("strong")).to_have_text("1")
    waiting.locator("a").click()
    expect(approver.locator("#queue")).to_contain_text(case_number)
    approver.get_by_role("link", name=case_number).click()
    expect(approver.locator("#op-close")).to_have_count(0)
    approver.get_by_role("button", name="批准奖励").click()
    expect(approver.locator(".flash-success")).to_contain_text("奖励已批准")
    expect(approver.locator("#reward-status")).to_contain_text("已批准并告知，待举报人申领")


def test_the_menu_offers_only_what_the_role_may_open(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    publisher = sign_in(browser, base, "m-pub", make_staff(app, "m-pub", "publisher"))
    expect(publisher.locator(".nav")).to_contain_text("典型案例")
    expect(publisher.locator(".nav")).not_to_contain_text("身份查看申请")
    officer = sign_in(browser, base, "m-inv", make_staff(app, "m-inv", "investigator"))
    expect(officer.locator(".nav")).to_contain_text("身份查看申请")
    expect(officer.locator(".nav")).not_to_contain_text("典型案例")
    for link in officer.locator(".nav a[href^='/staff/']").all():
        href = link.get_attribute("href")
        assert officer.request.get(f"{base}{href}").status == 200


def test_the_totp_key_is_shown_in_groups_of_four(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    make_staff(app, "t-new", "investigator")
    with app.app_context():
        session = db_session()
        user = session.scalar(select(StaffUser).where(StaffUser.username == "t-new"))
        user.totp_secret_enc = None
        session.commit()
    page = browser.new_context().new_page()
    page.goto(f"{base}/staff/login")
    page.fill('[name="username"]', "t-new")
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.get_by_role("button", name="继续").click()
    grouped = page.locator("#totp-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", grouped)
    plain = page.locator("#totp-secret").inner_text()
    assert plain == grouped.replace(" ", "")
    page.fill('[name="code"]', pyotp.TOTP(plain).now())
    page.get_by_role("button", name="确认").click()
    expect(page.locator('form[action$="/staff/logout"]')).to_be_visible()
