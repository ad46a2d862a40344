"""An administrator replays the attack on the two-person protection, and is refused at each step.

The attack: an administrator of Ningxia created an approver with the custodian right and an
investigator in Anhui, chose their passwords, enrolled their TOTP, then used the pair to
request, approve and read a real-name reporter's identity; and gave their own account the
investigator role in Anhui.
"""

from __future__ import annotations

import pyotp
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.db import db_session
from tests.conftest import STAFF_PASSWORD
from tests.e2e.staff import make_staff, sign_in

CHOSEN = "amber tractor violin meadow"
NEW = "copper lagoon whistle orchard"


def _fill_account(page: Page, username: str, region: str, *roles: str, custodian: bool) -> None:
    page.fill('[name="username"]', username)
    page.fill('[name="display_name"]', username)
    page.fill('[name="password"]', CHOSEN)
    page.select_option('[name="region"]', region)
    for role in roles:
        page.check(f'[name="roles"][value="{role}"]')
    if custodian:
        page.check('[name="wants_custodian"]')


def _exists(app: Flask, username: str) -> bool:
    with app.app_context():
        return (
            db_session().scalar(select(StaffUser).where(StaffUser.username == username)) is not None
        )


def _enter_chosen_password(page: Page, base: str, username: str) -> None:
    """Sign in with the password an administrator chose: only its replacement is offered."""
    page.goto(f"{base}/staff/login")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', CHOSEN)
    page.get_by_role("button", name="继续").click()
    expect(page.locator("h1")).to_have_text("设置您自己的密码")


def _finish_first_sign_in(page: Page, username: str) -> None:
    """Replace the chosen password, sign in with the own one and enrol two-factor sign-in."""
    page.fill('[name="current"]', CHOSEN)
    page.fill('[name="new"]', NEW)
    page.fill('[name="confirm"]', NEW)
    page.get_by_role("button", name="设置我的密码").click()
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', NEW)
    page.get_by_role("button", name="继续").click()
    secret = page.locator("#totp-secret").inner_text()
    page.fill('[name="code"]', pyotp.TOTP(secret).now())
    page.get_by_role("button", name="确认").click()
    expect(page.locator('form[action$="/staff/logout"]')).to_be_visible()


def test_an_administrator_alone_cannot_reach_a_reporter(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    admin = sign_in(
        browser, base, "nx-admin", make_staff(app, "nx-admin", "administrator", "640000")
    )

    # 1. Another province is not offered, and forging the choice is refused.
    admin.goto(f"{base}/staff/admin/users/new")
    expect(admin.locator('[name="region"] option[value="340000"]')).to_have_count(0)
    admin.evaluate(
        """() => {
            const option = document.createElement('option');
            option.value = '340000';
            option.textContent = 'Anhui';
            document.querySelector('[name="region"]').appendChild(option);
        }"""
    )
    _fill_account(admin, "ah-approver", "340000", "approver", custodian=True)
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".field-errors")).to_be_visible()
    assert not _exists(app, "ah-approver")

    # 2. Within Ningxia the account is made, but its case-file rights await a custodian.
    admin.goto(f"{base}/staff/admin/users/new")
    _fill_account(admin, "nx-pawn", "640100", "approver", "investigator", custodian=True)
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".flash-success")).to_contain_text("保管人")
    expect(admin.locator("tr", has_text="nx-pawn")).to_contain_text("等待")

    # 3. The chosen password opens only the page that replaces it: no two-factor, no queue.
    pawn = browser.new_context().new_page()
    _enter_chosen_password(pawn, base, "nx-pawn")
    pawn.goto(f"{base}/staff/enrol")
    expect(pawn.locator("h1")).to_have_text("设置您自己的密码")

    # 4. Even completing the pawn's sign-in oneself gives no case files.
    _finish_first_sign_in(pawn, "nx-pawn")
    response = pawn.goto(f"{base}/staff/queue")
    assert response is not None and response.status == 403

    # 5. The administrator cannot give their own account a role or move it.
    admin.goto(f"{base}/staff/admin/users")
    admin.get_by_role("link", name="nx-admin").click()
    admin.check('[name="roles"][value="investigator"]')
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".error-summary")).to_contain_text("另一位管理员")
    admin.goto(f"{base}/staff/admin/users")
    admin.get_by_role("link", name="nx-admin").click()
    admin.select_option('[name="region"]', "640104")
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".error-summary")).to_contain_text("另一位管理员")


def test_a_custodian_sees_the_request_at_sign_in_and_approves_it_with_their_password(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    admin = sign_in(
        browser, base, "nx-admin", make_staff(app, "nx-admin", "administrator", "640000")
    )
    admin.goto(f"{base}/staff/admin/users/new")
    _fill_account(admin, "nx-officer", "640100", "investigator", custodian=False)
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator("tr", has_text="nx-officer")).to_contain_text("等待")

    # The custodian's sign-in leads to the change, not to their usual first page.
    keeper = sign_in(
        browser,
        base,
        "nx-keeper",
        make_staff(app, "nx-keeper", "approver", "640000", wants_custodian=True),
    )
    expect(keeper.locator("h1")).to_have_text("本辖区的权限变更")
    change = keeper.locator("section.access-change", has_text="nx-officer")
    expect(change).to_contain_text("等待决定")

    # A wrong password approves nothing; the own password does.
    change.get_by_label("您的密码").fill("not my password at all")
    change.get_by_role("button", name="批准").click()
    expect(keeper.locator(".flash-error")).to_be_visible()
    change = keeper.locator("section.access-change", has_text="nx-officer")
    expect(change).to_contain_text("等待决定")
    change.get_by_label("您的密码").fill(STAFF_PASSWORD)
    change.get_by_role("button", name="批准").click()
    expect(keeper.locator(".flash-success")).to_contain_text("决定已记录")
    expect(keeper.locator("section.access-change", has_text="nx-officer")).to_contain_text(
        "nx-keeper 于"
    )
    keeper.get_by_role("button", name="我已阅读这些变更").click()
    expect(keeper).not_to_have_url(f"{base}/staff/access-changes/")

    # The officer, once signed in with their own password, reaches the queue.
    officer = browser.new_context().new_page()
    _enter_chosen_password(officer, base, "nx-officer")
    _finish_first_sign_in(officer, "nx-officer")
    response = officer.goto(f"{base}/staff/queue")
    assert response is not None and response.status == 200
