"""Fixtures of the intake tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.calendar.deadlines import ACCEPT_DECISION_WORKING_DAYS, add_working_days
from intake.calendar.report_deadlines import set_accept_due
from intake.models import Report
from portal.timeutil import CHINA


@pytest.fixture
def file_on(db: Session, make_report: Any) -> Callable[..., Report]:
    """Factory: a report filed through the real operation, as if received on `day` (in China)."""

    def factory(day: date, **overrides: Any) -> Report:
        report, _ = make_report(**overrides)
        report.received_at = datetime.combine(day, time(10), CHINA).astimezone(UTC)
        set_accept_due(report, add_working_days(db, day, ACCEPT_DECISION_WORKING_DAYS))
        db.commit()
        return report

    return factory
