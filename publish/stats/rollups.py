"""Statistics kept per region, day and metric (docs/domain.md §5), read exactly.

`stats_rollups` holds, for each day in China and each region's own node, what the count
queries of `intake/queries.py` and `intake/opinions/queries.py` give for that day: a count,
how many of them were on time and an amount, per bucket (the days taken or waited, for the
medians). A period's figures are then one grouped sum over its days instead of ten queries
over its whole history.

Exactness: every flush that may move a day's figures marks that day in `stats_dirty_days`
in its own transaction (publish/stats/dirty.py), and the worker's refresh recomputes the
marked days and deletes their marks in one transaction (publish/stats/refresh.py). A
reader sums the rollups of the days outside the range of pending marks and counts that
range from the raw tables (`period_counts`), so a figure never waits for the worker and
never differs from a recount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Date,
    Index,
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from intake.catalog import PARTY_KINDS
from intake.opinions.queries import count_opinion_replies
from intake.queries import (
    count_by_party_kind,
    count_closed_by_days,
    count_decisions,
    count_penalties_by_party_kind,
    count_ratings,
    count_reports_by_region,
    count_reviews,
    list_handling_decisions,
    list_rewards_paid,
)
from portal.db import Base
from portal.timeutil import CHINA

DECISIONS = ("accepted", "declined", "transferred")
# The counts by kind of reported party (publish/stats/by_kind.py), stored as
# "kind_reports:hospital", "kind_founded:pharmacy", "kind_penalties:other", …: per region
# and day like the others (a penalty's region and the day it was decided).
KIND_PREFIX = "kind_"
KIND_ROLLUPS = tuple(
    f"{KIND_PREFIX}{metric}:{c.code}"
    for metric in ("reports", "founded", "penalties")
    for c in PARTY_KINDS
)
ZERO = Decimal(0)


class _Cells:
    """What a rollup row holds for one region's own node, metric and bucket."""

    # The report's region (or the office an opinion was sent to), not rolled up the tree:
    # the tree is summed when read, so a region moved in the tree changes no rollup.
    region_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Days taken (closed) or waited (decisions), for the medians; 0 for the other metrics.
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer)
    timely: Mapped[int] = mapped_column(Integer, default=0)
    # Money in fen: integers sum exactly on every backend (SQLite sums NUMERIC as REAL).
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class StatsRollup(_Cells, Base):
    """One region's own figure of one metric (and bucket) on one day in China."""

    __tablename__ = "stats_rollups"

    # The day first: a period is a range of days (the read is one range scan).
    day: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=-1)

    def __repr__(self) -> str:
        return f"<StatsRollup {self.day} {self.region_id} {self.metric} {self.bucket}>"


class StatsQuarterRollup(_Cells, Base):
    """The sum of a quarter's daily rollups, so a year reads four rows per cell, not 365.

    Rewritten from the day rows in the refresh that rewrites any of its days.
    """

    __tablename__ = "stats_rollups_quarters"

    quarter: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=-1)

    def __repr__(self) -> str:
        return f"<StatsQuarterRollup {self.quarter} {self.region_id} {self.metric}>"


class StatsYearRollup(_Cells, Base):
    """The sum of a year's quarter rollups, so a year reads one row per cell, not four.

    Rewritten from the quarter rows in the refresh that rewrites any of its quarters.
    """

    __tablename__ = "stats_rollups_years"

    # The year's first day.
    year: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=-1)

    def __repr__(self) -> str:
        return f"<StatsYearRollup {self.year.year} {self.region_id} {self.metric}>"


class StatsDirtyDay(Base):
    """A day in China whose rollups a committed change may have moved (not yet refreshed)."""

    __tablename__ = "stats_dirty_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_stats_dirty_days_day", "day"),)

    def __repr__(self) -> str:
        return f"<StatsDirtyDay {self.day}>"


@dataclass
class Cell:
    """A count, how many of it were on time, and an amount (exact, in yuan)."""

    count: int = 0
    timely: int = 0
    amount: Decimal = field(default_factory=Decimal)


# (region id, metric, bucket) → cell: what the raw queries and the rollups both give.
Counts = dict[tuple[int, str, int], Cell]
# The medians' histograms: the days of these metrics, summed per bucket into one
# histogram each ("days:decided" over the three decisions) when counts are folded.
HISTOGRAMS = {"closed": "days:closed", **{kind: "days:decided" for kind in DECISIONS}}


class Source(Protocol):
    """Where a reader counts a period: `period_counts` (the rollups), or `raw_counts` (the
    raw tables only, which tests compare them with), for the metrics named (None: all).

    Folded (`fold=True`), a metric's buckets are summed into its bucket 0, and the days of
    the metrics of HISTOGRAMS are given once more as histograms: what the figures need,
    in half the rows.
    """

    def __call__(
        self,
        session: Session,
        start: datetime,
        end: datetime,
        metrics: Collection[str] | None = None,
        *,
        fold: bool = False,
    ) -> Counts: ...


def fold_counts(counts: Counts) -> Counts:
    """Return `counts` folded as `Source` says."""
    folded: Counts = defaultdict(Cell)
    for (region_id, metric, bucket), cell in counts.items():
        total = folded[region_id, metric, 0]
        total.count += cell.count
        total.timely += cell.timely
        total.amount += cell.amount
        if metric in HISTOGRAMS:
            folded[region_id, HISTOGRAMS[metric], bucket].count += cell.count
    return dict(folded)


def midnight(day: date) -> datetime:
    """Return the start of `day` in China's time."""
    return datetime.combine(day, time(), CHINA)


def raw_counts(
    session: Session,
    start: datetime,
    end: datetime,
    metrics: Collection[str] | None = None,
    *,
    fold: bool = False,
) -> Counts:
    """Count [start, end) from the raw tables, per region's own node, metric and bucket.

    `metrics` limits the work to those metrics ("received", "closed", … as stored);
    None counts them all. `fold`: as `Source` says.
    """
    counts: Counts = defaultdict(Cell)

    def wanted(*prefixes: str) -> bool:
        return metrics is None or any(m.startswith(p) for m in metrics for p in prefixes)

    def add(
        key: tuple[int, str, int], count: int, timely: int = 0, amount: Decimal = Decimal(0)
    ) -> None:
        cell = counts[key]
        cell.count += count
        cell.timely += timely
        cell.amount += amount

    if wanted("received"):
        for region_id, count in count_reports_by_region(session, start, end, by="received"):
            add((region_id, "received", 0), count)
    if wanted("closed"):
        for region_id, n_days, count in count_closed_by_days(session, start, end):
            add((region_id, "closed", n_days), count)
    if wanted(*DECISIONS):
        for kind, region_id, n_days, count, on_time in count_decisions(session, start, end):
            add((region_id, kind, n_days), count, on_time)
    if wanted("handled"):
        for region_id, recovered, on_time in list_handling_decisions(session, start, end):
            add((region_id, "handled", 0), 1, int(on_time), recovered or Decimal(0))
    if wanted("rewards_paid"):
        for region_id, amount in list_rewards_paid(session, start, end):
            add((region_id, "rewards_paid", 0), 1, 0, amount)
    if wanted("rated_"):
        for satisfaction, region_id, count in count_ratings(session, start, end):
            add((region_id, f"rated_{satisfaction}", 0), count)
    if wanted("reviews_"):
        for kind, region_id, count in count_reviews(session, start, end):
            add((region_id, f"reviews_{kind}", 0), count)
    if wanted(KIND_PREFIX):
        for metric, region_id, kind, count in count_by_party_kind(session, start, end):
            add((region_id, f"{KIND_PREFIX}{metric}:{kind}", 0), count)
        first, last = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
        for region_id, kind, count in count_penalties_by_party_kind(session, first, last):
            add((region_id, f"{KIND_PREFIX}penalties:{kind}", 0), count)
    if wanted("opinions_"):
        for region_id, received, answered, on_time in count_opinion_replies(session, start, end):
            if received:
                add((region_id, "opinions_received", 0), received)
            if answered:
                add((region_id, "opinions_answered", 0), answered, on_time)
    kept = {
        key: cell
        for key, cell in counts.items()
        if (metrics is None or key[1] in metrics) and cell.count
    }
    return fold_counts(kept) if fold else kept


def quarter_of(day: date) -> date:
    """Return the first day of the quarter holding `day`."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(quarter: date) -> date:
    """Return the first day of the quarter after the one starting on `quarter`."""
    month = quarter.month + 3
    return date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)


def years_within(first: date, end: date) -> list[date]:
    """Return the years lying wholly in [first, end), by their first days."""
    year = first.year + (first != date(first.year, 1, 1))
    return [date(y, 1, 1) for y in range(year, end.year)]


def quarters_within(first: date, end: date) -> list[date]:
    """Return the quarters lying wholly in [first, end), by their first days."""
    quarter = quarter_of(first)
    if quarter < first:
        quarter = next_quarter(quarter)
    out = []
    while next_quarter(quarter) <= end:
        out.append(quarter)
        quarter = next_quarter(quarter)
    return out


def _part(table: Any, sign: int, *where: Any) -> Select[Any]:
    return select(
        table.region_id,
        table.metric,
        table.bucket,
        (sign * table.count).label("count"),
        (sign * table.timely).label("timely"),
        (sign * table.amount_fen).label("amount_fen"),
    ).where(*where)


def summed_rollups(
    session: Session,
    first: date,
    end: date,
    *,
    skip: tuple[date, date] | None = None,
    metrics: Collection[str] | None = None,
    fold: bool = False,
) -> Counts:
    """Sum the rollups of the days in [first, end), less the days of `skip` (both included);
    `fold`: as `Source` says, done by the database.

    One grouped statement, so it reads one snapshot: the years lying wholly in the range
    from `stats_rollups_years`, the quarters lying wholly in what is left from
    `stats_rollups_quarters`, the days around them from `stats_rollups`, and the skipped
    days' rows subtracted (each year and quarter row is the sum of its days' rows, written
    in the same transaction, so the difference is exact).
    """
    day, q, y = StatsRollup, StatsQuarterRollup, StatsYearRollup
    parts = []
    years = years_within(first, end)
    spans = [(first, end)]
    if years:
        parts.append(_part(y, 1, y.year.in_(years)))
        spans = [(first, years[0]), (date(years[-1].year + 1, 1, 1), end)]
    edges = []
    for low, high in spans:
        quarters = quarters_within(low, high) if low < high else []
        if quarters:
            parts.append(_part(q, 1, q.quarter.in_(quarters)))
            edges += [(low, quarters[0]), (next_quarter(quarters[-1]), high)]
        else:
            edges.append((low, high))
    parts += [_part(day, 1, day.day >= lo, day.day < hi) for lo, hi in edges if lo < hi]
    if skip is not None:
        lo, hi = max(skip[0], first), min(skip[1] + timedelta(days=1), end)
        parts.append(_part(day, -1, day.day >= lo, day.day < hi))
    if metrics is not None:
        parts = [part.where(part.selected_columns.metric.in_(sorted(metrics))) for part in parts]
    rows = union_all(*parts).cte()
    # Sums cast back to integers: PostgreSQL sums BIGINT as NUMERIC (Decimals, slower).
    sums = [cast(func.sum(c), BigInteger) for c in (rows.c.count, rows.c.timely, rows.c.amount_fen)]
    bucket = literal(0, Integer) if fold else rows.c.bucket
    query: Select[Any] | CompoundSelect[Any] = select(
        rows.c.region_id, rows.c.metric, bucket, *sums
    ).group_by(rows.c.region_id, rows.c.metric, *([] if fold else [bucket]))
    if fold:
        family = case(HISTOGRAMS, value=rows.c.metric)
        histograms = (
            select(rows.c.region_id, family, rows.c.bucket, sums[0], literal(0), literal(0))
            .where(rows.c.metric.in_(sorted(HISTOGRAMS)))
            .group_by(rows.c.region_id, family, rows.c.bucket)
        )
        query = union_all(query, histograms)
    return {
        (region_id, metric, bucket): Cell(count, timely, Decimal(fen).scaleb(-2) if fen else ZERO)
        # Fetched at once: row-by-row fetching cost more than the statement (bench/README.md).
        for region_id, metric, bucket, count, timely, fen in session.connection()
        .execute(query)
        .all()
        if count
    }


def pending_range(session: Session, first: date, end: date) -> tuple[date, date] | None:
    """Return the first and last day in [first, end) with a change not yet in the rollups."""
    low, high = session.execute(
        select(func.min(StatsDirtyDay.day), func.max(StatsDirtyDay.day)).where(
            StatsDirtyDay.day >= first, StatsDirtyDay.day < end
        )
    ).one()
    return None if low is None else (low, high)


def period_counts(
    session: Session,
    start: datetime,
    end: datetime,
    metrics: Collection[str] | None = None,
    *,
    fold: bool = False,
) -> Counts:
    """Count [start, end) (China midnights) exactly: the rollups, and the raw tables where
    they lag; `fold`: as `Source` says."""
    first, last = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
    pending = pending_range(session, first, last)
    counts = summed_rollups(session, first, last, skip=pending, metrics=metrics, fold=fold)
    if pending is not None:
        fresh = raw_counts(
            session, midnight(pending[0]), midnight(pending[1] + timedelta(1)), metrics, fold=fold
        )
        for key, cell in fresh.items():
            into = counts.setdefault(key, Cell())
            into.count += cell.count
            into.timely += cell.timely
            into.amount += cell.amount
    return counts
