"""Major cases and transfers followed up, in Chromium (docs/domain.md §12): a county marks a
major case and the city above finds it in its list; a transfer with no outcome after 30 days
waits in the queue until its outcome is recorded."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.db import db_session
from portal.notices.models import Notice
from portal.timeutil import today_in_china
from tests.e2e.staff import file_report, make_staff, sign_in


def test_a_county_marks_a_major_case_and_the_city_finds_it_in_its_list(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    case_number = file_report(app, "e2e-major")
    county = sign_in(
        browser, base, "m-county", make_staff(app, "m-county", "investigator", "640104")
    )
    city_secret = make_staff(app, "m-city", "approver", "640100")
    with app.app_context():
        city_user = db_session().scalar(select(StaffUser).where(StaffUser.username == "m-city"))
        assert city_user is not None
        city_user.email = "city@example.gov.cn"
        db_session().commit()

    county.goto(f"{base}/staff/reports/{case_number}")
    county.locator("#op-mark_major summary").click()
    county.get_by_label("列为要情的理由").select_option("many_insured_harmed")
    county.get_by_label("备注（内部）").fill("涉及参保人两百余名。")
    county.locator("#op-mark_major button[type=submit]").click()
    expect(county.locator(".flash-success")).to_have_text("已列为要情，并已通知上级单位。")
    expect(county.locator("#major-case")).to_contain_text("损害众多参保人利益")
    with app.app_context():
        keys = list(db_session().scalars(select(Notice.key).where(Notice.kind == "major_case")))
    assert len(keys) == 1

    city = sign_in(browser, base, "m-city", city_secret)
    city.get_by_role("link", name="要情", exact=True).click()
    expect(city.locator("h1")).to_have_text("要情")
    city.locator("#major-cases").get_by_role("link", name=case_number).click()
    expect(city.locator("#case-number")).to_have_text(case_number)
    expect(city.locator("#major-case")).to_contain_text("损害众多参保人利益")


def test_a_transfer_without_an_outcome_after_thirty_days_waits_in_the_queue(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    case_number = file_report(app, "e2e-transfer")
    officer = sign_in(browser, base, "t-intake", make_staff(app, "t-intake", "intake_officer"))
    sent_on = today_in_china() - timedelta(days=30)

    officer.goto(f"{base}/staff/reports/{case_number}")
    officer.locator("#op-transfer_out summary").click()
    form = officer.locator("#op-transfer_out")
    form.get_by_label("移送至").select_option("market_regulation")
    form.get_by_label("移送函文号").fill("银医保移〔2026〕12号")
    form.get_by_label("移送材料").fill("举报材料及核查记录")
    form.get_by_label("移送日期").fill(sent_on.isoformat())
    form.locator("button[type=submit]").click()
    expect(officer.locator("#transfer-reference")).to_have_text("银医保移〔2026〕12号")
    expect(officer.locator("#transfer-outcome")).to_contain_text("已到期")

    officer.goto(f"{base}/staff/")
    expect(officer.locator("#transfers-due-count")).to_have_text("1")
    officer.locator("#transfers-due a").click()
    expect(officer.locator("#queue")).to_contain_text(case_number)

    # The next morning's digest names it: the officer leaves an address, the digest is made
    # after 08:30 China time and delivered to a real SMTP server, and its link opens the list.
    officer.goto(f"{base}/staff/account")
    officer.fill('[name="email"]', "t-intake@example.gov.cn")
    officer.get_by_role("button", name="保存").click()
    expect(officer.locator(".flash-success")).to_be_visible()
    link = _digest_link(app, base, "transfers_due=y")
    officer.goto(link)
    expect(officer.locator("#queue")).to_contain_text(case_number)

    officer.locator("#queue").get_by_role("link", name=case_number).click()
    officer.locator("#op-record_transfer_outcome summary").click()
    outcome = officer.locator("#op-record_transfer_outcome")
    outcome.get_by_label("移送办理结果", exact=True).select_option("handled")
    outcome.get_by_label("接收机关答复日期").fill(today_in_china().isoformat())
    outcome.locator("button[type=submit]").click()
    expect(officer.locator("#transfer-outcome")).to_contain_text("接收机关已办理完毕")
    officer.goto(f"{base}/staff/")
    expect(officer.locator("#transfers-due-count")).to_have_text("0")


def _digest_link(app: Flask, base: str, query: str) -> str:
    """Make today's digests, deliver them to an SMTP server; return the link with `query`."""
    from datetime import UTC, datetime, time

    from intake.digest import make_digests
    from tests.portal.notice_servers import SmtpServer, deliver

    app.config["PUBLIC_URL"] = base
    with app.app_context():
        make_digests(db_session(), datetime.combine(today_in_china(), time(1, 0), UTC))
        db_session().commit()
    smtp = SmtpServer()
    try:
        deliver(app, smtp=smtp)
    finally:
        smtp.stop()
    (mail,) = smtp.messages
    body = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # Chinese first, then English: the same link in each.
    (link,) = {w for w in body.split() if w.startswith(base) and query in w}
    return link
