"""The statistics page and its downloads, assembled from suppressed counts (docs/domain.md §5).

Every value leaves here already suppressed (None where `compute` hid it), so the page,
the CSV and JSON downloads and the API cannot show a hidden count by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.tree import subtree_ids
from portal.web import page_language
from publish.catalog import period_name
from publish.disclosures.charts import Chart, Point, bar_chart
from publish.stats.by_kind import KindRow, kind_rows
from publish.stats.compute import compute, period_bounds, rows_for
from publish.stats.metrics import KIND_METRIC_NAMES, METRIC_NAMES, SUPPRESSED_MARK
from publish.stats.suppression import exact


@dataclass(frozen=True)
class Selection:
    """The period and region asked for: a year or one of its quarters; None is every province."""

    year: int
    quarter: int | None = None
    region_code: str | None = None


@dataclass(frozen=True)
class StatsRow:
    """One region's statistics, each value None when it is suppressed (named in `suppressed`)."""

    code: str
    name_zh: str
    name_en: str
    values: dict[str, Any]
    suppressed: frozenset[str] = frozenset()

    def label(self, language: str) -> str:
        """Return the region's name in `language` ("en" or "zh")."""
        return self.name_en if language == "en" else self.name_zh


@dataclass(frozen=True)
class StatsView:
    """Everything the statistics page shows."""

    year: int
    quarter: int | None
    rows: tuple[StatsRow, ...]
    chart: Chart
    threshold: int
    # Reports, founded cases and penalties by kind of party, for the region asked for.
    by_kind: tuple[KindRow, ...] = ()


def list_stats_rows(session: Session, selection: Selection, threshold: int) -> list[StatsRow]:
    """Return the region asked for and its children (or every province), suppressed."""
    region = get_region_by_code(session, selection.region_code) if selection.region_code else None
    result = compute(session, selection.year, selection.quarter, threshold)
    return [
        StatsRow(
            r.region.code,
            r.region.name_zh,
            r.region.name_en,
            {metric: r.shown(metric) for metric in METRIC_NAMES},
            frozenset(m for m in METRIC_NAMES if m in r.suppressed),
        )
        for r in rows_for(result, region)
    ]


def stats_view(session: Session, selection: Selection, threshold: int) -> StatsView:
    """Return the statistics page for `selection`, with its chart of received and closed."""
    rows = list_stats_rows(session, selection, threshold)
    language = page_language()
    points = [
        Point(
            r.label(language),
            Decimal(r.values["received"] or 0),
            Decimal(r.values["closed"] or 0),
            None,
        )
        for r in rows
    ]
    chart = bar_chart(
        points,
        _(
            "Reports received and closed, %(period)s",
            period=period_name(
                selection.year, f"Q{selection.quarter}" if selection.quarter else "Y"
            ),
        ),
        _(
            "Two bars for each region: received first, closed second. Hidden counts are drawn as zero; the tables mark them."
        ),
        (_("Received reports"), _("Closed reports")),
        category=_("Region"),
        whole=True,
    )
    by_kind = tuple(party_kind_rows(session, selection, threshold))
    return StatsView(selection.year, selection.quarter, tuple(rows), chart, threshold, by_kind)


def party_kind_rows(session: Session, selection: Selection, threshold: int) -> list[KindRow]:
    """Return the counts by kind of party for the region asked for (its subtree) or everywhere."""
    region = get_region_by_code(session, selection.region_code) if selection.region_code else None
    region_ids = subtree_ids(session, region.id) if region is not None else None
    start, end = period_bounds(selection.year, selection.quarter)
    return kind_rows(session, start, end, region_ids, threshold)


KIND_FIELDS = ("year", "quarter", "region_code", "party_kind", *KIND_METRIC_NAMES)


def party_kind_records(
    session: Session, selection: Selection, threshold: int
) -> list[dict[str, Any]]:
    """Return the rows of the by-kind downloads: one per kind, suppressed values None and named."""
    return [
        {
            "year": selection.year,
            "quarter": selection.quarter,
            "region_code": selection.region_code,
            "party_kind": row.kind,
            **row.values,
            "suppressed": sorted(row.suppressed),
        }
        for row in party_kind_rows(session, selection, threshold)
    ]


FIELDS = ("region_code", "region", "year", "quarter", *METRIC_NAMES)


def stats_records(session: Session, selection: Selection, threshold: int) -> list[dict[str, Any]]:
    """Return the rows of the downloads: one per region, suppressed values None and named."""
    return [
        {
            "region_code": r.code,
            "region": r.name_zh,
            "year": selection.year,
            "quarter": selection.quarter,
            **{metric: exact(r.values[metric]) for metric in METRIC_NAMES},
            "suppressed": sorted(r.suppressed),
        }
        for r in list_stats_rows(session, selection, threshold)
    ]


def stats_body(session: Session, selection: Selection, threshold: int) -> dict[str, Any]:
    """Return the statistics as one JSON document (the download and the API answer alike)."""
    return {
        "year": selection.year,
        "quarter": selection.quarter,
        "suppression_threshold": threshold,
        "rows": stats_records(session, selection, threshold),
        "by_party_kind": party_kind_records(session, selection, threshold),
    }


def marked_for_csv(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return download rows for CSV: a hidden cell says SUPPRESSED_MARK, unlike an empty one.

    An empty cell means there was nothing to measure (no decision, so no rate).
    """
    return [
        {
            **{k: v for k, v in record.items() if k != "suppressed"},
            **dict.fromkeys(record["suppressed"], SUPPRESSED_MARK),
        }
        for record in records
    ]
