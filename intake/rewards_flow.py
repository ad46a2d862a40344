"""A reward's life (domain.md §4): proposed, approved by someone else, claimed, paid or lapsed."""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.identity import ReporterIdentity, seal_identity
from intake.models import ActorKind, IdentityMode, Report, ReportEvent, Reward, RewardStatus, Stage
from intake.rewards import FEN, get_reward_schedule, quote_reward
from intake.submission import report_context
from intake.workflow import WorkflowError, _event, reward_possible
from portal import audit
from portal.auth import in_jurisdiction
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.models import StaffUser
from portal.timeutil import today_in_china

log = logging.getLogger(__name__)
SETTLED = frozenset({RewardStatus.PAID, RewardStatus.LAPSED, RewardStatus.REFUSED})


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def get_reward(session: Session, report: Report) -> Reward | None:
    """Return the reward of `report`, if one was proposed."""
    return session.scalar(select(Reward).where(Reward.report_id == report.id))


def reward_settled(session: Session, report: Report) -> bool:
    """Return whether the report's reward was paid, lapsed or refused."""
    reward = get_reward(session, report)
    return reward is not None and reward.status in SETTLED


@dataclass(frozen=True)
class Exclusions:
    """The exclusions of domain.md §4, each answered by the reward officer."""

    reporter_is_staff: bool
    offender_under_investigation: bool
    already_known: bool

    def any(self) -> bool:
        """Return whether any exclusion applies."""
        return self.reporter_is_staff or self.offender_under_investigation or self.already_known


def propose_reward(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    case_value: Decimal | None,
    fixed_amount: Decimal | None,
    exclusions: Exclusions,
    note: str,
    cipher: DataCipher,
) -> Reward:
    """Propose a reward: from the case value by the schedule, or a fixed sum in its range."""
    _require_jurisdiction(report, actor)
    if not actor.has_role("reward_officer"):
        raise WorkflowError("role")
    if report.stage is not Stage.REWARD or not reward_possible(report):
        raise WorkflowError("stage")
    if get_reward(session, report) is not None:
        raise WorkflowError("exists")
    if exclusions.any():
        raise WorkflowError("excluded")
    schedule = get_reward_schedule(session)
    if case_value is not None and case_value > 0:
        amount = quote_reward(case_value, schedule, insider=report.is_insider)
    elif fixed_amount is not None and schedule.fixed_min <= fixed_amount <= schedule.fixed_max:
        # No computable amount: a fixed sum in the configured range (default 200–1,000).
        amount = fixed_amount.quantize(FEN)
    else:
        raise WorkflowError("amount")
    reward = Reward(
        report_id=report.id,
        case_value=case_value,
        insider=report.is_insider,
        amount=amount,
        proposed_by_id=actor.id,
    )
    session.add(reward)
    _event(session, report, "reward_proposed", actor, public=False, note=note, cipher=cipher)
    return reward


def approve_reward(
    session: Session, report: Report, *, actor: StaffUser, cipher: DataCipher
) -> Reward:
    """Approve a proposed reward (a different person) and notify the reporter; claim in 2 months."""
    reward = _pending(session, report, actor)
    reward.status = RewardStatus.APPROVED
    reward.decided_by_id = actor.id
    reward.notified_at = utcnow()
    reward.claim_due_on = add_months(
        today_in_china(), int(current_app.config["REWARD_CLAIM_MONTHS"])
    )
    report.due_on = None  # the notice deadline is met
    _event(session, report, "reward_offered", actor, public=True)
    return reward


def refuse_reward(
    session: Session, report: Report, *, actor: StaffUser, reason: str, cipher: DataCipher
) -> Reward:
    """Refuse a proposed reward with a reason."""
    reward = _pending(session, report, actor)
    if not reason.strip():
        raise WorkflowError("reason")
    reward.status = RewardStatus.REFUSED
    reward.decided_by_id = actor.id
    _event(session, report, "reward_refused", actor, public=False, note=reason, cipher=cipher)
    return reward


def _require_jurisdiction(report: Report, actor: StaffUser) -> None:
    # Jurisdiction first: a report of another office must look exactly like a missing one.
    if not in_jurisdiction(actor, report.region):
        raise WorkflowError("not_found")


def _pending(session: Session, report: Report, actor: StaffUser) -> Reward:
    _require_jurisdiction(report, actor)
    if not actor.has_role("approver"):
        raise WorkflowError("role")
    reward = get_reward(session, report)
    if reward is None or reward.status is not RewardStatus.PROPOSED:
        raise WorkflowError("stage")
    if reward.proposed_by_id == actor.id:
        # Two different people: who proposes a reward cannot approve it (issue 3 §5).
        raise WorkflowError("same_person")
    return reward


def _reporter_event(session: Session, report: Report, kind: str, actor_kind: ActorKind) -> None:
    report.events.append(
        ReportEvent(
            kind=kind,
            stage_after=report.stage,
            actor_kind=actor_kind,
            is_public=True,
            created_at=utcnow(),
        )
    )
    session.flush()
    audit.record(
        session, f"report.{kind}", actor=actor_kind.value, subject=f"report:{report.case_number}"
    )


def claim_reward(
    session: Session, report: Report, *, identity: ReporterIdentity | None, today: date
) -> Reward:
    """Claim an approved reward from /track; an anonymous reporter gives a real identity now.

    The identity is sealed for the custodians of the report's jurisdiction and the recovery
    key, like a real-name report's (domain.md §2: revealed only to the reward office).
    """
    reward = get_reward(session, report)
    if reward is None or reward.status is not RewardStatus.APPROVED:
        raise WorkflowError("stage")
    assert reward.claim_due_on is not None
    if today > reward.claim_due_on:
        raise WorkflowError("lapsed")
    if report.identity_mode is IdentityMode.ANONYMOUS:
        if identity is None:
            raise WorkflowError("identity")
        seal_identity(session, report, identity, purpose="reward")
    reward.status = RewardStatus.CLAIMED
    reward.claimed_at = utcnow()
    _reporter_event(session, report, "reward_claimed", ActorKind.REPORTER)
    log.info("report %s: reward claimed", report.case_number)
    return reward


def record_payment(
    session: Session, report: Report, *, actor: StaffUser, reference: str, cipher: DataCipher
) -> Reward:
    """Record the non-cash payment of a claimed reward."""
    _require_jurisdiction(report, actor)
    if not actor.has_role("reward_officer"):
        raise WorkflowError("role")
    reward = get_reward(session, report)
    if reward is None or reward.status is not RewardStatus.CLAIMED:
        raise WorkflowError("stage")
    if not reference.strip():
        raise WorkflowError("reason")
    reward.status = RewardStatus.PAID
    reward.paid_at = utcnow()
    reward.payment_ref_enc = cipher.encrypt_text(
        reference.strip(), report_context(report.case_number, "reward:payment")
    )
    _event(session, report, "reward_paid", actor, public=True)
    return reward


def lapse_unclaimed(session: Session, today: date) -> int:
    """Mark approved rewards not claimed in time as lapsed (视为放弃); return how many."""
    due = session.scalars(
        select(Reward).where(Reward.status == RewardStatus.APPROVED, Reward.claim_due_on < today)
    ).all()
    for reward in due:
        reward.status = RewardStatus.LAPSED
        _reporter_event(session, reward.report, "reward_lapsed", ActorKind.SYSTEM)
    return len(due)
