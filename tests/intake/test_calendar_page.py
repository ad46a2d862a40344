"""The holiday calendar page at /staff/admin/calendar (docs/domain.md §13)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.models import CalendarOverride


def _admin(make_staff: Any, login_as: Any) -> Any:
    return login_as(make_staff("administrator", region_code="640000"))


def _enter(admin: Any, day: str, last_day: str = "", note: str = "测试") -> Any:
    return admin.post(
        "/staff/admin/calendar",
        data={"day": day, "last_day": last_day, "kind": "holiday", "note": note},
    )


def test_the_page_lists_the_estimated_holidays_of_the_years_ahead(
    make_staff: Any, login_as: Any
) -> None:
    # Today is in 2026 (announced): deadlines reach 2027 and 2028, which are estimated.
    page = _admin(make_staff, login_as).get("/staff/admin/calendar").get_data(as_text=True)
    assert "2027 年估算的法定节假日" in page and "2028 年估算的法定节假日" in page
    assert "2027年2月5日" in page and "春节" in page


def test_the_page_says_make_up_working_days_cannot_be_known(make_staff: Any, login_as: Any) -> None:
    page = _admin(make_staff, login_as).get("/staff/admin/calendar").get_data(as_text=True)
    assert "调休上班日" in page and "无法预先知道" in page


def test_an_administrator_enters_a_run_of_days_at_once(
    db: Session, make_staff: Any, login_as: Any
) -> None:
    response = _enter(_admin(make_staff, login_as), "2027-02-05", "2027-02-12", "春节")
    assert response.status_code == 303
    days = db.scalars(select(CalendarOverride.day).order_by(CalendarOverride.day)).all()
    assert days[0] == date(2027, 2, 5) and days[-1] == date(2027, 2, 12) and len(days) == 8


def test_a_run_ending_before_it_starts_is_refused(
    db: Session, make_staff: Any, login_as: Any
) -> None:
    response = _enter(_admin(make_staff, login_as), "2027-02-12", "2027-02-05")
    assert response.status_code == 422
    assert db.scalar(select(CalendarOverride)) is None


def test_a_run_longer_than_a_month_is_refused(make_staff: Any, login_as: Any) -> None:
    response = _enter(_admin(make_staff, login_as), "2027-01-01", "2027-12-31")
    assert response.status_code == 422


def test_saving_says_how_many_deadlines_moved(
    db: Session, make_staff: Any, login_as: Any, file_on: Any
) -> None:
    report = file_on(date(2027, 1, 28))
    admin = _admin(make_staff, login_as)
    _enter(admin, "2027-02-09")
    page = admin.get("/staff/admin/calendar").get_data(as_text=True)
    assert "调整的在办期限：1 个" in page
    db.refresh(report)
    assert report.accept_due_on == date(2027, 2, 23)


def test_an_estimated_deadline_on_the_report_page_says_make_up_days_are_unknown(
    make_staff: Any, login_as: Any, file_on: Any
) -> None:
    report = file_on(date(2026, 12, 31))
    page = (
        login_as(make_staff("intake_officer"))
        .get(f"/staff/reports/{report.case_number}")
        .get_data(as_text=True)
    )
    assert "2027年1月22日" in page and "调休上班日无法预先知道" in page


def test_the_queue_explains_its_estimated_deadlines(
    make_staff: Any, login_as: Any, file_on: Any
) -> None:
    file_on(date(2026, 12, 31))
    page = login_as(make_staff("intake_officer")).get("/staff/").get_data(as_text=True)
    assert "（估算）" in page and "调休上班日无法预先知道" in page
