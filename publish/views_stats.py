"""Public statistics: a table per region and period, a chart, CSV and JSON downloads."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from portal.csvfiles import csv_bytes
from portal.db import db_session
from portal.models import Region, get_region_by_code, list_regions
from portal.pagecache import cache_page
from portal.timeutil import today_in_china
from publish.charts import Point, income_expenditure_chart
from publish.stats import METRICS, RegionStats, compute, rows_for

bp = Blueprint("stats", __name__)


class StatsForm(FlaskForm):
    """Which region and period to show."""

    class Meta:
        csrf = False

    year = IntegerField(validators=[Optional(), NumberRange(min=2000, max=2100)])
    quarter = SelectField(validators=[Optional()], validate_choice=True)
    region = SelectField(validators=[Optional()], validate_choice=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = str(get_locale() or "").startswith("en")
        self.year.label.text = _("Year")
        self.quarter.label.text = _("Quarter")
        self.region.label.text = _("Region")
        self.quarter.choices = [SelectChoice("", _("Whole year"))] + [
            SelectChoice(str(q), f"Q{q}") for q in range(1, 5)
        ]
        self.region.choices = [SelectChoice("", _("All provinces"))] + [
            SelectChoice(r.code, r.label("en" if english else "zh"))
            for r in list_regions(db_session())
        ]


def _selection() -> tuple[StatsForm, int, int | None, Region | None, int]:
    form = StatsForm(request.args)
    status = 200
    if request.args and not form.validate():
        status = 400
        return form, today_in_china().year, None, None, status
    year = form.year.data or today_in_china().year
    quarter = int(form.quarter.data) if form.quarter.data else None
    region = get_region_by_code(db_session(), form.region.data) if form.region.data else None
    return form, year, quarter, region, status


def _rows() -> tuple[StatsForm, int, int | None, Region | None, list[RegionStats], int]:
    form, year, quarter, region, status = _selection()
    result = compute(db_session(), year, quarter, int(current_app.config["STATS_MIN_COUNT"]))
    return form, year, quarter, region, rows_for(result, region), status


@bp.get("/stats")
@cache_page("STATS_CACHE_SECONDS")
def show_stats() -> tuple[str, int]:
    """How reports are handled, per region, with small counts suppressed."""
    form, year, quarter, region, rows, status = _rows()
    english = str(get_locale() or "").startswith("en")
    points = [
        Point(
            r.region.name_en if english else r.region.name_zh,
            Decimal(r.shown("received") or 0),
            Decimal(r.shown("closed") or 0),
            None,
        )
        for r in rows
    ]
    chart = income_expenditure_chart(
        points,
        _("Reports received and closed, %(year)s", year=year),
        _(
            "Bars for each region: received first, closed second. Suppressed counts are drawn as zero; the table marks them."
        ),
        (_("Received reports"), _("Closed reports")),
    )
    args = {k: v for k, v in request.args.items()}
    return render_template(
        "publish/stats.html",
        form=form,
        rows=rows,
        year=year,
        quarter=quarter,
        chart=chart,
        threshold=current_app.config["STATS_MIN_COUNT"],
        csv_url=url_for("stats.download_stats_csv", **args),
        json_url=url_for("stats.download_stats_json", **args),
    ), status


def _records(rows: list[RegionStats], year: int, quarter: int | None) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        record: dict[str, Any] = {
            "region_code": r.region.code,
            "region": r.region.name_zh,
            "year": year,
            "quarter": quarter or "",
        }
        for metric in METRICS:
            value = r.shown(metric)
            record[metric] = (
                "" if value is None else (str(value) if isinstance(value, Decimal) else value)
            )
        out.append(record)
    return out


@bp.get("/stats.csv")
@cache_page("STATS_CACHE_SECONDS")
def download_stats_csv() -> Response:
    """The statistics shown, as CSV (UTF-8 with BOM); suppressed cells are empty."""
    _, year, quarter, _, rows, status = _rows()
    body = csv_bytes(
        ["region_code", "region", "year", "quarter", *METRICS], _records(rows, year, quarter)
    )
    response = make_response(body, status)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="stats-{year}{"Q" + str(quarter) if quarter else ""}.csv"'
    )
    return response


@bp.get("/stats.json")
@cache_page("STATS_CACHE_SECONDS")
def download_stats_json() -> Response:
    """The statistics shown, as JSON; suppressed values are null."""
    _, year, quarter, _, rows, status = _rows()
    records = [
        {k: (None if v == "" and k in METRICS else v) for k, v in rec.items()}
        for rec in _records(rows, year, quarter)
    ]
    body = {
        "year": year,
        "quarter": quarter,
        "suppression_threshold": current_app.config["STATS_MIN_COUNT"],
        "rows": records,
    }
    response = make_response(json.dumps(body, ensure_ascii=False, indent=2), status)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response
