"""Recomputing the rollups of marked days (the worker's job) or of every day (`stats-rollup`).

A day's rows are counted from the raw tables; its quarter's and year's are summed from the
rows below them in the same transaction, so every level always agrees with its days.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import click
from flask import Flask
from sqlalchemy import Date, delete, func, insert, literal, select, text
from sqlalchemy.orm import Session

from portal.db import db_session
from portal.timeutil import today_in_china
from publish.stats.dirty import china_day, counted_moments
from publish.stats.rollups import (
    StatsDirtyDay,
    StatsQuarterRollup,
    StatsRollup,
    StatsYearRollup,
    midnight,
    next_quarter,
    quarter_of,
    raw_counts,
)

log = logging.getLogger(__name__)

# Held for the refresh's transaction, so two hosts' workers never rewrite one day at once.
ADVISORY_LOCK = 5_240_024


def _locked(session: Session, *, wait: bool) -> bool:
    """Take the refresh's lock (PostgreSQL; SQLite writes one at a time anyway)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        return True
    return bool(
        session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    )


def recompute_day(session: Session, day: date) -> int:
    """Replace the rollups of `day` with a count of the raw tables; return the rows written."""
    rows = [
        {
            "day": day,
            "region_id": region_id,
            "metric": metric,
            "bucket": bucket,
            "count": cell.count,
            "timely": cell.timely,
            "amount_fen": int(cell.amount.scaleb(2)),
        }
        for (region_id, metric, bucket), cell in raw_counts(
            session, midnight(day), midnight(day + timedelta(days=1))
        ).items()
    ]
    session.execute(delete(StatsRollup).where(StatsRollup.day == day))
    if rows:
        session.execute(insert(StatsRollup), rows)
    return len(rows)


def _rewrite_sum(
    session: Session, target: Any, period: date, source: Any, below: Any, end: date
) -> None:
    """Replace `target`'s rows of `period` with the sum of `source`'s rows whose `below`
    column lies in [period, end), in the same transaction."""
    key = target.__table__.primary_key.columns.values()[0]
    session.execute(delete(target).where(key == period))
    sums = (
        select(
            literal(period, Date()),
            source.region_id,
            source.metric,
            source.bucket,
            func.sum(source.count),
            func.sum(source.timely),
            func.sum(source.amount_fen),
        )
        .where(below >= period, below < end)
        .group_by(source.region_id, source.metric, source.bucket)
    )
    columns = [key.name, "region_id", "metric", "bucket", "count", "timely", "amount_fen"]
    session.execute(insert(target).from_select(columns, sums))


def recompute_quarter(session: Session, quarter: date) -> None:
    """Replace a quarter's rollups with the sum of its days' (in the same transaction)."""
    day = StatsRollup
    _rewrite_sum(session, StatsQuarterRollup, quarter, day, day.day, next_quarter(quarter))


def recompute_year(session: Session, year: date) -> None:
    """Replace a year's rollups with the sum of its quarters' (in the same transaction)."""
    q = StatsQuarterRollup
    _rewrite_sum(session, StatsYearRollup, year, q, q.quarter, date(year.year + 1, 1, 1))


def _recompute_periods(session: Session, days: Iterable[date], *, years: bool = True) -> None:
    """Rewrite the quarters and years holding `days` from their days' rollups."""
    quarters = sorted({quarter_of(day) for day in days})
    for quarter in quarters:
        recompute_quarter(session, quarter)
    if years:
        for year in sorted({date(quarter.year, 1, 1) for quarter in quarters}):
            recompute_year(session, year)


def refresh_rollups(session: Session) -> int:
    """Recompute the days marked as changed and drop their marks; return the days done.

    One transaction (the caller commits): the marks claimed are exactly those committed
    before the claim, each day is then counted afresh, so a change committed meanwhile
    keeps its own mark for the next refresh. Another host refreshing now: nothing to do.
    """
    if not _locked(session, wait=False):
        return 0
    claimed = session.execute(delete(StatsDirtyDay).returning(StatsDirtyDay.day)).scalars()
    days = sorted(set(claimed))
    for day in days:
        recompute_day(session, day)
    _recompute_periods(session, days)
    if days:
        # Debug, not info: it runs every minute, and the first start prints no info lines.
        log.debug("statistics rollups refreshed for %d days", len(days))
    return len(days)


def refresh_job(session: Session, _now: datetime) -> None:
    """The notice worker's periodic job: refresh the rollups of changed days."""
    refresh_rollups(session)


def counted_span(session: Session) -> tuple[date, date] | None:
    """Return the first and last day anything counted happened (the last at least today)."""
    spans = [session.execute(select(func.min(c), func.max(c))).one() for c in counted_moments()]
    lows = [china_day(low) for low, _ in spans if low is not None]
    highs = [china_day(high) for _, high in spans if high is not None]
    if not lows:
        return None
    return min(lows), max([today_in_china(), *highs])


def rebuild_rollups(session: Session, *, years: bool = True) -> int:
    """Recount every day from the raw tables, from scratch; return the days counted.

    `years=False` leaves out the years' table, for migration 0024, which ran before it
    existed (migration 0027 fills it).
    """
    _locked(session, wait=True)
    session.execute(delete(StatsDirtyDay))
    tables = (StatsRollup, StatsQuarterRollup) + ((StatsYearRollup,) if years else ())
    for table in tables:
        session.execute(delete(table))
    span = counted_span(session)
    if span is None:
        return 0
    first, end = span
    days = [first + timedelta(days=n) for n in range((end - first).days + 1)]
    for day in days:
        recompute_day(session, day)
    _recompute_periods(session, days, years=years)
    return len(days)


def plan_afresh(session: Session) -> None:
    """Refresh PostgreSQL's planner figures of the tables a rebuild rewrote whole.

    Until autovacuum comes round to them, the planner takes the rebuilt tables for as
    large as before (or empty): it summed a year by sorting 33,000 rows on their text
    instead of hashing them, 125 ms instead of 23 at 2,000,000 reports (bench/README.md).
    """
    if session.get_bind().dialect.name == "postgresql":
        tables = (
            StatsRollup.__tablename__,
            StatsQuarterRollup.__tablename__,
            StatsYearRollup.__tablename__,
        )
        session.execute(text(f"ANALYZE {', '.join(tables)}"))
        session.commit()


def init_app(app: Flask) -> None:
    """Register the worker's refresh and the `stats-rollup` command."""
    from portal.notices.worker import PERIODIC

    app.extensions.setdefault(PERIODIC, []).append(refresh_job)

    @app.cli.command("stats-rollup")
    @click.option("--rebuild", is_flag=True, help="recount every day from scratch")
    def stats_rollup(rebuild: bool) -> None:
        """Refresh the statistics rollups of changed days (--rebuild: of every day)."""
        session = db_session()
        done = rebuild_rollups(session) if rebuild else refresh_rollups(session)
        session.commit()
        if rebuild:
            plan_afresh(session)
        click.echo(f"statistics rollups: {done} days counted")
