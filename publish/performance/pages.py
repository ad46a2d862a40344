"""The offices compared (docs/domain.md §15): the page, its chart and its downloads.

Every value leaves `office_rows` already suppressed (None where hidden) for the public,
so the table, the chart, the CSV and the JSON hide the same cells; the staff page asks for
exact figures (no threshold) and says they are internal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from portal.web import page_language
from publish.catalog import chinese_period_name, period_name
from publish.disclosures.charts import Bar, Chart, single_bar_chart
from publish.performance.compute import OfficeRow, compute_figures, office_rows
from publish.performance.metrics import (
    CHANNEL_CODES,
    GROUP_CODES,
    METRIC_NAMES,
    METRICS_BY_NAME,
)
from publish.stats.compute import period_bounds
from publish.stats.suppression import exact

SORT_KEYS = ("region", *METRIC_NAMES)


@dataclass(frozen=True)
class Selection:
    """What the page was asked for: region (None: the provinces), period, order and chart."""

    year: int
    quarter: int | None = None
    region_code: str | None = None
    sort: str = "region"
    descending: bool = False
    chart: str = "received"

    @property
    def period(self) -> str:
        """Return the period's code as publish/catalog.py names periods (Y, Q1–Q4)."""
        return f"Q{self.quarter}" if self.quarter else "Y"


@dataclass(frozen=True)
class PerformanceView:
    """Everything the page shows: the rows in the order asked for, the total, the chart."""

    selection: Selection
    rows: tuple[OfficeRow, ...]
    total: OfficeRow | None
    chart: Chart
    threshold: int | None


def row_label(row: OfficeRow, language: str) -> str:
    """Return how a row is named: the region, "<region> own office" (本级), or the total."""
    name = row.name_en if language == "en" else row.name_zh
    if row.kind == "total":
        return str(_("Total") if not name else _("%(region)s, total", region=name))
    if row.kind == "own":
        return str(_("%(region)s, own office", region=name))
    return name


def list_office_rows(
    session: Session, selection: Selection, threshold: int | None
) -> list[OfficeRow]:
    """Return the table of the region asked for (own office, regions below, total), as published."""
    region = get_region_by_code(session, selection.region_code) if selection.region_code else None
    start, end = period_bounds(selection.year, selection.quarter)
    return office_rows(compute_figures(session, start, end, threshold), region)


def sort_rows(rows: list[OfficeRow], sort: str, descending: bool) -> list[OfficeRow]:
    """Order rows by a figure; a hidden cell sorts last either way, after nothing to measure."""
    if sort == "region":
        ordered = sorted(rows, key=lambda r: (r.kind != "own", r.code))
        return ordered[::-1] if descending else ordered
    known = sorted(
        (r for r in rows if r.values[sort] is not None),
        key=lambda r: r.values[sort],
        reverse=descending,
    )
    empty = [r for r in rows if r.values[sort] is None and sort not in r.suppressed]
    hidden = [r for r in rows if sort in r.suppressed]
    return [*known, *empty, *hidden]


def performance_view(
    session: Session, selection: Selection, threshold: int | None
) -> PerformanceView:
    """Return the page for `selection`: sorted rows, the total, and the chart of one figure."""
    rows = list_office_rows(session, selection, threshold)
    total = rows.pop() if rows and rows[-1].kind == "total" else None
    rows = sort_rows(rows, selection.sort, selection.descending)
    return PerformanceView(selection, tuple(rows), total, _chart(rows, selection), threshold)


def _chart(rows: list[OfficeRow], selection: Selection) -> Chart:
    metric = METRICS_BY_NAME[selection.chart]
    language = page_language()
    bars = [
        Bar(
            row_label(r, language),
            None if r.values[metric.name] is None else Decimal(r.values[metric.name]),
            _("hidden") if metric.name in r.suppressed else _("nothing to measure"),
        )
        for r in rows
    ]
    return single_bar_chart(
        bars,
        _(
            "%(figure)s per office, %(period)s",
            figure=metric.heading,
            period=period_name(selection.year, selection.period),
        ),
        _(
            "One bar per office, in the order of the table. A hidden value has no bar and says so; the table marks it too."
        ),
        metric.heading,
        category=_("Office"),
        places=0 if metric.kind == "count" else 2 if metric.kind == "amount" else 1,
    )


FIELDS = ("region_code", "region", "row", "year", "quarter", *METRIC_NAMES)
CHANNEL_FIELDS = ("region_code", "region", "row", "year", "quarter", *CHANNEL_CODES)
GROUP_FIELDS = ("region_code", "region", "row", "year", "quarter", *GROUP_CODES)
# The JSON key and CSV column of each table, and the prefix of its figures in a row.
TABLES = {"offices": "", "by_channel": "channel:", "by_violation_group": "group:"}


def _records(
    rows: list[OfficeRow], selection: Selection, prefix: str, names: tuple[str, ...]
) -> list[dict[str, Any]]:
    return [
        {
            "region_code": r.code,
            "region": r.name_zh,
            "row": r.kind,
            "year": selection.year,
            "quarter": selection.quarter,
            **{name: exact(r.values[prefix + name]) for name in names},
            "suppressed": sorted(n for n in names if prefix + n in r.suppressed),
        }
        for r in rows
    ]


def table_records(
    session: Session, selection: Selection, threshold: int | None, table: str
) -> list[dict[str, Any]]:
    """Return one table's download rows: hidden values None and named in the row's `suppressed`."""
    names = {"offices": METRIC_NAMES, "by_channel": CHANNEL_CODES}.get(table, GROUP_CODES)
    rows = list_office_rows(session, selection, threshold)
    return _records(rows, selection, TABLES[table], names)


def performance_body(
    session: Session, selection: Selection, threshold: int | None
) -> dict[str, Any]:
    """Return the three tables as one JSON document; staff's exact one says it is internal."""
    rows = list_office_rows(session, selection, threshold)
    return {
        "year": selection.year,
        "quarter": selection.quarter,
        "period": chinese_period_name(selection.year, selection.period),
        "region_code": selection.region_code,
        "internal": threshold is None,
        "suppression_threshold": threshold,
        "offices": _records(rows, selection, "", METRIC_NAMES),
        "by_channel": _records(rows, selection, "channel:", CHANNEL_CODES),
        "by_violation_group": _records(rows, selection, "group:", GROUP_CODES),
    }
