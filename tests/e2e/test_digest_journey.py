"""A staff member gives their e-mail address and turns the daily digest off and on (§10)."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.db import db_session
from tests.e2e.staff import make_staff, sign_in


def _saved(app: Flask) -> tuple[str | None, bool]:
    with app.app_context():
        user = db_session().scalars(select(StaffUser).where(StaffUser.username == "li")).one()
        return user.email, user.digest_enabled


def test_a_staff_member_sets_their_address_and_turns_the_digest_off_and_on(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    page = sign_in(browser, base, "li", make_staff(app, "li", "investigator"))
    page.get_by_role("link", name="邮箱与每日摘要").click()
    state = page.locator("#digest-state")
    expect(state).to_have_text("您收不到每日摘要：您还没有填写电子邮箱。")

    # A mistyped address is refused, kept as typed, and nothing is saved.
    page.fill('[name="email"]', "li.nhsa.gov.cn")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#email-error")).to_contain_text("name@example.gov.cn")
    expect(page.locator('[name="email"]')).to_have_value("li.nhsa.gov.cn")
    assert _saved(app) == (None, True)

    page.fill('[name="email"]', "li@nhsa.gov.cn")
    page.get_by_role("button", name="保存").click()
    expect(state).to_have_text("每日摘要发送至 li@nhsa.gov.cn。")

    page.uncheck('[name="digest_enabled"]')
    page.get_by_role("button", name="保存").click()
    expect(state).to_have_text("您收不到每日摘要：您已关闭。")
    assert _saved(app) == ("li@nhsa.gov.cn", False)

    page.check('[name="digest_enabled"]')
    page.get_by_role("button", name="保存").click()
    expect(state).to_have_text("每日摘要发送至 li@nhsa.gov.cn。")
    assert _saved(app) == ("li@nhsa.gov.cn", True)
