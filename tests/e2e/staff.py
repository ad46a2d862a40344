"""Staff helpers for browser journeys: accounts in the live app, and signing in with TOTP."""

from __future__ import annotations

from typing import Any

import pyotp
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.accounts.operations import create_staff_user
from portal.accounts.totp import new_totp_secret
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher, password_hasher
from tests.conftest import STAFF_PASSWORD


def make_staff(app: Flask, username: str, role: str, region: str = "640100", **fields: Any) -> str:
    """Create a user with a TOTP secret in the live app; return the secret."""
    with app.app_context():
        session = db_session()
        user = create_staff_user(
            session,
            username=username,
            display_name=username,
            password=STAFF_PASSWORD,
            region=get_region_by_code(session, region),
            roles=[role],
            hasher=password_hasher(),
            **fields,
        )
        secret = new_totp_secret()
        user.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{user.id}:totp")
        session.commit()
        return secret


def sign_in(browser: Browser, base: str, username: str, secret: str) -> Page:
    """Sign in through the real pages (password, then a TOTP code) in a new browser context."""
    page = browser.new_context().new_page()
    page.goto(f"{base}/staff/login")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.get_by_role("button", name="继续").click()
    page.fill('[name="code"]', pyotp.TOTP(secret).now())
    page.get_by_role("button", name="登录").click()
    expect(page.locator('form[action$="/staff/logout"]')).to_be_visible()
    return page


def file_report(app: Flask, key: str, **fields: Any) -> str:
    """File a report in the live app through the real operation; return its case number."""
    from intake.filing.operations import ReportDraft, submit_report
    from intake.filing.receipts import access_code_hasher

    with app.app_context():
        session = db_session()
        draft: dict[str, Any] = {
            "region": get_region_by_code(session, "640104"),
            "party_kind": "hospital",
            "party_name": "银川某某医院",
            "facts": "该院让病人挂床住院。",
            "violation_codes": ["nominal_bed"],
            "submission_key": key,
            **fields,
        }
        receipt = submit_report(
            session, ReportDraft(**draft), cipher=data_cipher(), hasher=access_code_hasher()
        )
        session.commit()
        return receipt.case_number


def take_to_feedback(
    app: Flask, case_number: str, intake: str, investigator: str, approver: str, recovered: str
) -> None:
    """Take a live report through acceptance, a case, a decision and feedback, by username."""
    from sqlalchemy import select

    from intake.models import Report
    from portal.accounts.models import StaffUser
    from tests.conftest import handle_to_feedback

    with app.app_context():
        session = db_session()
        staff = {u.username: u for u in session.scalars(select(StaffUser))}
        handle_to_feedback(
            session,
            session.scalar(select(Report).where(Report.case_number == case_number)),
            intake=staff[intake],
            investigator=staff[investigator],
            approver=staff[approver],
            recovered=recovered,
        )
        session.commit()
