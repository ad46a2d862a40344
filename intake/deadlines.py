"""Working-day arithmetic on the Chinese official calendar (domain.md §3).

`chinesecalendar` knows public holidays and make-up working days (调休) only for years
the State Council has announced. For any other year we count Monday–Friday, corrected
by the administrator-kept `CalendarOverride` table, and mark the result as estimated so
that the person relying on a deadline can see it may move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import CalendarOverride

# Decide whether to accept: 15 working days from receipt (domain.md §3, configurable).
ACCEPT_DECISION_WORKING_DAYS = 15


@dataclass(frozen=True)
class Deadline:
    """A due date and whether any day counted towards it came from the fallback calendar."""

    due: date
    estimated: bool


def _official_workday(day: date) -> bool | None:
    """Return the official answer for `day`, or None when its year is not announced."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def add_working_days(session: Session, start: date, days: int) -> Deadline:
    """Return the date `days` working days after `start`; the start day itself does not count."""
    if days < 0:
        raise ValueError("days must not be negative")
    overrides = _overrides_from(session, start)
    day = start
    counted = 0
    estimated = False
    while counted < days:
        day += timedelta(days=1)
        official = _official_workday(day)
        if official is None:
            estimated = True
            is_workday = overrides.get(day, day.weekday() < 5)
        else:
            is_workday = official
        if is_workday:
            counted += 1
    return Deadline(day, estimated)


def _overrides_from(session: Session, start: date) -> dict[date, bool]:
    """Load administrator-kept days from `start` on (a year and a half covers any deadline)."""
    rows = session.execute(
        select(CalendarOverride.day, CalendarOverride.is_workday).where(
            CalendarOverride.day > start, CalendarOverride.day <= start + timedelta(days=550)
        )
    )
    return {row.day: row.is_workday for row in rows}
