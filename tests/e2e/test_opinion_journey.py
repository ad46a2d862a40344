"""An opinion and its late reply, in Chromium (docs/domain.md §14): a county supervisor writes to
the city's office; its reply deadline passes; the city finds it overdue in its queue and
replies; the supervisor reads the reply marked late and writes again. Without JavaScript, and
on a phone."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from intake.opinions.models import Opinion
from portal.db import db_session
from portal.timeutil import today_in_china
from tests.conftest import STAFF_PASSWORD
from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_phone_width import PHONE, assert_fits


def _let_the_deadline_pass(app: Flask) -> None:
    """Move the opinion back in time: it arrived a month ago and its last day was yesterday."""
    with app.app_context():
        session = db_session()
        opinion = session.scalar(select(Opinion))
        assert opinion is not None
        opinion.received_at -= timedelta(days=30)
        opinion.reply_due_on = today_in_china() - timedelta(days=1)
        session.commit()


def test_a_supervisor_sends_an_opinion_and_reads_the_late_reply(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    term = {"term_start": date(2020, 1, 1), "term_end": date(2099, 1, 1)}
    secrets = {
        "supervisor": make_staff(app, "supervisor", "social_supervisor", "640104", **term),
        "city": make_staff(app, "city", "intake_officer", "640100"),
    }

    # The supervisor writes to the city's office from their menu, on a phone, without script.
    supervisor = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    supervisor.goto(f"{base}/staff/login")
    supervisor.fill('[name="username"]', "supervisor")
    supervisor.fill('[name="password"]', STAFF_PASSWORD)
    supervisor.get_by_role("button", name="继续").click()
    supervisor.fill('[name="code"]', pyotp.TOTP(secrets["supervisor"]).now())
    supervisor.get_by_role("button", name="登录").click()
    supervisor.goto(f"{base}/staff/opinions/")
    supervisor.get_by_role("link", name="提出意见建议").click()
    supervisor.get_by_label("提交给").select_option("640100")
    supervisor.get_by_label("意见主题").fill("门诊统筹报销流程较为繁琐")
    supervisor.get_by_label("意见建议内容").fill("不少参保老人反映门诊统筹报销需要跑多个窗口。")
    assert_fits(supervisor)
    supervisor.get_by_role("button", name="提交意见建议").click()
    expect(supervisor.locator("#reply-state [data-state]")).to_have_attribute("data-state", "open")
    expect(supervisor.locator("#awaiting-reply")).to_be_visible()
    expect(supervisor.locator("#message-form")).to_have_count(0)
    assert_fits(supervisor)
    thread = supervisor.url

    _let_the_deadline_pass(app)

    # The city finds it overdue in its queue and replies, late.
    city = sign_in(browser, base, "city", secrets["city"])
    city.goto(f"{base}/staff/queue")
    expect(city.locator("#opinions-overdue-count")).to_have_text("1")
    city.locator("#opinions-overdue a").click()
    row = city.locator("#office-opinions tr[data-opinion]")
    expect(row).to_have_count(1)
    expect(row.locator("[data-state]")).to_have_attribute("data-state", "overdue")
    row.get_by_role("link", name="门诊统筹报销流程较为繁琐").click()
    expect(city.locator(".messages")).to_contain_text("跑多个窗口")
    city.get_by_label("留言内容").fill("迟复为歉。我局将在各经办窗口推行一次办结。")
    city.get_by_role("button", name="发送").click()
    expect(city.locator("#reply-state [data-state]")).to_have_attribute("data-state", "late")
    city.goto(f"{base}/staff/queue")
    expect(city.locator("#opinions-overdue-count")).to_have_text("0")

    # The supervisor reads the reply, marked late, and writes again.
    supervisor.goto(thread)
    expect(supervisor.locator("#reply-state [data-state]")).to_have_attribute("data-state", "late")
    expect(supervisor.locator("#reply-state")).to_contain_text("逾期答复")
    expect(supervisor.locator('.messages [data-side="office"]')).to_contain_text("一次办结")
    supervisor.get_by_label("留言内容").fill("谢谢答复，请告知推行时间。")
    supervisor.get_by_role("button", name="发送").click()
    expect(supervisor.locator(".messages > li")).to_have_count(3)
    assert_fits(supervisor)
    supervisor.goto(f"{base}/staff/opinions/")
    expect(supervisor.locator("#opinions [data-state]")).to_have_attribute("data-state", "late")
