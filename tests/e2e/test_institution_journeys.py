"""Choosing the reported institution, with and without JavaScript, and merging duplicates from the
staff page (docs/domain.md §8), in Chromium."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import select

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.models import Report
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher
from tests.e2e.staff import make_staff, sign_in
from tests.e2e.test_reporting_journeys import read_receipt
from tests.institution_samples import add_institution

FACTS = "该院组织参保人挂床住院，实际不在院，按住院结算医保费用。"


def _directory(app: Flask) -> None:
    with app.app_context():
        add_institution(
            db_session(),
            "H64010400001",
            "银川市第一人民医院",
            former=("银川市人民医院",),
            address="兴庆区胜利街 2 号",
        )
        add_institution(db_session(), "H64010600003", "金凤区人民医院", region_code="640106")
        db_session().commit()


def _linked_to(app: Flask, case_number: str) -> str | None:
    with app.app_context():
        report = db_session().scalar(select(Report).where(Report.case_number == case_number))
        assert report is not None
        return report.institution.code if report.institution else None


def _fill_the_rest(page: Page) -> None:
    page.check('input[name="situation"][value="paper_admission"]')
    page.fill('[name="facts"]', FACTS)
    page.locator("#more-details > summary").click()
    page.fill('[name="amount"]', "12500")


def _send(page: Page, app: Flask) -> str | None:
    """Send the report and return the code of the institution it was linked to."""
    page.check('[name="declaration"]')
    page.get_by_role("button", name="提交举报").click()
    case_number, _ = read_receipt(page)
    return _linked_to(app, case_number)


def test_a_citizen_finds_a_hospital_by_name_without_javascript(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    _directory(app)
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{base}/report")
    page.check('input[name="party_kind"][value="hospital"]')
    _fill_the_rest(page)
    page.fill('[name="institution_query"]', "人民医院")
    page.get_by_role("button", name="查找机构").click()

    # Everything typed is still there, and the matches are listed to choose from.
    expect(page.locator('[name="facts"]')).to_have_value(FACTS)
    expect(page.locator('input[name="situation"][value="paper_admission"]')).to_be_checked()
    expect(page.locator("#error-summary")).to_have_count(0)
    page.get_by_label("银川市第一人民医院").check()
    page.get_by_role("button", name="选用所选机构").click()

    expect(page.locator('[name="party_name"]')).to_have_value("银川市第一人民医院")
    expect(page.locator('[name="region"]')).to_have_value("640104")
    expect(page.locator("#institution-chosen")).to_contain_text("H64010400001")
    expect(page.locator('[name="facts"]')).to_have_value(FACTS)
    assert _send(page, app) == "H64010400001"


def _report_about_a_hospital(browser: Browser, live_site: tuple[str, Flask]) -> Page:
    """Open the report form on a site with the directory, a hospital chosen as the party."""
    base, app = live_site
    _directory(app)
    page = browser.new_context().new_page()
    page.goto(f"{base}/report")
    page.check('input[name="party_kind"][value="hospital"]')
    return page


def test_a_citizen_finds_a_hospital_as_they_type(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    app = live_site[1]
    page = _report_about_a_hospital(browser, live_site)
    search = page.locator('[name="institution_query"]')
    search.press_sequentially("金凤区人民", delay=40)
    option = page.get_by_role("option", name="金凤区人民医院")
    expect(option).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    search.press("Enter")

    expect(page.locator('[name="party_name"]')).to_have_value("金凤区人民医院")
    expect(page.locator('[name="region"]')).to_have_value("640106")
    expect(page.locator("#institution-chosen")).to_contain_text("H64010600003")
    expect(search).to_have_attribute("aria-expanded", "false")
    _fill_the_rest(page)
    assert _send(page, app) == "H64010600003"


def test_a_citizen_keeps_a_name_that_is_not_in_the_list(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    app = live_site[1]
    page = _report_about_a_hospital(browser, live_site)
    page.locator('[name="institution_query"]').press_sequentially("某某私立诊所", delay=40)
    page.get_by_role("option", name="不在列表中：我自行填写名称").click()
    expect(page.locator('[name="party_name"]')).to_have_value("某某私立诊所")
    page.select_option('[name="region"]', "640104")
    _fill_the_rest(page)
    assert _send(page, app) is None


def _report_about(app: Flask, party_name: str, code: str) -> str:
    with app.app_context():
        session = db_session()
        from portal.institutions.search import get_institution

        receipt = submit_report(
            session,
            ReportDraft(
                region=get_region_by_code(session, "640104"),
                party_kind="hospital",
                party_name=party_name,
                institution=get_institution(session, code),
                facts=FACTS,
                violation_codes=["nominal_bed"],
                submission_key=party_name,
            ),
            cipher=data_cipher(),
            hasher=access_code_hasher(),
        )
        session.commit()
        return receipt.case_number


def test_an_officer_sees_the_duplicates_panel_and_merges(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    _directory(app)
    first = _report_about(app, "银川市第一人民医院", "H64010400001")
    later = _report_about(app, "一院（胜利街）", "H64010400001")
    officer = sign_in(browser, base, "intake", make_staff(app, "intake", "intake_officer"))
    officer.goto(f"{base}/staff/reports/{later}")

    panel = officer.locator("#duplicates")
    expect(panel).to_contain_text(first)
    expect(panel).to_contain_text("同一机构")
    entry = panel.locator(f"#duplicate-{first}")
    entry.get_by_label("判定为同一线索的理由").fill("同一医院同一时段挂床住院")
    entry.get_by_role("button", name="与此举报合并").click()

    expect(officer.locator(".flash-success")).to_be_visible()
    expect(officer.locator("#stage")).to_have_attribute("data-stage", "closed")
    merged_into = officer.locator("p", has=officer.locator("#stage")).get_by_role("link")
    expect(merged_into).to_have_text(first)


def test_a_late_list_of_suggestions_keeps_the_one_under_the_keyboard(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    page = _report_about_a_hospital(browser, live_site)
    held: list[Route] = []

    def hold_the_longer_text(route: Route) -> None:
        # The answer to the text as finally typed comes after the arrow key.
        if "%E6%B0%91" in route.request.url:  # 民
            held.append(route)
        else:
            route.continue_()

    page.route("**/institutions/suggest*", hold_the_longer_text)
    search = page.locator('[name="institution_query"]')
    search.press_sequentially("金凤区人", delay=40)
    option = page.get_by_role("option", name="金凤区人民医院")
    expect(option).to_be_visible()
    search.press_sequentially("民")
    page.wait_for_timeout(600)  # the chooser asks once typing has paused (200 ms)
    assert held, "the chooser did not ask for the longer text"
    search.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    with page.expect_response("**/institutions/suggest*"):
        held[0].continue_()
    expect(page.get_by_role("option", name="金凤区人民医院")).to_have_attribute(
        "aria-selected", "true"
    )
    search.press("Enter")
    expect(page.locator('[name="party_name"]')).to_have_value("金凤区人民医院")
