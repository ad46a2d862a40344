"""An administrator's change to the holiday calendar moves the running deadlines it crosses (docs/domain.md §13)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.deadlines import add_working_days
from intake.calendar.operations import remove_calendar_day, set_calendar_days
from intake.calendar.report_deadlines import set_notice_due
from intake.models import Report, ReportEvent
from intake.office import acceptance
from portal.audit import AuditEntry
from portal.security import data_cipher

# The Spring Festival 2027 as a State Council schedule might give it: 5 to 12 February off
# (New Year's Eve to the 8th day), Saturday 20 February worked instead.
SPRING_FESTIVAL = (date(2027, 2, 5), date(2027, 2, 12))
MAKE_UP_DAY = date(2027, 2, 20)


@pytest.fixture
def admin(make_staff: Any) -> Any:
    return make_staff("administrator", region_code="640000")


def _events(db: Session, report: Report, kind: str) -> list[ReportEvent]:
    return list(
        db.scalars(
            select(ReportEvent).where(ReportEvent.report_id == report.id, ReportEvent.kind == kind)
        )
    )


def _assert_untouched(db: Session, report: Report, version: int, accept_due_on: date) -> None:
    assert report.accept_due_on == accept_due_on
    assert report.version == version
    assert _events(db, report, "deadline_moved") == []


def _enter_spring_festival(db: Session, admin: Any) -> int:
    moved = set_calendar_days(
        db, *SPRING_FESTIVAL, workday=False, note="春节", actor=admin
    ) + set_calendar_days(db, MAKE_UP_DAY, workday=True, note="春节调休", actor=admin)
    db.commit()
    return moved


def test_entering_the_spring_festival_moves_a_crossing_acceptance_deadline(
    db: Session, admin: Any, file_on: Any
) -> None:
    report = file_on(date(2027, 1, 28))
    assert report.accept_due_on == date(2027, 2, 22)  # estimated: Eve and 8 February off
    _enter_spring_festival(db, admin)
    # 5–12 February off, Saturday 20 February worked: the 15th working day is 25 February.
    assert (report.accept_due_on, report.due_on) == (date(2027, 2, 25), date(2027, 2, 25))


def test_each_move_leaves_an_internal_event_from_the_old_date_to_the_new(
    db: Session, admin: Any, file_on: Any
) -> None:
    report = file_on(date(2027, 1, 28))
    _enter_spring_festival(db, admin)
    moves = _events(db, report, "deadline_moved")
    assert [e.detail for e in moves] == ["2027-02-22 → 2027-02-26", "2027-02-26 → 2027-02-25"]
    assert all(not e.is_public and e.actor_staff_id == admin.id for e in moves)


def test_each_move_is_audited(db: Session, admin: Any, file_on: Any) -> None:
    report = file_on(date(2027, 1, 28))
    _enter_spring_festival(db, admin)
    entries = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "report.deadline_moved",
            AuditEntry.subject == f"report:{report.case_number}",
        )
    ).all()
    assert len(entries) == 2


def test_a_deadline_whose_window_misses_the_changed_days_is_untouched(
    db: Session, admin: Any, file_on: Any
) -> None:
    report = file_on(date(2027, 3, 1))
    version = report.version
    _enter_spring_festival(db, admin)
    _assert_untouched(db, report, version, date(2027, 3, 22))


def test_a_closed_report_is_untouched(
    db: Session, admin: Any, file_on: Any, make_staff: Any
) -> None:
    report = file_on(date(2027, 1, 28))
    officer = make_staff("intake_officer")
    acceptance.decline_report(
        db, report, actor=officer, ground="not_reportable", reason="无", cipher=data_cipher()
    )
    db.commit()
    version = report.version
    _enter_spring_festival(db, admin)
    _assert_untouched(db, report, version, date(2027, 2, 22))


def test_only_the_reports_that_cross_the_changed_days_are_counted(
    db: Session, admin: Any, file_on: Any
) -> None:
    file_on(date(2027, 1, 28))
    file_on(date(2027, 1, 29))
    file_on(date(2027, 3, 1))
    moved = set_calendar_days(db, *SPRING_FESTIVAL, workday=False, note="春节", actor=admin)
    assert moved == 2


def test_the_notice_owed_to_a_real_name_reporter_moves_too(
    db: Session, admin: Any, file_on: Any, identity: Any, recovery_private_key: bytes
) -> None:
    report = file_on(date(2027, 1, 28), identity=identity)
    # Accepted on Tuesday 2 February: 5 working days, the estimate skipping 5 and 8 February.
    set_notice_due(report, add_working_days(db, date(2027, 2, 2), 5))
    db.commit()
    assert report.notice_due_on == date(2027, 2, 11)
    set_calendar_days(db, *SPRING_FESTIVAL, workday=False, note="春节", actor=admin)
    assert report.notice_due_on == date(2027, 2, 17)
    assert [e.detail for e in _events(db, report, "notice_deadline_moved")] == [
        "2027-02-11 → 2027-02-17"
    ]


def test_removing_an_entered_day_moves_the_deadline_back(
    db: Session, admin: Any, file_on: Any
) -> None:
    report = file_on(date(2027, 1, 28))
    set_calendar_days(db, date(2027, 2, 1), workday=False, note="测试", actor=admin)
    assert report.accept_due_on == date(2027, 2, 23)
    remove_calendar_day(db, date(2027, 2, 1), actor=admin)
    assert report.accept_due_on == date(2027, 2, 22)


def test_an_extended_acceptance_deadline_moves_as_thirty_working_days_from_receipt(
    db: Session, admin: Any, file_on: Any, make_staff: Any
) -> None:
    report = file_on(date(2027, 1, 4))
    acceptance.extend_deadline(
        db, report, actor=make_staff("approver"), reason="案情复杂", cipher=data_cipher()
    )
    assert report.accept_due_on == add_working_days(db, date(2027, 1, 4), 30).due
    before = report.accept_due_on
    set_calendar_days(db, *SPRING_FESTIVAL, workday=False, note="春节", actor=admin)
    assert report.accept_due_on == add_working_days(db, date(2027, 1, 4), 30).due > before
