"""Public statistics (docs/domain.md §5): counted per region and period, small counts suppressed."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.jurisdictions.models import Region
from portal.timeutil import CHINA
from publish.stats.rollups import DECISIONS, HISTOGRAMS, Cell, Source, period_counts
from publish.stats.suppression import hides_derived, own_key, suppress_sums, tree_sums

COUNTS = (
    "received",
    "accepted",
    "declined",
    "transferred",
    "closed",
    "rewards_paid",
    # Ratings and reviews (docs/domain.md §11): counts like the others, suppressed alike.
    *(f"rated_{s}" for s in ("satisfied", "mostly", "not_satisfied")),
    *(f"reviews_{k}" for k in ("requested", "upheld", "sent_back")),
    # Supervisors' opinions (docs/domain.md §14), counted for the office they were sent to.
    "opinions_received",
    "opinions_answered",
)


# What `compute` reads of the rollups: the counts, and the handling decisions its rates and
# amounts come from (the table by kind of party reads its own: publish/stats/by_kind.py).
STORED = (*COUNTS, "handled")


# Values derived from a count: hidden whenever that count is hidden or small.
DERIVED = {
    "accepted_on_time_rate": "decided",
    "median_days_to_decision": "decided",
    "handled_on_time_rate": "handled",
    "median_days_to_close": "closed",
    "recovered_amount": "handled",
    "rewards_paid_amount": "rewards_paid",
    "opinions_on_time_rate": "opinions_answered",
}


@dataclass
class RegionStats:
    """The statistics of one region (its whole subtree) for one period."""

    region: Region
    values: dict[str, Any] = field(default_factory=dict)
    suppressed: set[str] = field(default_factory=set)

    def shown(self, metric: str) -> Any:
        """Return the value, or None when it is suppressed."""
        return None if metric in self.suppressed else self.values.get(metric)


def period_bounds(year: int, quarter: int | None) -> tuple[datetime, datetime]:
    """Return the start and end (exclusive) of a year or quarter, in China's time."""
    if quarter is None:
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
    else:
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return datetime.combine(start, time(), CHINA), datetime.combine(end, time(), CHINA)


def compute(
    session: Session,
    year: int,
    quarter: int | None,
    threshold: int,
    *,
    source: Source = period_counts,
) -> dict[int, RegionStats]:
    """Return suppressed statistics for every region, keyed by region id.

    `source` counts a period per region's own node (`rollups.raw_counts` reads only the
    raw tables, for comparison).
    """
    start, end = period_bounds(year, quarter)
    regions = {r.id: r for r in session.scalars(select(Region))}
    parent = {r.id: r.parent_id for r in regions.values()}

    def chain(region_id: int) -> list[int]:
        out = []
        node: int | None = region_id
        while node is not None:
            out.append(node)
            node = parent[node]
        return out

    raw: dict[int, dict[str, Any]] = {rid: defaultdict(int) for rid in regions}
    days: dict[int, Counter[int]] = {rid: Counter() for rid in regions}
    close_days: dict[int, Counter[int]] = {rid: Counter() for rid in regions}
    # Counted per region's own node, metric and number of days (for the medians) from the
    # rollups and, for days they do not hold yet, from SQL (publish/stats/rollups.py), then
    # rolled up the tree: reading every report took seconds and hundreds of MB at 200,000
    # reports, and ten queries over the whole history 0.3 s (bench/results.md). Days are
    # counted between dates in China, as deadlines are; amounts are summed exactly.
    for (region_id, metric, bucket), cell in source(session, start, end, STORED, fold=True).items():
        if metric == HISTOGRAMS["closed"]:
            close_days[region_id][bucket] += cell.count
        elif metric == HISTOGRAMS["accepted"]:
            days[region_id][bucket] += cell.count
        else:
            add_cell(raw[region_id], metric, cell)
    # Each region's own node first; then, deepest regions first, each region's whole
    # subtree is added to its parent once.
    for rid in sorted(regions, key=lambda r: len(chain(r)), reverse=True):
        above = parent[rid]
        if above is None:
            continue
        into = raw[above]
        for name, value in raw[rid].items():
            into[name] += value
        days[above].update(days[rid])
        close_days[above].update(close_days[rid])

    result: dict[int, RegionStats] = {}
    for rid, region in regions.items():
        v = raw[rid]
        stats = RegionStats(region)
        for name in COUNTS:
            stats.values[name] = v[name]
        stats.values["decided"] = v["decided"]
        stats.values["handled"] = v["handled"]
        stats.values["accepted_on_time_rate"] = (
            round(100 * v["decided_on_time"] / v["decided"], 1) if v["decided"] else None
        )
        stats.values["median_days_to_decision"] = median_of_counts(days[rid])
        stats.values["handled_on_time_rate"] = (
            round(100 * v["handled_on_time"] / v["handled"], 1) if v["handled"] else None
        )
        stats.values["median_days_to_close"] = median_of_counts(close_days[rid])
        stats.values["recovered_amount"] = Decimal(v["recovered_amount"]).quantize(Decimal("0.01"))
        stats.values["rewards_paid_amount"] = Decimal(v["rewards_paid_amount"]).quantize(
            Decimal("0.01")
        )
        stats.values["opinions_on_time_rate"] = (
            round(100 * v["opinions_on_time"] / v["opinions_answered"], 1)
            if v["opinions_answered"]
            else None
        )
        result[rid] = stats
    suppress(result, parent, threshold)
    return result


def add_cell(values: dict[str, Any], metric: str, cell: Cell) -> None:
    """Add a stored metric's cell to a region's raw values (counts, on time, amounts)."""
    if metric in DECISIONS:
        values[metric] += cell.count
        values["decided"] += cell.count
        values["decided_on_time"] += cell.timely
    elif metric == "handled":
        values["handled"] += cell.count
        values["handled_on_time"] += cell.timely
        values["recovered_amount"] += cell.amount
    elif metric == "rewards_paid":
        values["rewards_paid"] += cell.count
        values["rewards_paid_amount"] += cell.amount
    elif metric == "opinions_answered":
        values["opinions_answered"] += cell.count
        values["opinions_on_time"] += cell.timely
    else:
        values[metric] += cell.count


def median_of_counts(counts: Counter[int]) -> float | int | None:
    """Return the median of values given as value → how many times (as statistics.median)."""
    total = sum(counts.values())
    if total == 0:
        return None
    ordered = sorted(counts.items())

    def nth(index: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)

    if total % 2:
        return nth(total // 2)
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def suppress(result: dict[int, RegionStats], parent: dict[int, int | None], threshold: int) -> None:
    """Hide small counts, then hide more until no hidden cell can be recovered by subtraction.

    A region's own office (its count less its children's) is a cell too, hidden like the
    others though this page does not show it: the page of offices compared does
    (docs/domain.md §15), and both must hide the same cells.
    """
    by_code = {stats.region.code: stats for stats in result.values()}
    children: dict[str | None, list[str]] = defaultdict(list)
    for rid, p in parent.items():
        children[result[p].region.code if p is not None else None].append(result[rid].region.code)
    sums = tree_sums(children)
    for metric in (*COUNTS, "decided", "handled"):
        values = {code: stats.values[metric] for code, stats in by_code.items()}
        for above, kids in children.items():
            if above is not None:
                values[own_key(above)] = values[above] - sum(values[k] for k in kids)
        for code in suppress_sums(values, sums, threshold, str):
            if code in by_code:
                by_code[code].suppressed.add(metric)
    for stats in result.values():
        for metric, basis in DERIVED.items():
            if hides_derived(stats.values[basis], basis in stats.suppressed, threshold):
                stats.suppressed.add(metric)


def rows_for(result: dict[int, RegionStats], region: Region | None) -> list[RegionStats]:
    """Return the rows a page shows: the region and its children (or the provinces)."""
    if region is None:
        return sorted(
            (s for s in result.values() if s.region.parent_id is None), key=lambda s: s.region.code
        )
    kids = sorted(
        (s for s in result.values() if s.region.parent_id == region.id), key=lambda s: s.region.code
    )
    return [result[region.id], *kids]


def headline_totals(session: Session, year: int, threshold: int) -> dict[str, int | None]:
    """Return the year's reports received and closed over all provinces, for the home page.

    Two counts instead of the whole of `compute` (the home page is the busiest page). A
    total is published only when no province's count is hidden, since the total minus the
    shown provinces would give a hidden one back.
    """
    start, end = period_bounds(year, None)
    parent = dict(session.execute(select(Region.id, Region.parent_id)).all())

    def province(region_id: int) -> int:
        above = parent[region_id]
        while above is not None:
            region_id, above = above, parent[above]
        return region_id

    per_province: dict[str, dict[int, int]] = {
        "received": defaultdict(int),
        "closed": defaultdict(int),
    }
    for (region_id, metric, _), cell in period_counts(
        session, start, end, metrics=("received", "closed"), fold=True
    ).items():
        if metric in per_province:
            per_province[metric][province(region_id)] += cell.count
    totals: dict[str, int | None] = {}
    for metric, counts in per_province.items():
        hidden = any(0 < c < threshold for c in counts.values())
        totals[metric] = None if hidden else sum(counts.values())
    return totals
