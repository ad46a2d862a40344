"""An inspection with a social supervisor, in Chromium (docs/domain.md §14): the city announces a
flying inspection, a county's supervisor signs up without seeing the targets, the city confirms
them, the day passes, the supervisor files an account and the city records the results."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from intake.inspections.models import Inspection
from portal.db import db_session
from portal.timeutil import today_in_china
from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_phone_width import PHONE, assert_fits
from tests.penalty_factories import make_institution

TARGET = "H64010400012"


def test_an_office_and_a_supervisor_take_an_inspection_from_announcement_to_results(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    with app.app_context():
        make_institution(db_session(), code=TARGET, name="银川康宁医院")
        db_session().commit()
    office_secret = make_staff(app, "i-office", "investigator", "640100")
    supervisor_secret = make_staff(
        app,
        "i-supervisor",
        "social_supervisor",
        "640104",
        term_start=date(2020, 1, 1),
        term_end=date(2099, 12, 31),
    )

    # The city announces a flying inspection, choosing the hospital by a search.
    office = sign_in(browser, base, "i-office", office_secret)
    office.get_by_role("link", name="监督检查", exact=True).click()
    office.get_by_role("link", name="发布检查").click()
    office.get_by_label("飞行检查").check()
    office.get_by_label("检查日期").fill((today_in_china() + timedelta(days=7)).isoformat())
    office.get_by_label("被检查地区").select_option("640104")
    office.get_by_label("监督员名额").fill("2")
    office.get_by_label("告知监督员的检查说明").fill("检查兴庆区定点医院住院费用。")
    office.get_by_label("按名称的一部分或编码查找机构").fill("康宁")
    office.get_by_role("button", name="查找机构").click()
    expect(office.get_by_label("告知监督员的检查说明")).to_have_value(
        "检查兴庆区定点医院住院费用。"
    )
    office.get_by_label(f"银川康宁医院 · {TARGET}", exact=False).check()
    office.get_by_label("给参加人员的工作要求").fill("八点在区医保局集合。")
    office.get_by_role("button", name="发布检查").click()
    expect(office.locator("#inspection-status")).to_have_attribute("data-status", "announced")
    expect(office.locator("#targets")).to_contain_text(TARGET)
    inspection_page = office.url

    # The county's supervisor sees it, but not what is to be inspected, and signs up.
    supervisor = sign_in(browser, base, "i-supervisor", supervisor_secret)
    supervisor.set_viewport_size(PHONE)
    supervisor.goto(f"{base}/staff/my-inspections/")
    supervisor.locator("#my-inspections a").first.click()
    expect(supervisor.locator("#targets-hidden")).to_be_visible()
    expect(supervisor.locator("main")).not_to_contain_text(TARGET)
    supervisor.get_by_role("button", name="报名").click()
    expect(supervisor.locator("#my-status")).to_have_attribute("data-status", "signed_up")
    assert_fits(supervisor)

    # The city confirms them.
    office.goto(inspection_page)
    office.get_by_role("button", name="确认 i-supervisor 参加").click()
    expect(office.locator("#confirmed-count")).to_contain_text("已确认 1 人")

    # The day of the inspection passes.
    with app.app_context():
        session = db_session()
        inspection = session.scalars(select(Inspection)).one()
        inspection.inspection_date = today_in_china() - timedelta(days=1)
        session.commit()

    # The supervisor now reads the targets and files an account.
    supervisor.reload()
    expect(supervisor.locator("#my-status")).to_have_attribute("data-status", "confirmed")
    expect(supervisor.locator("#targets")).to_contain_text(TARGET)
    supervisor.get_by_role("textbox", name="您的检查情况说明").fill(
        "住院部多张病床无人，费用清单有住院记录。"
    )
    supervisor.get_by_role("button", name="提交情况说明").click()
    expect(supervisor.locator(".flash-success")).to_be_visible()
    assert_fits(supervisor)

    # The city reads the account and records the inspection done.
    office.goto(inspection_page)
    expect(office.locator("#signups")).to_contain_text("住院部多张病床无人")
    office.get_by_role("link", name="登记检查完成").click()
    office.get_by_label("检查结果").fill("发现挂床住院问题，已立案查处。")
    office.get_by_role("button", name="登记完成").click()
    expect(office.locator("#inspection-status")).to_have_attribute("data-status", "done")
    expect(office.locator("#inspected")).to_contain_text(TARGET)

    # The account is closed: the supervisor reads it as filed.
    supervisor.reload()
    expect(supervisor.locator("#my-account")).to_contain_text("住院部多张病床无人")
