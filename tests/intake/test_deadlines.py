from datetime import date

from sqlalchemy.orm import Session

from intake.calendar.deadlines import add_working_days
from intake.calendar.models import CalendarOverride


def test_fifteen_working_days_skip_national_day_and_count_the_make_up_saturday(db):
    # docs/domain.md §3: received Monday 2026-09-28, 15 working days end on 2026-10-23.
    deadline = add_working_days(db, date(2026, 9, 28), 15)
    assert deadline.due == date(2026, 10, 23)


def test_deadline_in_an_announced_year_is_not_estimated(db):
    assert add_working_days(db, date(2026, 9, 28), 15).estimated is False


def test_start_day_itself_does_not_count(db):
    # Friday 2026-11-20 + 1 working day is Monday 2026-11-23.
    assert add_working_days(db, date(2026, 11, 20), 1).due == date(2026, 11, 23)


def test_unknown_year_falls_back_to_monday_to_friday_and_is_marked(db):
    deadline = add_working_days(db, date(2027, 3, 1), 5)  # Monday
    assert deadline.due == date(2027, 3, 8)
    assert deadline.estimated is True


def test_administrator_holiday_in_unknown_year_moves_the_deadline(db):
    db.add(CalendarOverride(day=date(2027, 3, 3), is_workday=False, note="测试假日"))
    db.flush()
    assert add_working_days(db, date(2027, 3, 1), 5).due == date(2027, 3, 9)


def test_administrator_make_up_day_in_unknown_year_counts(db):
    db.add(CalendarOverride(day=date(2027, 3, 6), is_workday=True, note="调休上班"))
    db.flush()
    assert add_working_days(db, date(2027, 3, 1), 5).due == date(2027, 3, 6)


def test_deadline_crossing_into_unknown_year_is_marked_estimated(db):
    assert add_working_days(db, date(2026, 12, 28), 15).estimated is True


def test_new_years_day_of_an_unknown_year_is_an_estimated_holiday(db: Session) -> None:
    # docs/domain.md §13: Friday 1 January 2027 is a holiday, so 3 working days from
    # Thursday 2026-12-31 end on Wednesday 2027-01-06.
    deadline = add_working_days(db, date(2026, 12, 31), 3)
    assert (deadline.due, deadline.estimated) == (date(2027, 1, 6), True)


def test_the_estimated_spring_festival_2027_is_skipped(db: Session) -> None:
    # New Year's Eve Friday 5 February and Monday 8 February 2027 are holidays.
    assert add_working_days(db, date(2027, 2, 4), 1).due == date(2027, 2, 9)


def test_an_acceptance_deadline_across_the_spring_festival_2027_is_two_days_later(
    db: Session,
) -> None:
    # Received Thursday 2027-01-28: Monday to Friday alone would give 2027-02-18.
    assert add_working_days(db, date(2027, 1, 28), 15).due == date(2027, 2, 22)


def test_the_estimated_national_day_2027_is_skipped(db: Session) -> None:
    # Friday 1 October 2027 is a holiday; 2 and 3 October are a weekend.
    assert add_working_days(db, date(2027, 9, 30), 1).due == date(2027, 10, 4)


def test_an_administrator_working_day_wins_over_the_estimated_holiday(db: Session) -> None:
    db.add(CalendarOverride(day=date(2027, 1, 1), is_workday=True, note="测试"))
    db.flush()
    assert add_working_days(db, date(2026, 12, 31), 3).due == date(2027, 1, 5)


def test_the_official_calendar_wins_over_an_administrator_entry(db: Session) -> None:
    # 2026 is announced: an entry for National Day 2026 changes nothing.
    db.add(CalendarOverride(day=date(2026, 10, 1), is_workday=True, note="测试"))
    db.flush()
    assert add_working_days(db, date(2026, 9, 28), 15).due == date(2026, 10, 23)


def test_a_deadline_keeps_the_day_it_counts_from_and_how_many_days(db: Session) -> None:
    deadline = add_working_days(db, date(2027, 1, 28), 15)
    assert (deadline.start, deadline.working_days) == (date(2027, 1, 28), 15)
