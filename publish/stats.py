"""Public statistics (domain.md §5): aggregates per region and period, with small counts hidden.

A count below the threshold (default 5) could point at a person, so it is suppressed.
Suppressing one cell is not enough: a published parent total minus the published
siblings would give it back. So within every parent's children a suppressed cell never
stands alone: the smallest other child is suppressed with it, and when there is no
other child the parent's own value is suppressed too (secondary suppression).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.models import Report, ReportEvent, Reward, RewardStatus
from portal.models import Region
from portal.timeutil import CHINA

COUNTS = ("received", "accepted", "declined", "transferred", "closed", "rewards_paid")
# Values derived from a count: hidden whenever that count is hidden or small.
DERIVED = {
    "accepted_on_time_rate": "decided",
    "median_days_to_decision": "decided",
    "handled_on_time_rate": "handled",
    "median_days_to_close": "closed",
    "recovered_amount": "handled",
    "rewards_paid_amount": "rewards_paid",
}
METRICS = (
    *COUNTS,
    "accepted_on_time_rate",
    "median_days_to_decision",
    "recovered_amount",
    "rewards_paid_amount",
)


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
    session: Session, year: int, quarter: int | None, threshold: int
) -> dict[int, RegionStats]:
    """Return suppressed statistics for every region, keyed by region id."""
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
    days: dict[int, list[int]] = defaultdict(list)
    close_days: dict[int, list[int]] = defaultdict(list)
    # Only what the period needs is read: counts of received reports are made in SQL;
    # closed reports, decisions and paid rewards bring the few columns they use. (Reading
    # every report took seconds and hundreds of MB at 200,000 reports: bench/results.md.)
    received = session.execute(
        select(Report.region_id, func.count())
        .where(Report.received_at >= start, Report.received_at < end)
        .group_by(Report.region_id)
    ).all()
    for region_id, count in received:
        for rid in chain(region_id):
            raw[rid]["received"] += count
    closed = session.execute(
        select(Report.region_id, Report.received_at, Report.closed_at).where(
            Report.closed_at >= start, Report.closed_at < end
        )
    ).all()
    for r in closed:
        taken = (r.closed_at.astimezone(CHINA).date() - r.received_at.astimezone(CHINA).date()).days
        for rid in chain(r.region_id):
            raw[rid]["closed"] += 1
            close_days[rid].append(taken)
    events = session.execute(
        select(
            ReportEvent.kind,
            ReportEvent.created_at,
            Report.region_id,
            Report.received_at,
            Report.accept_due_on,
            Report.recovered_amount,
            Report.handle_due_on,
        )
        .join(Report, Report.id == ReportEvent.report_id)
        .where(
            ReportEvent.kind.in_(("accepted", "declined", "transferred", "handling_decided")),
            ReportEvent.created_at >= start,
            ReportEvent.created_at < end,
        )
    ).all()
    for e in events:
        for rid in chain(e.region_id):
            if e.kind == "handling_decided":
                raw[rid]["handled"] += 1
                raw[rid]["recovered_amount"] += e.recovered_amount or Decimal(0)
                if e.handle_due_on is not None:
                    raw[rid]["handled_on_time"] += (
                        e.created_at.astimezone(CHINA).date() <= e.handle_due_on
                    )
                continue
            raw[rid][e.kind] += 1
            raw[rid]["decided"] += 1
            decided_on = e.created_at.astimezone(CHINA).date()
            raw[rid]["decided_on_time"] += decided_on <= e.accept_due_on
            days[rid].append((decided_on - e.received_at.astimezone(CHINA).date()).days)
    paid = session.execute(
        select(Report.region_id, Reward.amount)
        .join(Report, Report.id == Reward.report_id)
        .where(Reward.status == RewardStatus.PAID, Reward.paid_at >= start, Reward.paid_at < end)
    ).all()
    for p in paid:
        for rid in chain(p.region_id):
            raw[rid]["rewards_paid"] += 1
            raw[rid]["rewards_paid_amount"] += p.amount

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
        stats.values["median_days_to_decision"] = (
            statistics.median(days[rid]) if days[rid] else None
        )
        stats.values["handled_on_time_rate"] = (
            round(100 * v["handled_on_time"] / v["handled"], 1) if v["handled"] else None
        )
        stats.values["median_days_to_close"] = (
            statistics.median(close_days[rid]) if close_days[rid] else None
        )
        stats.values["recovered_amount"] = Decimal(v["recovered_amount"]).quantize(Decimal("0.01"))
        stats.values["rewards_paid_amount"] = Decimal(v["rewards_paid_amount"]).quantize(
            Decimal("0.01")
        )
        result[rid] = stats
    suppress(result, parent, threshold)
    return result


def suppress(result: dict[int, RegionStats], parent: dict[int, int | None], threshold: int) -> None:
    """Hide small counts, then hide more until no hidden cell can be recovered by subtraction."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for rid, p in parent.items():
        children[p].append(rid)
    for metric in (*COUNTS, "decided", "handled"):
        for stats in result.values():
            if 0 < stats.values[metric] < threshold:
                stats.suppressed.add(metric)
        changed = True
        while changed:
            changed = False
            for p, kids in children.items():
                hidden = [k for k in kids if metric in result[k].suppressed]
                if len(hidden) != 1:
                    continue
                others = sorted(
                    (k for k in kids if metric not in result[k].suppressed),
                    key=lambda k: (result[k].values[metric], result[k].region.code),
                )
                if others:
                    result[others[0]].suppressed.add(metric)
                    changed = True
                elif p is not None and metric not in result[p].suppressed:
                    result[p].suppressed.add(metric)
                    changed = True
    for stats in result.values():
        for metric, basis in DERIVED.items():
            if basis in stats.suppressed or (0 < stats.values[basis] < threshold):
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

    Counted in SQL per region (the home page is the busiest page; `compute` reads every
    report). A total is published only when no province's count is hidden, since the
    total minus the shown provinces would give a hidden one back.
    """
    start, end = period_bounds(year, None)
    parent = dict(session.execute(select(Region.id, Region.parent_id)).all())

    def province(region_id: int) -> int:
        while parent[region_id] is not None:
            region_id = parent[region_id]
        return region_id

    totals: dict[str, int | None] = {}
    for metric, column in (("received", Report.received_at), ("closed", Report.closed_at)):
        per_province: dict[int, int] = defaultdict(int)
        rows = session.execute(
            select(Report.region_id, func.count())
            .where(column >= start, column < end)
            .group_by(Report.region_id)
        ).all()
        for region_id, count in rows:
            per_province[province(region_id)] += count
        hidden = any(0 < c < threshold for c in per_province.values())
        totals[metric] = None if hidden else sum(per_province.values())
    return totals
