"""The home page: report button first, latest cases and disclosures, headline figures, feeds."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from publish.cases.operations import CaseFields, draft_case, publish_case
from publish.demo import seed_demo_disclosures


def test_the_report_button_comes_before_everything_else(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    main = page.split('<main id="main"')[1]
    assert main.index("/report") < main.index("latest-cases-title")


def test_the_latest_case_and_disclosure_are_listed(
    client: Any, db: Session, make_staff: Any
) -> None:
    seed_demo_disclosures(db)
    case = draft_case(
        db,
        CaseFields(
            title="首页案例",
            region=get_region_by_code(db, "640104"),
            subject_kind="pharmacy",
            subject_name="某药房",
            discovery="big_data",
            violation_codes=["swapping"],
            body="经查属实，已依法处理。",
        ),
        actor=make_staff("publisher"),
    )
    publish_case(db, case, actor=make_staff("approver"))
    db.commit()
    page = client.get("/").get_data(as_text=True)
    assert "首页案例" in page and "2022" in page.split('id="latest-disclosures"')[1]


def test_headline_figures_hide_a_total_that_would_reveal_a_small_count(
    client: Any, make_report: Any
) -> None:
    for _ in range(2):
        make_report(region_code="640104")
    headline = client.get("/").get_data(as_text=True).split('id="headline"')[1].split("</p>")[0]
    assert "<strong>—</strong>" in headline


def test_headline_figures_show_totals_when_safe(client: Any, make_report: Any) -> None:
    for _ in range(6):
        make_report(region_code="640104")
    headline = client.get("/").get_data(as_text=True).split('id="headline"')[1].split("</p>")[0]
    assert "<strong>6</strong>" in headline


def test_the_home_page_offers_the_feeds(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "/feeds/cases.rss" in page and 'type="application/atom+xml"' in page


def test_another_reporting_address_is_configurable(make_app: Any, database_url: str) -> None:
    from tests.conftest import test_config

    app = make_app(test_config(database_url, REPORT_ADDRESS_TEXT="来信请寄：银川市医保局举报中心"))
    assert "银川市医保局举报中心" in app.test_client().get("/").get_data(as_text=True)
