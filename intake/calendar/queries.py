"""What the holiday calendar page shows: the days entered, and the estimates they correct."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.deadlines import HORIZON_DAYS, official_calendar_covers
from intake.calendar.holidays import HOLIDAYS, statutory_holidays
from intake.calendar.models import CalendarOverride
from intake.catalog import label_of


@dataclass(frozen=True)
class EnteredDay:
    """A day an administrator entered."""

    day: date
    is_workday: bool
    note: str


@dataclass(frozen=True)
class EstimatedDay:
    """A statutory holiday estimated from the holiday law, and any entry that overrides it."""

    day: date
    names: list[object]  # translatable labels
    entered_as_workday: bool | None  # None: no administrator entered this day


@dataclass(frozen=True)
class EstimatedYear:
    """A year deadlines may reach that the official calendar package does not cover."""

    year: int
    days: list[EstimatedDay]


@dataclass(frozen=True)
class CalendarPage:
    """Everything the holiday calendar page shows."""

    entered: list[EnteredDay]
    estimated_years: list[EstimatedYear]


def calendar_page(session: Session, today: date) -> CalendarPage:
    """Return the entered days and the estimated holidays of the years deadlines may reach."""
    entered = [
        EnteredDay(row.day, row.is_workday, row.note)
        for row in session.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
    ]
    by_day = {e.day: e.is_workday for e in entered}
    last_year = (today + timedelta(days=HORIZON_DAYS)).year
    estimated_years = [
        EstimatedYear(
            year,
            [
                EstimatedDay(day, [label_of(HOLIDAYS, c) for c in codes], by_day.get(day))
                for day, codes in statutory_holidays(year).items()
            ],
        )
        for year in range(today.year, last_year + 1)
        if not official_calendar_covers(year)
    ]
    return CalendarPage(entered, estimated_years)
