"""The holiday calendar in Chromium (docs/domain.md §13): an administrator enters the Spring
Festival 2027, and the officer sees the report's estimated deadline move with a note why."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time

from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from intake.calendar.deadlines import ACCEPT_DECISION_WORKING_DAYS, add_working_days
from intake.calendar.report_deadlines import set_accept_due
from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.models import Report
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher
from portal.timeutil import CHINA
from tests.e2e.staff import make_staff, sign_in


def _report_received_on(app: Flask, day: date) -> str:
    """File a report through the real operation, as if received on `day`; return its case number."""
    with app.app_context():
        session = db_session()
        draft = ReportDraft(
            region=get_region_by_code(session, "640104"),
            party_kind="hospital",
            party_name="某某医院",
            facts="该院让病人挂床住院，伪造住院记录。",
            violation_codes=["nominal_bed"],
            submission_key=secrets.token_urlsafe(16),
        )
        receipt = submit_report(session, draft, cipher=data_cipher(), hasher=access_code_hasher())
        report = session.scalars(
            select(Report).where(Report.case_number == receipt.case_number)
        ).one()
        report.received_at = datetime.combine(day, time(10), CHINA).astimezone(UTC)
        set_accept_due(report, add_working_days(session, day, ACCEPT_DECISION_WORKING_DAYS))
        session.commit()
        return receipt.case_number


def test_entering_the_spring_festival_moves_an_estimated_deadline(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    case_number = _report_received_on(app, date(2027, 1, 28))
    officer = sign_in(browser, base, "intake", make_staff(app, "intake", "intake_officer"))
    admin = sign_in(
        browser, base, "admin", make_staff(app, "admin", "administrator", region="640000")
    )

    # The officer sees the estimate (New Year's Eve and the 3rd day skipped) and its caveat.
    officer.goto(f"{base}/staff/reports/{case_number}")
    expect(officer.locator("#accept-due")).to_have_text("2027年2月22日")
    expect(officer.locator("#particulars-title + dl")).to_contain_text("调休上班日无法预先知道")

    # The administrator sees which days the estimate takes, and enters the official block.
    admin.goto(f"{base}/staff/admin/calendar")
    expect(admin.locator("#make-up-days-unknown")).to_be_visible()
    expect(admin.locator("#estimate-table-2027")).to_contain_text("2027年2月5日")
    admin.fill('[name="day"]', "2027-02-05")
    admin.fill('[name="last_day"]', "2027-02-12")
    admin.check('[name="kind"][value="holiday"]')
    admin.fill('[name="note"]', "春节")
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".flash-success")).to_contain_text("调整的在办期限：1 个")
    expect(admin.locator("#entered-days tbody tr")).to_have_count(8)

    # The officer's page now shows the moved deadline, and the history says why.
    officer.reload()
    expect(officer.locator("#accept-due")).to_have_text("2027年2月26日")
    expect(officer.locator(".timeline")).to_contain_text(
        "节假日日历变更，期限随之调整 (2027-02-22 → 2027-02-26)"
    )
