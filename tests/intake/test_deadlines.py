from datetime import date

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
