"""Every page of the queue in deadline order, whichever way the page's ids are read.

On PostgreSQL a page is merged from each region's and stage's first reports
(`intake/office/queue.py` `_merged_page_ids`); elsewhere it is one sort. Both must give
exactly the order of docs/domain.md §12: nearest deadline first, none last, and among
reports due the same day the priority ones first, then the earliest received.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.models import Report, Stage
from intake.office.queue import QueueFilters, list_queue

TODAY = date(2026, 3, 2)
REGIONS = ("640100", "640104", "640105", "640106")
STAGES = (Stage.RECEIVED, Stage.CHECKING, Stage.HANDLING, Stage.FEEDBACK, Stage.CLOSED)


@pytest.fixture
def reports(db: Session, make_report: Any) -> list[Report]:
    """Forty reports of four regions in five stages, deadlines drawn close together."""
    rng = random.Random(20261202)  # noqa: S311 (test data, not a secret)
    made = []
    for n in range(40):
        report, _ = make_report(REGIONS[n % len(REGIONS)])
        report.stage = rng.choice(STAGES)
        report.due_on = None if n % 13 == 0 else TODAY + timedelta(days=rng.randint(-6, 6))
        report.priority = rng.random() < 0.3
        made.append(report)
    db.commit()
    return made


def _expected(reports: list[Report], overdue: bool) -> list[int]:
    kept = [
        r
        for r in reports
        if r.stage is not Stage.CLOSED and (not overdue or (r.due_on and r.due_on < TODAY))
    ]
    kept.sort(
        key=lambda r: (r.due_on is None, r.due_on or TODAY, not r.priority, r.received_at, r.id)
    )
    return [r.id for r in kept]


def _pages(db: Session, user: Any, filters: QueueFilters) -> list[int]:
    ids: list[int] = []
    page, pages = 1, 1
    while page <= pages:
        listed = list_queue(db, user, filters, today=TODAY, due_soon_days=3, page=page, per_page=7)
        ids += [r.id for r in listed.reports]
        page, pages = page + 1, listed.pages
    return ids


def test_every_page_of_the_queue_lists_its_reports_in_deadline_order(
    db: Session, make_staff: Any, reports: list[Report]
) -> None:
    user = make_staff("intake_officer", region_code="640100")
    assert _pages(db, user, QueueFilters()) == _expected(reports, overdue=False)


def test_every_page_of_the_overdue_queue_lists_its_reports_in_deadline_order(
    db: Session, make_staff: Any, reports: list[Report]
) -> None:
    user = make_staff("intake_officer", region_code="640100")
    assert _pages(db, user, QueueFilters(overdue=True)) == _expected(reports, overdue=True)
