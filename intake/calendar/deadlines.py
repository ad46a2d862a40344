"""Working-day deadlines on the official Chinese calendar (docs/domain.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.holidays import statutory_holidays
from intake.calendar.models import CalendarOverride

# The deadlines counted in working days (docs/domain.md §3), in one place:
# decide whether to accept within 15 working days of receipt (and 15 more once extended);
ACCEPT_DECISION_WORKING_DAYS = 15
# tell a real-name reporter the accept/decline decision within 5 working days of it;
NOTICE_WORKING_DAYS = 5
# notify a reward within 10 working days of the handling decision.
REWARD_NOTICE_WORKING_DAYS = 10
# How far a working-day deadline can reach: a year and a half covers 30 working days with
# the longest holidays, and is the horizon of the calendar page's estimates.
HORIZON_DAYS = 550


@dataclass(frozen=True)
class Deadline:
    """A due date `working_days` after `start`, and whether any day counted was estimated.

    Start and count are kept with the deadline so that a change to the calendar can count
    it again (docs/domain.md §13).
    """

    due: date
    estimated: bool
    start: date
    working_days: int


def official_calendar_covers(year: int) -> bool:
    """Return whether the official calendar package knows the State Council's schedule of `year`."""
    return _official_workday(date(year, 1, 1)) is not None


def _official_workday(day: date) -> bool | None:
    """Return the official answer for `day`, or None when its year is not announced."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def add_working_days(session: Session | None, start: date, days: int) -> Deadline:
    """Return the date `days` working days after `start`; the start day itself does not count.

    Each day is asked, in order: the official calendar package (announced years); an
    administrator's entry; the statutory holidays estimated from the holiday law; Monday to
    Friday (docs/domain.md §13). A deadline that counted any day not answered by the
    package is marked estimated. Without a session (a database not set up yet)
    administrators' entries are not read.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    entered = _entered_days_from(session, start) if session is not None else {}
    day = start
    counted = 0
    estimated = False
    while counted < days:
        day += timedelta(days=1)
        official = _official_workday(day)
        if official is None:
            estimated = True
            is_workday = entered.get(day)
            if is_workday is None:
                is_workday = day.weekday() < 5 and day not in statutory_holidays(day.year)
        else:
            is_workday = official
        if is_workday:
            counted += 1
    return Deadline(day, estimated, start, days)


def _entered_days_from(session: Session, start: date) -> dict[date, bool]:
    """Load the days administrators entered from `start` on, as far as a deadline reaches."""
    rows = session.execute(
        select(CalendarOverride.day, CalendarOverride.is_workday).where(
            CalendarOverride.day > start,
            CalendarOverride.day <= start + timedelta(days=HORIZON_DAYS),
        )
    )
    return {row.day: row.is_workday for row in rows}
