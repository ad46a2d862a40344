"""Figures on a 390-px phone in Chromium: chart titles, legends, readable ticks, the year shown."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.db import db_session
from portal.timeutil import today_in_china
from publish.demo import seed_demo_disclosures
from publish.disclosures.models import Disclosure

PHONE = {"width": 390, "height": 844}


def _phone(browser: Browser) -> Page:
    return browser.new_context(viewport=PHONE, device_scale_factor=2).new_page()


def _fits_the_screen(page: Page) -> bool:
    # The charts and their figures; tables scroll in their own box (the page-wide walk at
    # 390 px checks the rest).
    return bool(
        page.evaluate(
            "[...document.querySelectorAll('figure.chart-figure, figure.chart-figure > *')]"
            ".every(e => e.getBoundingClientRect().right <= window.innerWidth)"
        )
    )


def _smallest_chart_text_px(page: Page) -> float:
    return float(
        page.evaluate(
            "Math.min(...[...document.querySelectorAll('svg.chart text')]"
            ".map(t => t.getBoundingClientRect().height))"
        )
    )


def test_the_statistics_chart_on_a_phone_has_a_title_a_legend_and_readable_ticks(
    browser: Browser, live_server: str
) -> None:
    page = _phone(browser)
    page.goto(f"{live_server}/stats")
    figure = page.locator("figure.chart-figure")
    expect(figure.locator("figcaption")).to_contain_text("收到和办结的举报")
    expect(figure.locator(".chart-legend li")).to_have_count(2)
    expect(figure.locator(".chart-legend li").first).to_be_visible()
    expect(page.get_by_role("img", name="收到和办结的举报")).to_be_visible()
    ticks = figure.locator("svg.chart text[fill='#4a5360']").all_text_contents()
    assert len(ticks) == len(set(ticks)) >= 2
    assert _smallest_chart_text_px(page) >= 10 and _fits_the_screen(page)


def test_the_year_box_shows_the_year_the_table_shows(browser: Browser, live_server: str) -> None:
    page = _phone(browser)
    page.goto(f"{live_server}/stats")
    year = str(today_in_china().year)
    expect(page.get_by_label("年度")).to_have_value(year)
    expect(page.locator("#stats caption")).to_contain_text(f"{year}年全年")


def _demo_disclosure_on_a_phone(browser: Browser, live_site: tuple[str, Flask]) -> Page:
    """Seed the demo disclosures and open the first on a 390-px phone."""
    base, app = live_site
    with app.app_context():
        seed_demo_disclosures(db_session())
        db_session().commit()
        disclosure_id = db_session().query(Disclosure).first().id  # type: ignore[union-attr]
    page = _phone(browser)
    page.goto(f"{base}/disclosures/{disclosure_id}")
    return page


def test_a_disclosure_on_a_phone_names_its_period_and_titles_both_charts(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    page = _demo_disclosure_on_a_phone(browser, live_site)
    expect(page).to_have_title(re.compile(r"^全国 2022年全年 · "))
    expect(page.locator("h1")).to_have_text("全国 · 2022年全年")
    figures = page.locator("figure.chart-figure")
    expect(figures).to_have_count(2)
    for i in range(2):
        expect(figures.nth(i).locator("figcaption")).to_be_visible()
        expect(figures.nth(i).locator(".chart-legend li").first).to_be_visible()
    expect(figures.nth(1).locator("figcaption")).to_contain_text("累计结余")
    assert _smallest_chart_text_px(page) >= 10 and _fits_the_screen(page)


def test_a_chart_opens_its_figures_as_a_table(
    browser: Browser, live_site: tuple[str, Flask]
) -> None:
    page = _demo_disclosure_on_a_phone(browser, live_site)
    figure = page.locator("figure.chart-figure").first
    figure.locator("summary").click()
    expect(figure.locator("table tbody tr").first).to_contain_text("2022年全年")
    assert _fits_the_screen(page)
