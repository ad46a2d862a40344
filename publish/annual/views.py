"""The public annual reports: the list, a report's page (current or an earlier version) and its PDF."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, make_response, render_template, request
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.pagecache import cache_page
from portal.web import page_language
from publish.annual.models import AnnualReport, AnnualStatus
from publish.annual.pages import annual_view, version_lines
from publish.annual.queries import get_public_version, list_current, list_versions

bp = Blueprint("annual", __name__, url_prefix="/annual-reports")


@bp.get("")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_reports() -> ResponseReturnValue:
    """Every published annual report, the newest year first."""
    return render_template("publish/annual/reports.html", reports=list_current(db_session()))


def _page(report: AnnualReport | None) -> ResponseReturnValue:
    if report is None:
        abort(404)
    session = db_session()
    versions = list_versions(session, report)
    current = next((v for v in versions if v.status is AnnualStatus.PUBLISHED), None)
    return render_template(
        "publish/annual/report.html",
        report=report,
        view=annual_view(report, page_language()),
        versions=version_lines(versions),
        current=current,
    )


@bp.get("/<code>/<int:year>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_report(code: str, year: int) -> ResponseReturnValue:
    """The published version of a region's report for a year."""
    return _page(get_public_version(db_session(), code, year))


@bp.get("/<code>/<int:year>/v<int:version>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_version(code: str, year: int, version: int) -> ResponseReturnValue:
    """One published version; a superseded one says so and links the current one."""
    return _page(get_public_version(db_session(), code, year, version))


def _pdf(report: AnnualReport | None) -> ResponseReturnValue:
    if report is None or report.pdf is None:
        abort(404)
    response = make_response(report.pdf)
    response.headers["Content-Type"] = "application/pdf"
    name = f"annual-report-{report.region.code}-{report.year}-v{report.version}.pdf"
    chinese = f"{report.region.name_zh}{report.year}年度报告（第{report.version}版）.pdf"
    response.headers["Content-Disposition"] = (
        f"inline; filename=\"{name}\"; filename*=UTF-8''{quote(chinese)}"
    )
    # A published version never changes: its digest is the ETag.
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(report.pdf_sha256)
    response.last_modified = report.published_at
    response.make_conditional(request)
    return response


@bp.get("/<code>/<int:year>/report.pdf")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_pdf(code: str, year: int) -> ResponseReturnValue:
    """The PDF of the published version, as it was published."""
    return _pdf(get_public_version(db_session(), code, year))


@bp.get("/<code>/<int:year>/v<int:version>/report.pdf")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_version_pdf(code: str, year: int, version: int) -> ResponseReturnValue:
    """The PDF of one published version, as it was published."""
    return _pdf(get_public_version(db_session(), code, year, version))
