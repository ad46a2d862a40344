"""A reward's life (docs/domain.md §4): one table of steps, one function each.

`REWARD_STEPS` says from which state each step may start, where it leads and who takes
it: a reward officer proposes, a *different* approver approves or refuses, the reporter
claims within two months on /track, a reward officer records the payment, and the
daily run lapses what was not claimed. The checks and the report page's buttons both
read the table.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.report_deadlines import set_due
from intake.events import append_event
from intake.identity.person import ReporterIdentity
from intake.identity.sealing import seal_identity
from intake.models import ActorKind, IdentityMode, Report, Stage, report_context
from intake.office.workflow import WorkflowError, require_text, reward_possible, staff_event
from intake.rewards.models import Reward, RewardStatus
from intake.rewards.queries import get_reward
from intake.rewards.schedule import FEN, get_reward_schedule, quote_reward
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import today_in_china

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RewardStep:
    """Where a step may start (None: no reward yet), where it leads, who takes it.

    Empty `roles`: the reporter (on /track) or the daily run, never staff.
    """

    sources: frozenset[RewardStatus | None]
    target: RewardStatus
    roles: frozenset[str]


P, A, C = RewardStatus.PROPOSED, RewardStatus.APPROVED, RewardStatus.CLAIMED
REWARD_STEPS: dict[str, RewardStep] = {
    "propose": RewardStep(frozenset({None}), P, frozenset({"reward_officer"})),
    "approve": RewardStep(frozenset({P}), A, frozenset({"approver"})),
    "refuse": RewardStep(frozenset({P}), RewardStatus.REFUSED, frozenset({"approver"})),
    "claim": RewardStep(frozenset({A}), C, frozenset()),
    "pay": RewardStep(frozenset({C}), RewardStatus.PAID, frozenset({"reward_officer"})),
    "lapse": RewardStep(frozenset({A}), RewardStatus.LAPSED, frozenset()),
}

# What the officer reads once a staff step is done: one message per step, beside the
# table, so a new step cannot lack one (a test checks every step staff take).
REWARD_DONE: dict[str, LazyString] = {
    "propose": _l("Reward proposed: it awaits approval by another person, an approver."),
    "approve": _l("Reward approved and offered: the reporter may claim it for two months."),
    "refuse": _l("Reward refused: the reason is recorded."),
    "pay": _l("Payment recorded: the report can now be closed."),
}


def allowed_reward_steps(session: Session, report: Report, user: StaffUser) -> list[str]:
    """Return the steps `user` may take on the report's reward now, in table order."""
    if report.stage is not Stage.REWARD or not in_jurisdiction(user, report.region):
        return []
    reward = get_reward(session, report)
    status = reward.status if reward is not None else None
    return [
        name
        for name, step in REWARD_STEPS.items()
        if step.roles
        and status in step.sources
        and user.has_role(*step.roles)
        and not (name in {"approve", "refuse"} and reward and reward.proposed_by_id == user.id)
    ]


def _check(name: str, session: Session, report: Report, actor: StaffUser | None) -> Reward | None:
    """Hold a step to the table: jurisdiction first, then role, then the reward's state."""
    step = REWARD_STEPS[name]
    if actor is not None:
        # A report of another office must look exactly like a missing one.
        if not in_jurisdiction(actor, report.region):
            raise WorkflowError("not_found")
        if not actor.has_role(*step.roles):
            raise WorkflowError("role")
    reward = get_reward(session, report)
    if (reward.status if reward is not None else None) not in step.sources:
        raise WorkflowError("exists" if name == "propose" else "stage")
    return reward


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Exclusions:
    """The exclusions of docs/domain.md §4, each answered by the reward officer."""

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
    _check("propose", session, report, actor)
    if report.stage is not Stage.REWARD or not reward_possible(report):
        raise WorkflowError("stage")
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
    staff_event(session, report, "reward_proposed", actor, public=False, note=note, cipher=cipher)
    return reward


def _decided(name: str, session: Session, report: Report, actor: StaffUser) -> Reward:
    reward = _check(name, session, report, actor)
    assert reward is not None
    if reward.proposed_by_id == actor.id:
        # Two different people: who proposes a reward cannot approve it (docs/domain.md §4).
        raise WorkflowError("same_person")
    reward.status = REWARD_STEPS[name].target
    reward.decided_by_id = actor.id
    return reward


def approve_reward(session: Session, report: Report, *, actor: StaffUser) -> Reward:
    """Approve a proposed reward and offer it to the reporter, who claims within 2 months."""
    reward = _decided("approve", session, report, actor)
    reward.notified_at = utcnow()
    reward.claim_due_on = add_months(
        today_in_china(), int(current_app.config["REWARD_CLAIM_MONTHS"])
    )
    set_due(report, None)  # the notice deadline is met
    staff_event(session, report, "reward_offered", actor, public=True)
    return reward


def refuse_reward(
    session: Session, report: Report, *, actor: StaffUser, reason: str, cipher: DataCipher
) -> Reward:
    """Refuse a proposed reward with a reason."""
    require_text(reason)
    reward = _decided("refuse", session, report, actor)
    staff_event(session, report, "reward_refused", actor, public=False, note=reason, cipher=cipher)
    return reward


def claim_reward(
    session: Session, report: Report, *, identity: ReporterIdentity | None, today: date
) -> Reward:
    """Claim an approved reward from /track; an anonymous reporter gives a real identity now.

    The identity is sealed for the custodians of the report's jurisdiction and the recovery
    key, like a real-name report's (docs/domain.md §2: revealed only to the reward office).
    """
    reward = get_reward(session, report)
    if reward is None or reward.status not in REWARD_STEPS["claim"].sources:
        raise WorkflowError("no_reward")
    assert reward.claim_due_on is not None
    if today > reward.claim_due_on:
        raise WorkflowError("lapsed")
    if report.identity_mode is IdentityMode.ANONYMOUS:
        if identity is None:
            raise WorkflowError("identity")
        seal_identity(session, report, identity, purpose="reward")
    reward.status = REWARD_STEPS["claim"].target
    reward.claimed_at = utcnow()
    append_event(
        session, report, "reward_claimed", by=ActorKind.REPORTER, public=True, audited=True
    )
    log.info("report %s: reward claimed", report.case_number)
    return reward


def record_payment(
    session: Session, report: Report, *, actor: StaffUser, reference: str, cipher: DataCipher
) -> Reward:
    """Record the non-cash payment of a claimed reward."""
    reward = _check("pay", session, report, actor)
    assert reward is not None
    require_text(reference)
    reward.status = REWARD_STEPS["pay"].target
    reward.paid_at = utcnow()
    reward.payment_ref_enc = cipher.encrypt_text(
        reference.strip(), report_context(report.case_number, "reward:payment")
    )
    staff_event(session, report, "reward_paid", actor, public=True)
    return reward


def lapse_unclaimed(session: Session, today: date) -> int:
    """Mark approved rewards not claimed in time as lapsed (视为放弃); return how many."""
    due = session.scalars(
        select(Reward).where(Reward.status == RewardStatus.APPROVED, Reward.claim_due_on < today)
    ).all()
    for reward in due:
        reward.status = REWARD_STEPS["lapse"].target
        append_event(
            session, reward.report, "reward_lapsed", by=ActorKind.SYSTEM, public=True, audited=True
        )
    session.flush()
    return len(due)
