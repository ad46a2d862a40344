"""The annual report end to end in Chromium (docs/domain.md §15): prepared by one publisher,
published by another, read by the public with its PDF."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect

from portal.timeutil import today_in_china
from tests.e2e.staff import file_report, make_staff, sign_in


def test_a_publisher_prepares_another_publishes_and_the_public_reads_it_and_its_pdf(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    base, app = live_site
    year = today_in_china().year
    for n in range(6):
        file_report(app, f"annual-{n}")
    preparer = make_staff(app, "yc-publisher", "publisher", "640100")
    second = make_staff(app, "nx-publisher", "publisher", "640000")

    page = sign_in(browser, base, "yc-publisher", preparer)
    page.goto(f"{base}/staff/publish/annual-reports")
    page.select_option('[name="region"]', "640100")
    page.fill('[name="year"]', str(year))
    page.get_by_role("button", name="编制", exact=True).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#annual-state")).to_have_attribute("data-status", "draft")
    expect(page.locator("#own-report")).to_be_visible()
    expect(page.locator("#confirm-publish")).to_have_count(0)
    draft_url = page.url

    other = sign_in(browser, base, "nx-publisher", second)
    other.goto(draft_url)
    expect(other.locator('#annual-figures td[data-metric="received"]')).to_have_text("6")
    other.get_by_role("button", name="确认发布").click()
    expect(other).to_have_url(f"{base}/annual-reports/640100/{year}")

    public = browser.new_context().new_page()
    public.goto(f"{base}/annual-reports")
    public.get_by_role("link", name="宁夏回族自治区 · 银川市", exact=True).click()
    expect(public.locator("h1")).to_contain_text(f"银川市{year}年度医保基金监管工作报告")
    expect(public.locator('#annual-figures td[data-metric="received"]')).to_have_text("6")
    href = public.locator("#download-pdf").get_attribute("href")
    assert href is not None
    answer = public.request.get(base + href)
    assert answer.ok
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF-")
