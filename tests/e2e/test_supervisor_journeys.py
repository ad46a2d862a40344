"""Social supervisors in Chromium (docs/domain.md §14): appointed with a profile, listed on the
public roster, and appraised after the year — not competent ends the term and the sign-in."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.accounts.supervisors import SupervisorFields, set_supervisor_profile
from portal.db import db_session
from portal.timeutil import today_in_china
from tests.conftest import STAFF_PASSWORD
from tests.e2e.staff import make_staff, sign_in

TODAY = today_in_china()
LAST_YEAR = TODAY.year - 1
TERM = {"term_start": date(LAST_YEAR, 1, 1), "term_end": TODAY + timedelta(days=700)}


def _appoint(app: Flask, username: str, name: str, region: str, fields: SupervisorFields) -> str:
    """A supervisor with a profile in the live app; return their TOTP secret."""
    secret = make_staff(app, username, "social_supervisor", region, **TERM)
    with app.app_context():
        session = db_session()
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        user.display_name = name
        set_supervisor_profile(session, user, fields, actor="cli")
        session.commit()
    return secret


def test_a_reader_finds_the_supervisors_of_a_region_on_the_roster(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    consented = date(LAST_YEAR, 1, 1)
    _appoint(
        app, "sup-media", "马丽", "640104", SupervisorFields("media", "宁夏日报社", True, consented)
    )
    _appoint(
        app,
        "sup-kept-off",
        "李某",
        "640100",
        SupervisorFields("citizen", "某社区居民委员会", False, None, "本人因安全考虑要求不公开"),
    )
    _appoint(
        app,
        "sup-beijing",
        "张伟",
        "110000",
        SupervisorFields("expert", "北京大学", True, consented),
    )

    reader = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    ).new_page()
    reader.goto(base)
    reader.get_by_role("link", name="查看名单").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("社会监督员")
    expect(reader.locator("main")).to_contain_text("马丽")
    expect(reader.locator("main")).to_contain_text("张伟")
    expect(reader.locator("main")).not_to_contain_text("李某")
    expect(reader.locator("main")).not_to_contain_text("安全考虑")
    assert reader.evaluate("document.documentElement.scrollWidth") <= 390

    # Ningxia's roster: the county's supervisor under its own heading, Beijing's not at all.
    reader.select_option('[name="region"]', "640000")
    reader.get_by_role("button", name="显示").click()
    expect(reader.locator("#region-640104")).to_contain_text("兴庆区")
    row = reader.locator(".roster tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("新闻媒体代表")
    expect(row).to_contain_text("宁夏日报社")
    expect(reader.locator("main")).not_to_contain_text("张伟")
    download = reader.request.get(
        base + (reader.locator("#download-json").get_attribute("href") or "")
    )
    assert [item["name"] for item in download.json()["items"]] == ["马丽"]
    assert "sup-media" not in download.text()

    # A forged region answers 400 with the chooser and its message, never 500.
    response = reader.goto(f"{base}/supervisors?region=999999")
    assert response is not None and response.status == 400
    expect(reader.locator("#region-error")).to_contain_text("请从列表中选择地区")


def test_an_administrator_appoints_a_supervisor_who_then_shows_on_the_roster(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    admin = sign_in(
        browser, base, "nx-admin", make_staff(app, "nx-admin", "administrator", "640000")
    )
    admin.goto(f"{base}/staff/admin/users/new")
    admin.fill('[name="username"]', "new-supervisor")
    admin.fill('[name="display_name"]', "王建国")
    admin.fill('[name="password"]', "amber tractor violin meadow")
    admin.select_option('[name="region"]', "640100")
    admin.check('[name="roles"][value="social_supervisor"]')
    admin.fill('[name="term_start"]', TERM["term_start"].isoformat())
    admin.fill('[name="term_end"]', TERM["term_end"].isoformat())
    admin.select_option('[name="affiliation"]', "expert")
    admin.fill('[name="organisation"]', "宁夏医科大学")
    admin.check('[name="roster"][value="listed"]')
    admin.get_by_role("button", name="保存").click()
    # The consent date is missing: refused on its field, everything typed kept.
    expect(admin.locator("#consent_on-error")).to_be_visible()
    expect(admin.locator('[name="organisation"]')).to_have_value("宁夏医科大学")
    admin.fill('[name="password"]', "amber tractor violin meadow")
    admin.fill('[name="consent_on"]', TERM["term_start"].isoformat())
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".flash-success")).to_be_visible()

    reader = browser.new_context().new_page()
    reader.goto(f"{base}/supervisors?region=640100")
    expect(reader.locator(".roster")).to_contain_text("王建国")
    expect(reader.locator(".roster")).to_contain_text("专家")


def test_an_administrator_finds_a_supervisor_not_competent_and_their_sign_in_ends(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    secret = _appoint(
        app,
        "sup-media",
        "马丽",
        "640104",
        SupervisorFields("media", "宁夏日报社", True, date(LAST_YEAR, 1, 1)),
    )
    supervisor = sign_in(browser, base, "sup-media", secret)
    admin = sign_in(
        browser, base, "nx-admin", make_staff(app, "nx-admin", "administrator", "640000")
    )

    admin.goto(f"{base}/staff/admin/users")
    admin.get_by_role("link", name="社会监督员考核").click()
    expect(admin.locator("#year")).to_have_value(str(LAST_YEAR))
    admin.locator("#appraisal-list").get_by_role("link", name="马丽").click()
    expect(admin.locator("#clues-filed")).to_have_text("0")
    admin.check('[name="result"][value="not_competent"]')
    admin.fill('[name="note"]', "全年未提交线索，未参加检查。")
    admin.get_by_role("button", name="记录考核结果").click()
    expect(admin.locator("#appraisal-result")).to_contain_text("不称职")
    expect(admin.locator("#appraisal-result")).to_contain_text("全年未提交线索")
    expect(admin.locator("#appraisal-form")).to_have_count(0)

    # Their open session has ended, and signing in again is refused.
    supervisor.goto(f"{base}/staff/clues/")
    expect(supervisor).to_have_url(f"{base}/staff/login?next=/staff/clues/")
    supervisor.fill('[name="username"]', "sup-media")
    supervisor.fill('[name="password"]', STAFF_PASSWORD)
    supervisor.get_by_role("button", name="继续").click()
    expect(supervisor.locator('[name="code"]')).to_have_count(0)
    assert pyotp.TOTP(secret).now()  # the second factor is never reached

    reader = browser.new_context().new_page()
    reader.goto(f"{base}/supervisors")
    expect(reader.locator("main")).not_to_contain_text("马丽")
