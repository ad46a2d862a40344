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
