"""Time-driven work (`flask --app portal run-deadlines`): lapses and overdue marks.

Safe to run as often as wanted: each change happens once, because it is recorded on the
row it changes (`overdue_since`, the reward's status).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import ActorKind, Report, ReportEvent
from intake.rewards_flow import lapse_unclaimed
from intake.workflow import ACTIVE
from portal import audit
from portal.db import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineRun:
    """What one run changed."""

    lapsed_rewards: int
    newly_overdue: int


def run_deadlines(session: Session, today: date) -> DeadlineRun:
    """Lapse unclaimed rewards and mark reports whose deadline passed; flush, do not commit."""
    lapsed = lapse_unclaimed(session, today)
    overdue = session.scalars(
        select(Report).where(
            Report.stage.in_(ACTIVE),
            Report.due_on < today,
            Report.overdue_since.is_(None),
        )
    ).all()
    for report in overdue:
        report.overdue_since = today
        report.events.append(
            ReportEvent(
                kind="overdue",
                stage_after=report.stage,
                actor_kind=ActorKind.SYSTEM,
                is_public=False,
                created_at=utcnow(),
            )
        )
        audit.record(
            session, "report.overdue", actor="system", subject=f"report:{report.case_number}"
        )
    session.flush()
    log.info("deadlines run: %d rewards lapsed, %d reports newly overdue", lapsed, len(overdue))
    return DeadlineRun(lapsed, len(overdue))
