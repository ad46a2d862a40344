"""A reporter told of news at the contact they left (docs/domain.md §10), in Chromium."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.db import db_session
from portal.notices.models import Channel, Notice, NoticeStatus
from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_case_office_journey import _operate
from tests.e2e.test_reporting_journeys import fill_common, open_track, read_receipt
from tests.portal.notice_servers import SmsGateway, deliver

GATEWAY_SECRET = "g" * 40


def test_news_is_told_once_by_text_message_to_the_number_last_left(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secret = make_staff(app, "intake", "intake_officer")
    reporter = browser.new_context().new_page()
    reporter.goto(f"{base}/report")
    fill_common(reporter)
    reporter.locator("#news-contact > summary").click()
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
    # The worker delivers the outbox to the test's own gateway, which checks the signature.
    gateway = SmsGateway(GATEWAY_SECRET)
    try:
        deliver(app, gateway=gateway)
    finally:
        gateway.close()
    assert gateway.refused == 0
    assert [m["to"] for m in gateway.accepted] == ["13900139000"]
    text = gateway.accepted[0]["text"]
    for secret_word in (case_number, code, "银川某某医院", "挂床", "12500", "受理", "核查"):
        assert secret_word not in text
    with app.app_context():
        notices = db_session().scalars(select(Notice)).all()
        assert [(n.kind, n.channel, n.status) for n in notices] == [
            ("report_news", Channel.SMS, NoticeStatus.SENT)
        ]
