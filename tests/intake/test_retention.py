"""Retention: a closed report's identity is destroyed after the configured period (docs/domain.md §7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.identity.models import IdentitySeal
from intake.models import Report
from intake.timers import run_deadlines
from portal.audit import AuditEntry, verify_chain
from portal.db import utcnow


def _closed_real_name_report(db: Session, make_report: Any, identity: Any, days_ago: int) -> Report:
    report, _ = make_report(identity=identity)
    report.closed_at = utcnow() - timedelta(days=days_ago)
    db.commit()
    return report


def test_an_identity_is_destroyed_after_the_retention_period(
    db: Session, make_report: Any, identity: Any, recovery_private_key: bytes
) -> None:
    report = _closed_real_name_report(db, make_report, identity, days_ago=5 * 366)
    assert run_deadlines(db, date.today(), retention_months=60).identities_destroyed == 1
    assert (
        db.scalar(
            select(func.count())
            .select_from(IdentitySeal)
            .where(IdentitySeal.report_id == report.id)
        )
        == 0
    )


def test_the_report_itself_is_kept(
    db: Session, make_report: Any, identity: Any, recovery_private_key: bytes
) -> None:
    report = _closed_real_name_report(db, make_report, identity, days_ago=5 * 366)
    run_deadlines(db, date.today(), retention_months=60)
    assert db.get(Report, report.id) is not None and report.events[-1].kind == "identity_destroyed"


def test_a_recently_closed_report_keeps_its_identity(
    db: Session, make_report: Any, identity: Any, recovery_private_key: bytes
) -> None:
    _closed_real_name_report(db, make_report, identity, days_ago=30)
    assert run_deadlines(db, date.today(), retention_months=60).identities_destroyed == 0


def test_destruction_is_recorded_in_the_audit_chain_once(
    db: Session, make_report: Any, identity: Any, recovery_private_key: bytes
) -> None:
    _closed_real_name_report(db, make_report, identity, days_ago=5 * 366)
    run_deadlines(db, date.today(), retention_months=60)
    run_deadlines(db, date.today(), retention_months=60)
    db.commit()
    assert (
        db.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "identity.destroyed")
        )
        == 1
    )
    assert verify_chain(db) is None


def test_an_open_report_keeps_its_identity_however_old(
    db: Session, make_report: Any, identity: Any, recovery_private_key: bytes
) -> None:
    report, _ = make_report(identity=identity)
    report.received_at = utcnow() - timedelta(days=10 * 365)
    db.commit()
    assert run_deadlines(db, date.today(), retention_months=60).identities_destroyed == 0


@pytest.mark.parametrize(
    ("closed_in_china", "destroyed"),
    [
        # 31 August plus six months is 28 February (the month's end): due on that day.
        ("2026-08-31T23:30:00+08:00", 1),
        ("2026-09-01T00:30:00+08:00", 0),
    ],
)
def test_a_period_ending_at_a_short_months_end_is_due_that_day(
    db: Session,
    make_report: Any,
    identity: Any,
    recovery_private_key: bytes,
    closed_in_china: str,
    destroyed: int,
) -> None:
    report, _ = make_report(identity=identity)
    report.closed_at = datetime.fromisoformat(closed_in_china).astimezone(UTC)
    db.commit()
    run = run_deadlines(db, date(2027, 2, 28), retention_months=6)
    assert run.identities_destroyed == destroyed
