"""Office performance in Chromium (docs/domain.md §15): sorting by a column, the chart, the downloads; the staff page."""

from __future__ import annotations

import secrets

from flask import Flask
from playwright.sync_api import Browser, expect

from tests.e2e.staff import make_staff, sign_in

PHONE = {"width": 390, "height": 844}


def _reports(app: Flask) -> None:
    """Seven reports of 兴庆区, five of 银川市's own office, two of 金凤区 (hidden publicly)."""
    from intake.filing.operations import ReportDraft, submit_report
    from intake.filing.receipts import access_code_hasher
    from portal.db import db_session
    from portal.jurisdictions.models import get_region_by_code
    from portal.security import data_cipher

    with app.app_context():
        session = db_session()
        for region, n in (("640104", 7), ("640100", 5), ("640106", 2)):
            for _ in range(n):
                draft = ReportDraft(
                    region=get_region_by_code(session, region),  # type: ignore[arg-type]
                    party_kind="hospital",
                    party_name="银川某某医院",
                    facts="该院让病人挂床住院。",
                    violation_codes=["nominal_bed"],
                    submission_key=secrets.token_urlsafe(16),
                )
                submit_report(session, draft, cipher=data_cipher(), hasher=access_code_hasher())
        session.commit()


def test_the_public_sorts_offices_by_a_column_and_downloads_the_figures(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    _reports(app)
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{base}/stats")
    page.locator("#performance-link a").click()
    expect(page.locator("h1")).to_have_text("工作考核")
    page.get_by_label("地区").select_option("640100")
    page.get_by_role("button", name="显示").click()
    rows = page.locator("#offices tbody tr")
    expect(rows.first).to_contain_text("银川市本级")
    page.locator("#offices thead a[data-sort='received']").click()
    expect(page.locator("#offices thead th[aria-sort='descending']")).to_contain_text("收到的举报")
    expect(rows.first).to_contain_text("兴庆区")
    expect(rows.last.locator("[data-metric='received']")).to_have_attribute(
        "data-suppressed", "true"
    )
    chart = page.locator("figure.chart-figure")
    expect(chart.locator("figcaption")).to_contain_text("收到的举报")
    expect(chart.locator("svg .bar-missing").first).to_have_text("隐藏")
    for link in ("#download-csv", "#download-channels", "#download-groups", "#download-json"):
        href = page.locator(link).get_attribute("href")
        response = page.request.get(f"{base}{href}")
        assert response.status == 200, link
    csv_text = page.request.get(
        f"{base}{page.locator('#download-csv').get_attribute('href')}"
    ).text()
    assert "suppressed" in csv_text and "640106" in csv_text


def test_a_bad_choice_is_refused_with_a_message_and_the_page_keeps_working(
    browser: Browser, live_server: str
) -> None:
    page = browser.new_context().new_page()
    response = page.goto(f"{live_server}/performance?year=1999&sort=nothing")
    assert response is not None and response.status == 400
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("年度")).to_have_value("1999")


def test_an_approver_sees_exact_figures_of_their_region_and_below(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    _reports(app)
    secret = make_staff(app, "perf.approver", "approver", region="640100")
    page = sign_in(browser, base, "perf.approver", secret)
    page.get_by_role("link", name="工作考核").first.click()
    expect(page.locator("#internal-note")).to_be_visible()
    expect(page.locator("tr[data-region='640106'] [data-metric='received']")).to_have_text("2")
    page.get_by_label("地区").select_option("640104")
    page.get_by_role("button", name="显示").click()
    expect(page.locator("#offices tbody tr")).to_have_count(1)
    expect(page.locator("#offices tbody tr")).to_contain_text("兴庆区本级")
    expect(page.get_by_label("地区").locator("option[value='110000']")).to_have_count(0)
