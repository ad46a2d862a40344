"""The periods of a review count calendar days (docs/domain.md §11): no holiday is skipped."""

from __future__ import annotations

from datetime import date

import pytest

from intake.review.deadlines import review_answer_due_on, review_request_last_day


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # The National Day week (2026-10-01 to 10-07) is counted like any other days.
        (date(2026, 9, 25), date(2026, 10, 25)),
        (date(2026, 10, 1), date(2026, 10, 31)),
        # So is the Spring Festival (2026-02-15 to 02-23).
        (date(2026, 2, 10), date(2026, 3, 12)),
        (date(2026, 2, 16), date(2026, 3, 18)),
    ],
)
def test_an_answer_is_due_thirty_calendar_days_after_the_request_holidays_included(
    start: date, due: date
) -> None:
    assert review_answer_due_on(start, 30) == due


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 1, 31), date(2026, 3, 2)),  # across a short February
        (date(2028, 1, 31), date(2028, 3, 1)),  # a leap year's February
        (date(2026, 12, 15), date(2027, 1, 14)),  # across the year's end
        (date(2026, 12, 31), date(2027, 1, 30)),
    ],
)
def test_an_answer_deadline_crosses_month_and_year_ends_by_calendar_days(
    start: date, due: date
) -> None:
    assert review_answer_due_on(start, 30) == due


def test_the_request_period_ends_thirty_calendar_days_after_the_feedback() -> None:
    # Feedback on the eve of the National Day week: the seven holidays count.
    assert review_request_last_day(date(2026, 9, 30), 30) == date(2026, 10, 30)


def test_the_periods_follow_their_settings() -> None:
    assert review_request_last_day(date(2026, 3, 1), 15) == date(2026, 3, 16)
    assert review_answer_due_on(date(2026, 3, 1), 60) == date(2026, 4, 30)
