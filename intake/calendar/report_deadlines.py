"""The working-day deadlines a report keeps, and counting them again when the calendar changes.

A report keeps two deadlines counted in working days (docs/domain.md §3): its running
deadline `due_on` (the decision on acceptance while the report awaits it, later the reward
notice) and the notice owed to a real-name reporter `notice_due_on`. Each keeps the day it
counts from and how many working days, so that when an administrator enters or removes
days of the holiday calendar the deadlines still running are counted again
(docs/domain.md §13).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from intake.calendar.deadlines import Deadline, add_working_days
from intake.events import append_event
from intake.models import ActorKind, Report, Stage
from portal.accounts.models import StaffUser

# While the report awaits the decision on acceptance (or on opening a case), its running
# deadline is the acceptance deadline: 15 working days from receipt (docs/domain.md §3).
AWAITING_DECISION = frozenset({Stage.RECEIVED, Stage.CHECKING})


def set_due(report: Report, due: Deadline | date | None) -> None:
    """Set the running deadline: a Deadline in working days, a date in calendar days, or none."""
    if isinstance(due, Deadline):
        report.due_on, report.due_estimated = due.due, due.estimated
        report.due_from, report.due_working_days = due.start, due.working_days
    else:
        report.due_on, report.due_estimated = due, False
        report.due_from = report.due_working_days = None
    report.overdue_since = None


def set_accept_due(report: Report, due: Deadline) -> None:
    """Set the acceptance deadline, which is also the running one while it runs."""
    report.accept_due_on, report.accept_due_estimated = due.due, due.estimated
    set_due(report, due)


def set_notice_due(report: Report, due: Deadline | None) -> None:
    """Set the notice owed to a real-name reporter, or clear it once given."""
    report.notice_due_on = due.due if due else None
    report.notice_due_estimated = due.estimated if due else False
    report.notice_due_from = due.start if due else None
    report.notice_due_working_days = due.working_days if due else None


# What is kept of a running deadline: the event that records its move, the day it counts
# from, how many working days, its date, and how a recounted deadline is stored.
_Running = tuple[str, date | None, int | None, date | None, Callable[[Report, Deadline], None]]


def _running(report: Report) -> tuple[_Running, _Running]:
    store_due = set_accept_due if report.stage in AWAITING_DECISION else set_due
    return (
        ("deadline_moved", report.due_from, report.due_working_days, report.due_on, store_due),
        (
            "notice_deadline_moved",
            report.notice_due_from,
            report.notice_due_working_days,
            report.notice_due_on,
            set_notice_due,
        ),
    )


def recount_deadlines(session: Session, changed: Collection[date], *, actor: StaffUser) -> int:
    """Count again the running deadlines whose windows hold a changed day; return how many moved.

    A window without a changed day counts the same days as before, so its report is left
    alone. Each deadline that moves gets an internal event, audited, naming the old and the
    new date.
    """
    if not changed:
        return 0
    first, last = min(changed), max(changed)
    reports = session.scalars(
        select(Report)
        .where(
            or_(
                and_(Report.due_from < last, Report.due_on >= first),
                and_(Report.notice_due_from < last, Report.notice_due_on >= first),
            )
        )
        .order_by(Report.id)
    ).all()
    moved = 0
    for report in reports:
        for kind, start, days, old, store in _running(report):
            if start is None or days is None or old is None:
                continue
            if not any(start < day <= old for day in changed):
                continue  # the window (start, old] counts the same days as before
            due = add_working_days(session, start, days)
            if due.due != old:
                append_event(
                    session,
                    report,
                    kind,
                    by=ActorKind.STAFF,
                    staff=actor,
                    public=False,
                    detail=f"{old} → {due.due}",
                    audited=True,
                )
                store(report, due)
                moved += 1
    session.flush()
    return moved
