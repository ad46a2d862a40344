"""Holidays and make-up working days administrators enter for years the calendar package does not know (docs/domain.md §13)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class CalendarOverride(Base):
    """A day an administrator entered; it wins over the estimated statutory holidays (docs/domain.md §13)."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(80), default="")
