"""Public pages and downloads of fund disclosures."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.db import db_session
from portal.jurisdictions.models import list_regions
from portal.pagecache import cache_page
from portal.web import csv_response, external_url, json_response, region_options
from publish.catalog import FUNDS, UNITS
from publish.disclosures.columns import COLUMN_NAMES, COLUMNS, TEMPLATE_ROWS
from publish.disclosures.forms import DisclosureFilterForm
from publish.disclosures.pages import disclosure_view
from publish.disclosures.queries import DisclosureFilters, get_download, list_disclosures

bp = Blueprint("disclosures", __name__)


PER_PAGE = 20


def _labels() -> dict[str, Any]:
    return {
        "fund_labels": {f.code: f.label for f in FUNDS},
        "unit_labels": {u.code: u.label for u in UNITS},
    }


@bp.get("/disclosures")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_disclosures_view() -> ResponseReturnValue:
    """Fund disclosures, filterable by region, year and fund."""
    form = DisclosureFilterForm(request.args, regions=region_options(list_regions(db_session())))
    status, filters, page = 200, DisclosureFilters(), 1
    if request.args and not form.validate():
        status = 400
    else:
        filters = DisclosureFilters(
            region_key=form.region.data or None, year=form.year.data, fund=form.fund.data or None
        )
        page = form.page.data or 1
    items, total = list_disclosures(db_session(), filters, page, PER_PAGE)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "publish/disclosures/disclosures.html",
        form=form,
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        page_url=lambda n: url_for("disclosures.list_disclosures_view", **args, page=n),
        **_labels(),
    ), status


@bp.get("/disclosures/<int:disclosure_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_disclosure(disclosure_id: int) -> ResponseReturnValue:
    """One disclosure in force: its table, charts, revisions and downloads."""
    view = disclosure_view(db_session(), disclosure_id)
    if view is None:
        abort(404)
    return render_template("publish/disclosures/disclosure.html", view=view, **_labels())


@bp.get("/disclosures/<int:disclosure_id>/revisions/<int:number>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_disclosure_revision(disclosure_id: int, number: int) -> ResponseReturnValue:
    """An earlier revision, still readable, marked as replaced."""
    view = disclosure_view(db_session(), disclosure_id, number)
    if view is None:
        abort(404)
    return render_template("publish/disclosures/disclosure.html", view=view, **_labels())


def _revision_arg() -> int | None:
    value = request.args.get("revision")
    if value is None:
        return None
    if not value.isdigit():
        abort(404)
    return int(value)


@bp.get("/disclosures/<int:disclosure_id>.csv")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_disclosure_csv(disclosure_id: int) -> ResponseReturnValue:
    """The disclosure as CSV in the import format (UTF-8 with BOM)."""
    download = get_download(db_session(), disclosure_id, _revision_arg())
    if download is None:
        abort(404)
    return csv_response(f"{download.stem}.csv", COLUMN_NAMES, download.rows)


@bp.get("/disclosures/<int:disclosure_id>.json")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_disclosure_json(disclosure_id: int) -> ResponseReturnValue:
    """The disclosure as JSON: the same rows, with the revision history."""
    download = get_download(db_session(), disclosure_id, _revision_arg())
    if download is None:
        abort(404)
    return json_response({**download.document, "columns": external_url("disclosures.show_columns")})


@bp.get("/disclosures/columns")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_columns() -> ResponseReturnValue:
    """The column dictionary of the import format and the downloads."""
    return render_template("publish/disclosures/columns.html", columns=COLUMNS)


@bp.get("/disclosures/template.csv")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_template() -> ResponseReturnValue:
    """An import template with the header and one example row."""
    return csv_response("disclosure-template.csv", COLUMN_NAMES, TEMPLATE_ROWS)
