"""A reward's life: proposal, approval by another person, claim, payment, lapse (docs/domain.md §4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.identity.models import IdentitySeal
from intake.models import Stage
from intake.office import acceptance, handling
from intake.office import workflow as wf
from intake.rewards.lifecycle import (
    Exclusions,
    add_months,
    approve_reward,
    claim_reward,
    propose_reward,
    record_payment,
)
from intake.rewards.models import RewardStatus
from intake.timers import run_deadlines
from portal.security import data_cipher
from portal.timeutil import today_in_china

NONE_APPLY = Exclusions(False, False, False)


def _propose(db: Session, s: dict[str, Any], **kw: Any) -> Any:
    args = {
        "case_value": Decimal("1500000"),
        "fixed_amount": None,
        "exclusions": NONE_APPLY,
        "note": "",
    }
    args.update(kw)
    return propose_reward(db, s["report"], actor=s["reward"], cipher=data_cipher(), **args)


def test_the_proposal_follows_the_schedule(db: Session, at_reward: dict[str, Any]) -> None:
    assert _propose(db, at_reward).amount == Decimal("20500.00")


def test_a_fixed_sum_must_lie_in_the_configured_range(
    db: Session, at_reward: dict[str, Any]
) -> None:
    with pytest.raises(wf.WorkflowError, match="amount"):
        _propose(db, at_reward, case_value=None, fixed_amount=Decimal("5000"))


def test_an_exclusion_prevents_a_proposal(db: Session, at_reward: dict[str, Any]) -> None:
    with pytest.raises(wf.WorkflowError, match="excluded"):
        _propose(db, at_reward, exclusions=Exclusions(True, False, False))


def test_the_proposer_cannot_approve(
    db: Session, at_reward: dict[str, Any], make_staff: Any
) -> None:
    both = make_staff("reward_officer", "approver")
    propose_reward(
        db,
        at_reward["report"],
        actor=both,
        case_value=Decimal("1000"),
        fixed_amount=None,
        exclusions=NONE_APPLY,
        note="",
        cipher=data_cipher(),
    )
    with pytest.raises(wf.WorkflowError, match="same_person"):
        approve_reward(db, at_reward["report"], actor=both)


def test_approval_gives_two_months_to_claim(db: Session, at_reward: dict[str, Any]) -> None:
    _propose(db, at_reward)
    reward = approve_reward(db, at_reward["report"], actor=at_reward["approver"])
    assert reward.claim_due_on == add_months(today_in_china(), 2)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 3, 15), 2, date(2026, 5, 15)),
    ],
)
def test_months_are_added_on_the_calendar(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end


def test_a_later_duplicate_gets_no_reward(
    db: Session, at_reward: dict[str, Any], make_report: Any
) -> None:
    later, _ = make_report(wants_reward=True)
    acceptance.merge_reports(
        db,
        later,
        at_reward["report"],
        actor=at_reward["intake"],
        reason="同一线索",
        cipher=data_cipher(),
    )
    assert later.merged_into_id == at_reward["report"].id
    assert not wf.reward_possible(later)


def test_an_anonymous_reporter_claims_by_giving_an_identity_that_is_sealed(
    db: Session, at_reward: dict[str, Any], identity: Any, recovery_private_key: bytes
) -> None:
    _propose(db, at_reward)
    approve_reward(db, at_reward["report"], actor=at_reward["approver"])
    reward = claim_reward(db, at_reward["report"], identity=identity, today=today_in_china())
    assert reward.status is RewardStatus.CLAIMED
    seal = db.scalar(select(IdentitySeal).where(IdentitySeal.report_id == at_reward["report"].id))
    assert seal.purpose == "reward" and identity.id_number.encode() not in seal.ciphertext


def test_an_anonymous_claim_without_identity_is_refused(
    db: Session, at_reward: dict[str, Any]
) -> None:
    _propose(db, at_reward)
    approve_reward(db, at_reward["report"], actor=at_reward["approver"])
    with pytest.raises(wf.WorkflowError, match="identity"):
        claim_reward(db, at_reward["report"], identity=None, today=today_in_china())


def test_an_unclaimed_reward_lapses_after_two_months(
    db: Session, at_reward: dict[str, Any]
) -> None:
    _propose(db, at_reward)
    reward = approve_reward(db, at_reward["report"], actor=at_reward["approver"])
    assert run_deadlines(db, reward.claim_due_on).lapsed_rewards == 0
    assert run_deadlines(db, reward.claim_due_on + timedelta(days=1)).lapsed_rewards == 1
    assert run_deadlines(db, reward.claim_due_on + timedelta(days=2)).lapsed_rewards == 0
    assert reward.status is RewardStatus.LAPSED


def test_a_claim_after_the_deadline_is_refused(
    db: Session, at_reward: dict[str, Any], identity: Any, recovery_private_key: bytes
) -> None:
    _propose(db, at_reward)
    reward = approve_reward(db, at_reward["report"], actor=at_reward["approver"])
    with pytest.raises(wf.WorkflowError, match="lapsed"):
        claim_reward(
            db,
            at_reward["report"],
            identity=identity,
            today=reward.claim_due_on + timedelta(days=1),
        )


def test_payment_is_recorded_and_the_report_can_close(
    db: Session, at_reward: dict[str, Any], identity: Any, recovery_private_key: bytes
) -> None:
    _propose(db, at_reward)
    approve_reward(db, at_reward["report"], actor=at_reward["approver"])
    claim_reward(db, at_reward["report"], identity=identity, today=today_in_china())
    reward = record_payment(
        db,
        at_reward["report"],
        actor=at_reward["reward"],
        reference="TRX-2026-001",
        cipher=data_cipher(),
    )
    assert reward.status is RewardStatus.PAID
    handling.close_report(
        db, at_reward["report"], actor=at_reward["approver"], reason="", cipher=data_cipher()
    )
    assert at_reward["report"].stage is Stage.CLOSED


def test_closing_with_an_open_reward_needs_a_reason(db: Session, at_reward: dict[str, Any]) -> None:
    with pytest.raises(wf.WorkflowError, match="reason"):
        handling.close_report(
            db, at_reward["report"], actor=at_reward["approver"], reason="", cipher=data_cipher()
        )
