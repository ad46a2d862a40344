"""Public pages of fund disclosures: list, detail with charts, revisions, downloads."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from portal.db import db_session
from portal.models import list_regions
from portal.pagecache import cache_page
from portal.web import external_url
from publish.catalog import FUNDS, UNITS
from publish.charts import Point, balance_chart, income_expenditure_chart
from publish.disclosures import (
    COLUMNS,
    DisclosureFilters,
    list_disclosures,
    revision_rows,
    series_for,
    template_csv,
    to_csv,
)
from publish.models import NATIONAL_CODE, Disclosure, DisclosureRevision

bp = Blueprint("publish", __name__)
PER_PAGE = 20


def _english() -> bool:
    return str(get_locale() or "").startswith("en")


class DisclosureFilterForm(FlaskForm):
    """Filters of the disclosure list, from the query string."""

    class Meta:
        csrf = False

    region = SelectField(validators=[Optional()], validate_choice=True)
    year = IntegerField(validators=[Optional(), NumberRange(min=1990, max=2100)])
    fund = SelectField(validators=[Optional()], validate_choice=True)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = _english()
        self.region.label.text = _("Region")
        self.year.label.text = _("Year")
        self.fund.label.text = _("Fund")
        self.region.choices = [
            SelectChoice("", _("All regions")),
            SelectChoice(NATIONAL_CODE, _("National")),
        ] + [
            SelectChoice(r.code, r.label("en" if english else "zh"))
            for r in list_regions(db_session())
        ]
        self.fund.choices = [SelectChoice("", _("All funds"))] + [
            SelectChoice(f.code, f.label) for f in FUNDS
        ]


@bp.get("/disclosures")
@cache_page("PUBLIC_CACHE_SECONDS")
def list_disclosures_view() -> tuple[str, int]:
    """Fund disclosures, filterable by region, year and fund."""
    form = DisclosureFilterForm(request.args)
    status = 200
    filters = DisclosureFilters()
    if request.args and not form.validate():
        status = 400
    else:
        filters = DisclosureFilters(
            region_key=form.region.data or None,
            year=form.year.data,
            fund=form.fund.data or None,
        )
    page = form.page.data if status == 200 and form.page.data else 1
    items, total = list_disclosures(db_session(), filters, page, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "publish/disclosures.html",
        form=form,
        items=items,
        total=total,
        page=page,
        pages=pages,
        page_url=lambda n: url_for("publish.list_disclosures_view", **args, page=n),
        fund_labels={f.code: f.label for f in FUNDS},
        unit_labels={u.code: u.label for u in UNITS},
    ), status


def _load(disclosure_id: int, number: int | None = None) -> tuple[Disclosure, DisclosureRevision]:
    disclosure = db_session().get(Disclosure, disclosure_id)
    if disclosure is None:
        abort(404)
    if number is None:
        return disclosure, disclosure.current
    revision = next((r for r in disclosure.revisions if r.number == number), None)
    if revision is None:
        abort(404)
    return disclosure, revision


def _in_yi(value: Decimal | None, unit: str) -> Decimal | None:
    # Charts compare periods that may be published in different units: draw in 亿元.
    if value is None:
        return None
    return value / 10000 if unit == "wan" else value


def _charts(disclosure: Disclosure, fund: str) -> dict[str, Any]:
    series = series_for(db_session(), disclosure, fund)
    points = [
        Point(
            label,
            _in_yi(line.income_total, line.revision.unit) or Decimal(0),
            _in_yi(line.expenditure_total, line.revision.unit) or Decimal(0),
            _in_yi(line.balance_accumulated, line.revision.unit),
        )
        for label, line in series
    ]
    fund_label = str(next(f.label for f in FUNDS if f.code == fund))
    region = disclosure.region_label("en" if _english() else "zh")
    return {
        "bars": income_expenditure_chart(
            points,
            _(
                "Income and expenditure by period, %(region)s, %(fund)s (100 million yuan)",
                region=region,
                fund=fund_label,
            ),
            _(
                "Bars for each period: income first, expenditure second. The figures are in the table above."
            ),
            (_("Income"), _("Expenditure")),
        ),
        "balance": balance_chart(
            points,
            _(
                "Accumulated balance over time, %(region)s, %(fund)s (100 million yuan)",
                region=region,
                fund=fund_label,
            ),
            _("One point per period that states its accumulated balance."),
        ),
    }


def _render_detail(disclosure: Disclosure, revision: DisclosureRevision) -> str:
    fund = revision.lines[0].fund if revision.lines else "all"
    return render_template(
        "publish/disclosure.html",
        disclosure=disclosure,
        revision=revision,
        is_current=revision.id == disclosure.current.id,
        charts=_charts(disclosure, fund),
        fund_labels={f.code: f.label for f in FUNDS},
        unit_labels={u.code: u.label for u in UNITS},
    )


@bp.get("/disclosures/<int:disclosure_id>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_disclosure(disclosure_id: int) -> str:
    """One disclosure in force: its table, charts, revisions and downloads."""
    return _render_detail(*_load(disclosure_id))


@bp.get("/disclosures/<int:disclosure_id>/revisions/<int:number>")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_disclosure_revision(disclosure_id: int, number: int) -> str:
    """An earlier revision, still readable, marked as replaced."""
    return _render_detail(*_load(disclosure_id, number))


def _download_name(disclosure: Disclosure, revision: DisclosureRevision, ext: str) -> str:
    return f"disclosure-{disclosure.region_key}-{disclosure.year}{disclosure.period}-r{revision.number}.{ext}"


def _revision_arg() -> int | None:
    value = request.args.get("revision")
    if value is None:
        return None
    if not value.isdigit():
        abort(404)
    return int(value)


@bp.get("/disclosures/<int:disclosure_id>.csv")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_disclosure_csv(disclosure_id: int) -> Response:
    """The disclosure as CSV in the import format (UTF-8 with BOM)."""
    disclosure, revision = _load(disclosure_id, _revision_arg())
    response = make_response(to_csv(revision_rows(disclosure, revision)))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_download_name(disclosure, revision, "csv")}"'
    )
    return response


@bp.get("/disclosures/<int:disclosure_id>.json")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_disclosure_json(disclosure_id: int) -> Response:
    """The disclosure as JSON: the same rows, with the revision history."""
    disclosure, revision = _load(disclosure_id, _revision_arg())
    body = {
        "id": disclosure.id,
        "region": {"code": disclosure.region_key, "name": disclosure.region_label("zh")},
        "year": disclosure.year,
        "period": disclosure.period,
        "unit": revision.unit,
        "source": revision.source,
        "revision": revision.number,
        "revisions": [
            {
                "number": r.number,
                "published_at": r.created_at.isoformat(),
                "change_note": r.change_note,
            }
            for r in disclosure.revisions
        ],
        "funds": [
            {
                k: (str(v) if isinstance(v, Decimal) else v)
                for k, v in row.items()
                if k not in {"region_code", "year", "period", "unit", "source"}
            }
            for row in revision_rows(disclosure, revision)
        ],
        "columns": external_url("publish.show_columns"),
    }
    response = make_response(json.dumps(body, ensure_ascii=False, indent=2))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


@bp.get("/disclosures/columns")
@cache_page("PUBLIC_CACHE_SECONDS")
def show_columns() -> str:
    """The column dictionary of the import format and the downloads."""
    return render_template("publish/columns.html", columns=COLUMNS)


@bp.get("/disclosures/template.csv")
@cache_page("PUBLIC_CACHE_SECONDS")
def download_template() -> Response:
    """An import template with the header and one example row."""
    response = make_response(template_csv())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="disclosure-template.csv"'
    return response
