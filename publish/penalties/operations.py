"""Publishing penalty decisions on the public list (处理结果公示) and recording credit repairs (信用修复).

Both hold themselves to `PENALTY_STEPS` (intake/penalties/lifecycle.py): a second person
publishes — a publisher or an approver, never whoever recorded the decision — and a
publisher or an approver records a credit repair that ends a listing early. Each records
an audit entry and flushes; the request or command commits. docs/domain.md §9.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from intake.penalties.lifecycle import PenaltyError, check_step
from intake.penalties.models import Penalty
from intake.penalties.operations import audit_step
from portal.accounts.models import StaffUser
from portal.db import utcnow
from portal.timeutil import today_in_china


def publicity_days(penalty: Penalty, *, days: int, serious_days: int) -> int:
    """Return how many days `penalty` stays on the public list (docs/domain.md §9).

    The longer period applies to a terminated service agreement and to a serious-dishonesty
    listing (严重失信), as provincial credit rules set; every other decision gets the default.
    """
    return serious_days if penalty.terminates_agreement or penalty.serious_dishonesty else days


def public_until(penalty: Penalty, *, days: int, serious_days: int) -> date:
    """Return the last day `penalty` is on the public list.

    The period counts from the decision date, the day included, as the national rules on
    the publicity of administrative penalties count it: a decision published late does not
    stay public longer than one published at once (docs/domain.md §9).
    """
    period = publicity_days(penalty, days=days, serious_days=serious_days)
    return penalty.decided_on + timedelta(days=period - 1)


def _configured_until(penalty: Penalty) -> date:
    config = current_app.config
    return public_until(
        penalty,
        days=int(config["PENALTY_PUBLIC_DAYS"]),
        serious_days=int(config["PENALTY_PUBLIC_DAYS_SERIOUS"]),
    )


def publish_penalty(session: Session, penalty: Penalty, *, actor: StaffUser) -> None:
    """Publish a recorded decision for its publicity period: a second person, never its recorder."""
    today = today_in_china()
    step = check_step("publish", penalty, actor, today)
    until = _configured_until(penalty)
    if until < today:
        raise PenaltyError("penalty_period_over", until=until)
    penalty.status = step.target
    penalty.published_by_id = actor.id
    penalty.published_at = utcnow()
    penalty.public_until = until
    audit_step(session, "published", penalty, actor, public_until=until.isoformat())


def repair_credit(session: Session, penalty: Penalty, *, reason: str, actor: StaffUser) -> None:
    """Record a credit repair: the entry leaves the public list today; staff keep the record."""
    today = today_in_china()
    check_step("repair", penalty, actor, today)
    if not reason.strip():
        raise PenaltyError("reason")
    penalty.repaired_on = today
    penalty.repair_reason = reason.strip()
    penalty.repaired_by_id = actor.id
    audit_step(session, "credit_repaired", penalty, actor)
