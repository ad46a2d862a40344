"""Administrators enter and remove days of the holiday calendar (docs/domain.md §13).

An entry wins over the estimate of the statutory holidays for a year the official calendar
package does not cover. Every change counts the running deadlines again at once: those
whose windows hold a changed day move, each with an event (`report_deadlines.py`).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from intake.calendar.models import CalendarOverride
from intake.calendar.report_deadlines import recount_deadlines
from portal import audit
from portal.accounts.models import StaffUser


def set_calendar_days(
    session: Session,
    first: date,
    last: date | None = None,
    *,
    workday: bool,
    note: str,
    actor: StaffUser,
) -> int:
    """Enter the days from `first` to `last` (one day without it) and return how many deadlines moved."""
    last = last or first
    if last < first:
        raise ValueError("the last day comes before the first")
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for day in days:
        row = session.get(CalendarOverride, day) or CalendarOverride(day=day)
        row.is_workday = workday
        row.note = note
        session.add(row)
    session.flush()
    moved = recount_deadlines(session, days, actor=actor)
    audit.record(
        session,
        "calendar.day_set",
        actor=f"staff:{actor.id}",
        subject=f"day:{first.isoformat()}",
        details={"last": last.isoformat(), "workday": workday, "deadlines_moved": moved},
    )
    return moved


def remove_calendar_day(session: Session, day: date, *, actor: StaffUser) -> int:
    """Remove one day of the administrators' calendar and return how many deadlines moved."""
    session.execute(delete(CalendarOverride).where(CalendarOverride.day == day))
    moved = recount_deadlines(session, [day], actor=actor)
    audit.record(
        session,
        "calendar.day_removed",
        actor=f"staff:{actor.id}",
        subject=f"day:{day.isoformat()}",
        details={"deadlines_moved": moved},
    )
    return moved
