"""Penalty decisions end to end in Chromium: recorded by an approver, published by another, read by anyone."""

from __future__ import annotations

from datetime import timedelta

import feedparser
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.db import db_session
from portal.timeutil import today_in_china
from tests.e2e.staff import make_staff, sign_in
from tests.penalty_factories import make_institution


def _directory(app: Flask) -> None:
    with app.app_context():
        make_institution(db_session(), code="H64010400012", name="银川某某医院")
        db_session().commit()


def _fill_decision(page: Page, fine: str) -> None:
    page.check('input[name="subject_kind"][value="institution"]')
    page.fill('[name="institution_code"]', "H64010400012")
    page.select_option('[name="region"]', "640104")
    page.select_option('[name="article"]', "40")
    page.check('input[name="measures"][value="recover"]')
    page.check('input[name="measures"][value="fine"]')
    page.fill('[name="basis_amount"]', "300,000")
    page.fill('[name="returned_amount"]', "300000")
    page.fill('[name="fine_amount"]', fine)
    page.fill('[name="deciding_office"]', "银川市医疗保障局")
    page.fill('[name="decision_number"]', "银医保罚〔2026〕15号")
    page.fill('[name="decided_on"]', (today_in_china() - timedelta(days=3)).isoformat())
    page.fill('[name="summary"]', "飞行检查发现虚构诊疗项目。")


def test_an_approver_records_another_publishes_and_a_reader_finds_it_on_the_list_the_institutions_page_and_its_feeds(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    _directory(app)
    approver = sign_in(browser, base, "shen", make_staff(app, "shen", "approver"))
    approver.goto(f"{base}/staff/penalties/")
    approver.get_by_role("link", name="录入处理处罚决定").click()
    expect(approver.locator("#article-40")).to_contain_text("2 至 5 倍")
    _fill_decision(approver, "600,000")
    approver.get_by_role("button", name="录入决定").click()
    expect(approver.locator("#penalty-state")).to_have_attribute("data-state", "recorded")
    # Whoever recorded it is not offered to publish it.
    expect(approver.get_by_role("button", name="在公示名单中发布")).to_have_count(0)
    decision_url = approver.url

    publisher = sign_in(browser, base, "fa", make_staff(app, "fa", "publisher"))
    publisher.goto(decision_url)
    publisher.get_by_role("button", name="在公示名单中发布").click()
    expect(publisher.locator("#penalty-title")).to_contain_text("银川某某医院")

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(base)
    reader.get_by_role("link", name="处理结果公示").click()
    reader.select_option('[name="article"]', "40")
    reader.get_by_role("button", name="搜索").click()
    entry = reader.locator("#penalty-list li").first
    expect(entry).to_contain_text("银川某某医院")
    expect(entry).to_contain_text("600,000.00")
    expect(entry).to_contain_text("银医保罚〔2026〕15号")
    assert reader.evaluate("document.documentElement.scrollWidth") <= 390
    feed = feedparser.parse(reader.request.get(f"{base}/feeds/penalties.rss").body())
    assert feed.bozo == 0
    assert [e.title.split("（")[0] for e in feed.entries] == ["银川某某医院"]
    assert "飞行检查" not in str(feed)  # the staff-only summary is never published

    # From the entry to the institution's page in the directory, and that page's own feed.
    entry.locator('a[href="/institutions/H64010400012"]').click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("银川某某医院")
    expect(reader.locator("#penalty-list")).to_contain_text("银医保罚〔2026〕15号")
    own = feedparser.parse(
        reader.request.get(f"{base}/feeds/institutions/H64010400012.atom").body()
    )
    assert (own.bozo, [e.title.split("（")[0] for e in own.entries]) == (0, ["银川某某医院"])


def test_an_out_of_range_fine_is_refused_on_the_form_naming_the_range_and_keeping_everything(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    _directory(app)
    approver = sign_in(browser, base, "shen", make_staff(app, "shen", "approver"))
    approver.goto(f"{base}/staff/penalties/new")
    _fill_decision(approver, "500,000")
    approver.get_by_role("button", name="录入决定").click()
    # docs/domain.md §9: art. 40, 300,000 defrauded → 600,000–1,500,000; 500,000 is refused.
    error = approver.locator("#fine_amount-error")
    expect(error).to_contain_text("600,000.00")
    expect(error).to_contain_text("1,500,000.00")
    expect(approver.locator("#error-summary")).to_contain_text("第40条")
    expect(approver.locator('[name="fine_amount"]')).to_have_value("500,000")
    expect(approver.locator('[name="basis_amount"]')).to_have_value("300,000")
    expect(approver.locator('[name="decision_number"]')).to_have_value("银医保罚〔2026〕15号")
    expect(approver.locator('[name="summary"]')).to_have_value("飞行检查发现虚构诊疗项目。")
    expect(approver.locator('input[name="measures"][value="fine"]')).to_be_checked()
    expect(approver.locator('[name="article"]')).to_have_value("40")
    assert (
        approver.evaluate("document.documentElement.scrollWidth") <= approver.viewport_size["width"]
    )
