"""A reporter told of news at the contact they left (docs/domain.md §10), in Chromium."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.db import db_session
from portal.notices.models import Channel, Notice
from portal.notices.outbox import open_notice
from portal.security import data_cipher
from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_case_office_journey import _operate
from tests.e2e.test_reporting_journeys import fill_common, open_track, read_receipt


def test_news_is_told_once_by_text_message_to_the_number_last_left(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secret = make_staff(app, "intake", "intake_officer")
    reporter = browser.new_context().new_page()
    reporter.goto(f"{base}/report")
    fill_common(reporter)
    reporter.fill('[name="contact"]', "138 0013 8000")
    reporter.check('[name="declaration"]')
    reporter.get_by_role("button", name="提交举报").click()
    case_number, code = read_receipt(reporter)

    open_track(reporter, base, case_number, code)
    expect(reporter.locator("#contact-masked")).to_have_text("138****8000")
    reporter.fill('#contact-form [name="contact"]', "+86 139-0013-9000")
    reporter.get_by_role("button", name="修改联系方式").click()
    expect(reporter.locator(".flash-success")).to_be_visible()
    expect(reporter.locator("#contact-masked")).to_have_text("139****9000")
    assert "13900139000" not in reporter.content()

    intake = sign_in(browser, base, "intake", secret)
    _operate(intake, base, case_number, "accept")
    with app.app_context():
        notices = db_session().scalars(select(Notice)).all()
        assert [(n.kind, n.channel) for n in notices] == [("report_news", Channel.SMS)]
        assert open_notice(notices[0], data_cipher()).recipient == "13900139000"
