"""An annual report through its pages, with a real PDF (docs/domain.md §15).

One site for the module: a publisher prepares through the page, another publishes through
the page, and WeasyPrint draws the PDF once; the tests then read what was published. The
PDF's text is extracted with pdfium and checked against the statistics of the year.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from portal import create_app
from portal.accounts.operations import create_staff_user
from portal.accounts.sessions import STAFF_COOKIE, start_staff_session
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.seed import seed_regions
from portal.security import data_cipher, password_hasher
from portal.timeutil import today_in_china
from publish.annual.models import AnnualReport
from publish.stats.metrics import METRICS
from publish.stats.pages import Selection, stats_records
from tests.conftest import STAFF_PASSWORD, test_config, wipe

YEAR = today_in_china().year
PAGE = f"/annual-reports/640100/{YEAR}"


@dataclass(frozen=True)
class Site:
    """The module's app, its signed-in staff and the published report's PDF and text."""

    app: Flask
    clients: dict[str, FlaskClient]
    pdf: bytes
    text: str


def _client(app: Flask, username: str, role: str, region: str) -> FlaskClient:
    session = db_session()
    user = create_staff_user(
        session,
        username=username,
        display_name=username,
        password=STAFF_PASSWORD,
        region=get_region_by_code(session, region),
        roles=[role],
        hasher=password_hasher(),
    )
    token = start_staff_session(session, user, second_factor_done=True)
    session.commit()
    client = app.test_client()
    client.set_cookie(STAFF_COOKIE, token, path="/staff")
    return client


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return re.sub(r"\s+", " ", " ".join(pages))


@pytest.fixture(scope="module")
def site(database_url: str) -> Iterator[Site]:
    app = create_app(test_config(database_url))
    with app.app_context():
        session = db_session()
        seed_regions(session)
        for _ in range(7):
            draft = ReportDraft(
                region=get_region_by_code(session, "640104"),
                party_kind="hospital",
                party_name="某某医院",
                facts="该院让病人挂床住院。",
                violation_codes=["nominal_bed"],
                submission_key=secrets.token_urlsafe(16),
            )
            submit_report(session, draft, cipher=data_cipher(), hasher=access_code_hasher())
        session.commit()
        clients = {
            name: _client(app, name, role, region)
            for name, role, region in (
                ("preparer", "publisher", "640100"),
                ("second", "publisher", "640000"),
                ("approver", "approver", "640100"),
            )
        }
    answer = clients["preparer"].post(
        "/staff/publish/annual-reports", data={"region": "640100", "year": str(YEAR)}
    )
    assert answer.status_code == 303, answer.text
    report_path = answer.headers["Location"]
    page = clients["second"].get(report_path).text
    token = re.search(r'name="previewed" type="hidden" value="([0-9a-f]+)"', page)
    assert token is not None, page
    published = clients["second"].post(f"{report_path}/publish", data={"previewed": token[1]})
    assert published.headers["Location"] == PAGE
    pdf = app.test_client().get(f"{PAGE}/report.pdf").data
    yield Site(app, clients, pdf, _text(pdf))
    wipe(app)


def test_the_pdf_names_the_region_in_selectable_chinese(site: Site) -> None:
    assert f"银川市{YEAR}年度医保基金监管工作报告" in site.text
    assert "银川市医疗保障局" in site.text


def test_the_pdf_sets_its_text_in_the_cjk_font(site: Site) -> None:
    with pikepdf.open(io.BytesIO(site.pdf)) as pdf:
        fonts = {
            str(font.BaseFont)
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    # Chart digits may fall back to the system's sans-serif; the text is in Zen Hei.
    assert any("WenQuanYi-Zen-Hei" in name for name in fonts), fonts


def test_the_pdfs_figures_are_the_years_statistics(site: Site) -> None:
    with site.app.app_context(), site.app.test_request_context():
        from flask_babel import force_locale

        with force_locale("zh_Hans_CN"):
            row = stats_records(db_session(), Selection(YEAR, None, "640100"), 5)[0]
            labels = {m.name: m.heading for m in METRICS}
    assert row["received"] == 7
    for name, heading in labels.items():
        value = row[name]
        if name in row["suppressed"]:
            shown = "*"
        elif value is None:
            shown = "—"
        elif name.endswith("amount"):
            shown = f"{float(value):,.2f}"
        else:
            shown = str(value)
        assert f"{heading} {shown}" in site.text, heading


def test_the_pdf_answers_as_a_pdf_download(site: Site) -> None:
    answer = site.app.test_client().get(f"{PAGE}/report.pdf")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    assert 'filename="annual-report-640100-' in answer.headers["Content-Disposition"]
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    assert answer.data.startswith(b"%PDF-")


def test_the_pdf_is_kept_as_published(site: Site) -> None:
    answer = site.app.test_client().get(f"{PAGE}/v1/report.pdf")
    assert answer.data == site.pdf
    again = site.app.test_client().get(
        f"{PAGE}/report.pdf", headers={"If-None-Match": answer.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_public_page_shows_the_same_figures_and_links_the_pdf(site: Site) -> None:
    page = site.app.test_client().get(PAGE, headers={"Accept-Language": "zh-CN"}).text
    assert '<td class="num" data-metric="received">7</td>' in page
    assert f'href="{PAGE}/v1/report.pdf"' in page


def test_the_list_of_annual_reports_links_the_published_one(site: Site) -> None:
    page = site.app.test_client().get("/annual-reports").text
    assert f'href="{PAGE}"' in page


def test_the_feeds_carry_the_published_report(site: Site) -> None:
    feed = site.app.test_client().get("/feeds/annual-reports.atom").text
    assert f"tag:mifund-portal,2026:annual-report:640100:{YEAR}:v1" in feed
    assert f"http://localhost{PAGE}/v1" in feed


def test_a_draft_has_no_public_page(site: Site) -> None:
    answer = site.clients["preparer"].post(
        "/staff/publish/annual-reports",
        data={"region": "640104", "year": str(YEAR)},
    )
    assert answer.status_code == 303
    client = site.app.test_client()
    assert client.get(f"/annual-reports/640104/{YEAR}").status_code == 404
    assert client.get(f"/annual-reports/640104/{YEAR}/v1/report.pdf").status_code == 404


def test_the_preparer_sees_the_draft_without_a_publish_button(site: Site) -> None:
    answer = site.clients["preparer"].post(
        "/staff/publish/annual-reports", data={"region": "640105", "year": str(YEAR)}
    )
    page = site.clients["preparer"].get(answer.headers["Location"]).text
    assert 'id="own-report"' in page and 'id="confirm-publish"' not in page


def test_an_approver_may_not_prepare(site: Site) -> None:
    answer = site.clients["approver"].post(
        "/staff/publish/annual-reports", data={"region": "640100", "year": str(YEAR)}
    )
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"region": "640100", "year": "20x5", "note": "保留此文字"}, "year", ""),
        (
            {"region": "640100", "year": str(YEAR + 1), "note": "保留此文字"},
            "year",
            "年度报告的年份须在",
        ),
        ({"region": "640000", "year": str(YEAR), "note": "保留此文字"}, "region", ""),
        ({"region": "640100", "year": str(YEAR), "note": "   "}, "note", "请说明本版改动"),
    ],
)
def test_a_refused_preparation_comes_back_on_its_field_with_what_was_typed(
    site: Site, data: dict[str, Any], field: str, words: str
) -> None:
    answer = site.clients["preparer"].post("/staff/publish/annual-reports", data=data)
    assert answer.status_code == 422
    page = answer.text
    assert words in page
    assert f'id="{field}-error"' in page
    assert f'value="{data["year"]}"' in page
    if data["note"].strip():
        assert "保留此文字" in page


def test_the_published_report_is_listed_for_staff_as_published(site: Site) -> None:
    page = site.clients["approver"].get("/staff/publish/annual-reports").text
    assert 'data-status="published"' in page
    assert 'id="prepare-form"' not in page


def test_the_stored_report_holds_the_pdf_served(site: Site) -> None:
    with site.app.app_context():
        report = db_session().query(AnnualReport).filter_by(status="published").one()
        assert report.pdf == site.pdf
