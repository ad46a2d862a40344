"""Working-day deadlines on the official Chinese calendar (docs/domain.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.calendar.models import CalendarOverride
from portal import audit
from portal.accounts.models import StaffUser

# The deadlines counted in working days (docs/domain.md §3), in one place:
# decide whether to accept within 15 working days of receipt (and 15 more once extended);
ACCEPT_DECISION_WORKING_DAYS = 15
# tell a real-name reporter the accept/decline decision within 5 working days of it;
NOTICE_WORKING_DAYS = 5
# notify a reward within 10 working days of the handling decision.
REWARD_NOTICE_WORKING_DAYS = 10


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


def add_working_days(session: Session | None, start: date, days: int) -> Deadline:
    """Return the date `days` working days after `start`; the start day itself does not count.

    Without a session (a database not set up yet) administrators' days are not read.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    overrides = _overrides_from(session, start) if session is not None else {}
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


def list_calendar_days(session: Session) -> list[CalendarOverride]:
    """Return the administrator-kept holidays and make-up working days, by date."""
    return list(session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))


def set_calendar_day(
    session: Session, day: date, *, workday: bool, note: str, actor: StaffUser
) -> CalendarOverride:
    """Add or replace one day of the fallback calendar (deadlines computed later use it)."""
    row = session.get(CalendarOverride, day) or CalendarOverride(day=day)
    row.is_workday = workday
    row.note = note
    session.add(row)
    session.flush()
    audit.record(
        session,
        "calendar.day_set",
        actor=f"staff:{actor.id}",
        subject=f"day:{day.isoformat()}",
        details={"workday": workday},
    )
    return row


def remove_calendar_day(session: Session, day: date, *, actor: StaffUser) -> None:
    """Remove one day of the fallback calendar."""
    session.execute(delete(CalendarOverride).where(CalendarOverride.day == day))
    audit.record(
        session, "calendar.day_removed", actor=f"staff:{actor.id}", subject=f"day:{day.isoformat()}"
    )
