"""The two periods of a review, in calendar days (docs/domain.md §11).

The petition rules (《信访工作条例》 2022, art. 35) count these 30 + 30 days as calendar days:
weekends and public holidays (the National Day and Spring Festival weeks included) are not
skipped, unlike the working-day deadlines of docs/domain.md §3. The day a period starts on
does not count, as with every deadline of the portal.
"""

from __future__ import annotations

from datetime import date, timedelta


def review_request_last_day(feedback_on: date, days: int) -> date:
    """Return the last day a reporter may ask for a review of feedback sent on `feedback_on`."""
    return feedback_on + timedelta(days=days)


def review_answer_due_on(requested_on: date, days: int) -> date:
    """Return the day by which the reviewing office answers a review asked on `requested_on`."""
    return requested_on + timedelta(days=days)
