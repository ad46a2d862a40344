"""What an annual report holds, gathered once when it is prepared and frozen (docs/domain.md §15).

The figures are the public statistics of the region and year, suppressed exactly as
`/stats` suppresses them (docs/domain.md §5): they come from `publish/stats`, never from
reports. The cases and penalties are those of the region's subtree published in the year,
in their public shapes (`case_summary`, `penalty_record`), so nothing a page may not show
enters the snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from portal.jurisdictions.models import Region
from portal.timeutil import today_in_china
from publish.cases.queries import CaseFilters, case_summary, list_published
from publish.penalties.queries import list_published_between, penalty_record
from publish.performance.pages import Selection as PerformanceSelection
from publish.performance.pages import list_office_rows
from publish.stats.compute import period_bounds
from publish.stats.pages import Selection, party_kind_records, stats_records

# The columns of the table of offices (names of publish/performance/metrics.py METRICS):
# the figures of docs/domain.md §15 that fit a printed page.
OFFICE_COLUMNS = (
    "received",
    "closed",
    "decided_on_time_rate",
    "handled_on_time_rate",
    "median_days_to_close",
    "transferred",
    "reviews_sent_back",
    "satisfied_rate",
    "opinions_on_time_rate",
    "penalties_published",
    "returned_amount",
)

# More than any office publishes in a year; the report lists them all.
MOST_ENTRIES = 1000


@dataclass(frozen=True)
class OfficeTable:
    """The table of offices: the metric names of its columns and one row per office."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]


def office_table(session: Session, region: Region, year: int, threshold: int) -> OfficeTable:
    """Return the table of offices of `region` for `year`, as `/performance` publishes it.

    The one place the table is built: the region's own office, each region directly below
    it (its whole subtree) and the total, suppressed as on `/performance` and `/stats`
    (docs/domain.md §5, §15). Amounts are frozen as exact decimal strings.
    """
    rows = list_office_rows(session, PerformanceSelection(year, None, region.code), threshold)
    return OfficeTable(
        OFFICE_COLUMNS,
        tuple(
            {
                "code": row.code,
                "kind": row.kind,
                "values": {name: _frozen(row.values.get(name)) for name in OFFICE_COLUMNS},
                "suppressed": sorted(name for name in row.suppressed if name in OFFICE_COLUMNS),
            }
            for row in rows
        ),
    )


def _frozen(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _case(summary: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "published_on", "region_code", "subject_name")
    entry = {key: summary[key] for key in keys}
    for key in ("amount", "fine_amount"):
        # Exact decimal strings to the fen, as the penalty list writes them.
        entry[key] = None if summary[key] is None else f"{Decimal(summary[key]):.2f}"
    return entry


def _penalty(record: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "region_code",
        "subject_name",
        "article",
        "deciding_office",
        "decision_number",
        "decided_on",
        "published_on",
        "returned_amount",
        "fine_amount",
    )
    return {key: record[key] for key in keys}


def gather_contents(session: Session, region: Region, year: int, threshold: int) -> dict[str, Any]:
    """Return the contents of `region`'s report for `year` as plain JSON values, to be frozen."""
    start, end = period_bounds(year, None)
    selection = Selection(year, None, region.code)
    stats = stats_records(session, selection, threshold)
    table = office_table(session, region, year, threshold)
    cases, _ = list_published(
        session, CaseFilters(region=region, year=year), per_page=MOST_ENTRIES, with_total=False
    )
    penalties = list_published_between(session, region, start, end, today=today_in_china())
    names = {r.code: r for r in (region, *region.children)}
    names.update({c.region.code: c.region for c in cases})
    names.update({p.region.code: p.region for p in penalties})
    return {
        "region": {"code": region.code, "name_zh": region.name_zh, "name_en": region.name_en},
        "year": year,
        "threshold": threshold,
        # Names of every region a row names, as they were when prepared.
        "regions": {
            code: {
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "label_zh": r.label("zh"),
                "label_en": r.label("en"),
            }
            for code, r in sorted(names.items())
        },
        "figures": {
            "values": {k: v for k, v in stats[0].items() if k not in ("suppressed",)},
            "suppressed": stats[0]["suppressed"],
        },
        "by_party_kind": [
            {"kind": r["party_kind"], "values": {k: r[k] for k in r if k not in _KIND_META}}
            | {"suppressed": r["suppressed"]}
            for r in party_kind_records(session, selection, threshold)
        ],
        "offices": {"columns": list(table.columns), "rows": list(table.rows)},
        "cases": sorted(
            (_case(case_summary(c)) for c in cases), key=lambda c: (c["published_on"], c["id"])
        ),
        "penalties": [_penalty(penalty_record(p)) for p in penalties],
    }


_KIND_META = ("year", "quarter", "region_code", "party_kind", "suppressed")
