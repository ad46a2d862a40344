"""Time-driven work (`flask --app portal run-deadlines`): lapses and overdue marks.

Safe to run as often as wanted: each change happens once, because it is recorded on the
row it changes (`overdue_since`, the reward's status).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.contact.reminders import remind_lapsing_rewards
from intake.identity.models import IdentityAccessRequest, IdentitySeal
from intake.models import ActorKind, Report, ReportEvent
from intake.office.workflow import ACTIVE
from intake.rewards.lifecycle import add_months, lapse_unclaimed
from portal import audit
from portal.db import utcnow
from portal.timeutil import CHINA

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineRun:
    """What one run changed."""

    lapsed_rewards: int
    newly_overdue: int
    identities_destroyed: int = 0
    reward_reminders: int = 0


def destroy_expired_identities(session: Session, today: date, retention_months: int) -> int:
    """Destroy the sealed identities of reports closed longer ago than the retention period.

    The report, its history and any published case stay; only who reported is erased,
    and the audit chain records that it was (docs/domain.md §7).
    """
    destroyed = 0
    # Only reports closed before this moment can have expired: the rule's month ends make
    # it up to three days uneven, so the bound is loose and the exact test follows. (Every
    # closed report with a seal was read on each run before.)
    bound = add_months(today, -retention_months) + timedelta(days=4)
    candidates = session.scalars(
        select(Report).where(
            Report.closed_at < datetime.combine(bound, time(), CHINA),
            Report.id.in_(select(IdentitySeal.report_id)),
        )
    ).all()
    for report in candidates:
        assert report.closed_at is not None
        if add_months(report.closed_at.astimezone(CHINA).date(), retention_months) > today:
            continue
        seals = session.scalars(
            select(IdentitySeal).where(IdentitySeal.report_id == report.id)
        ).all()
        session.execute(
            delete(IdentityAccessRequest).where(IdentityAccessRequest.report_id == report.id)
        )
        for seal in seals:
            session.delete(seal)
        report.events.append(
            ReportEvent(
                kind="identity_destroyed",
                stage_after=report.stage,
                actor_kind=ActorKind.SYSTEM,
                is_public=False,
                created_at=utcnow(),
            )
        )
        audit.record(
            session,
            "identity.destroyed",
            actor="system",
            subject=f"report:{report.case_number}",
            details={"seals": len(seals), "retention_months": retention_months},
        )
        destroyed += 1
    session.flush()
    return destroyed


def run_deadlines(session: Session, today: date, retention_months: int = 60) -> DeadlineRun:
    """Lapse rewards, remind of lapsing ones, mark overdue reports, destroy expired identities.

    Flushes, does not commit.
    """
    lapsed = lapse_unclaimed(session, today)
    reminded = remind_lapsing_rewards(session, today)
    destroyed = destroy_expired_identities(session, today, retention_months)
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
    log.info(
        "deadlines run: %d rewards lapsed, %d reward reminders written, %d reports newly overdue, "
        "%d identities destroyed",
        lapsed,
        reminded,
        len(overdue),
        destroyed,
    )
    return DeadlineRun(lapsed, len(overdue), destroyed, reminded)
