"""The office and a pending reward (docs/domain.md §4): 办结 waits for the reward decision, and a
reward awaiting approval is listed in the approver's queue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.models import Stage
from intake.office import handling
from intake.office.workflow import WorkflowError, allowed_operations
from intake.rewards.lifecycle import Exclusions, approve_reward, propose_reward, refuse_reward
from portal.security import data_cipher


def _propose(db: Session, s: dict[str, Any]) -> None:
    propose_reward(
        db,
        s["report"],
        actor=s["reward"],
        case_value=Decimal("1500000"),
        fixed_amount=None,
        exclusions=Exclusions(False, False, False),
        note="",
        cipher=data_cipher(),
    )
    db.commit()


def _close(db: Session, s: dict[str, Any], who: str, reason: str = "") -> None:
    handling.close_report(db, s["report"], actor=s[who], reason=reason, cipher=data_cipher())


def test_the_reward_officer_is_not_offered_closing_before_a_proposal(
    at_reward: dict[str, Any],
) -> None:
    assert "close" not in allowed_operations(at_reward["report"], at_reward["reward"])


def test_closing_before_a_proposal_is_refused_to_the_reward_officer(
    db: Session, at_reward: dict[str, Any]
) -> None:
    with pytest.raises(WorkflowError, match="reward_not_proposed"):
        _close(db, at_reward, "reward", reason="无")


def test_an_approver_may_close_without_a_reward_only_with_the_reason(
    db: Session, at_reward: dict[str, Any]
) -> None:
    with pytest.raises(WorkflowError, match="reason"):
        _close(db, at_reward, "approver")
    _close(db, at_reward, "approver", reason="举报人系本部门工作人员，不予奖励")
    assert at_reward["report"].stage is Stage.CLOSED


@pytest.mark.parametrize("who", ["approver", "reward"])
def test_nobody_is_offered_closing_while_a_reward_awaits_approval(
    db: Session, at_reward: dict[str, Any], who: str
) -> None:
    _propose(db, at_reward)
    assert "close" not in allowed_operations(at_reward["report"], at_reward[who])
    with pytest.raises(WorkflowError, match="reward_pending"):
        _close(db, at_reward, who, reason="先办结")


def test_an_offered_reward_not_yet_claimed_keeps_the_report_open(
    db: Session, at_reward: dict[str, Any]
) -> None:
    _propose(db, at_reward)
    approve_reward(db, at_reward["report"], actor=at_reward["approver"])
    assert "close" not in allowed_operations(at_reward["report"], at_reward["approver"])


def test_a_refused_reward_lets_the_report_close(db: Session, at_reward: dict[str, Any]) -> None:
    _propose(db, at_reward)
    refuse_reward(
        db,
        at_reward["report"],
        actor=at_reward["approver"],
        reason="线索已掌握",
        cipher=data_cipher(),
    )
    assert "close" in allowed_operations(at_reward["report"], at_reward["reward"])
    _close(db, at_reward, "reward")
    assert at_reward["report"].stage is Stage.CLOSED


def test_the_refusal_to_close_is_worded_for_the_officer(
    db: Session, at_reward: dict[str, Any], login_as: Any
) -> None:
    _propose(db, at_reward)
    report = at_reward["report"]
    response = login_as(at_reward["approver"]).post(
        f"/staff/reports/{report.case_number}/op/close",
        data={"close-reason": "", "close-version": str(report.version)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "奖励尚未了结" in page.split('id="operation-error"')[1]


def test_the_approvers_queue_counts_rewards_awaiting_approval(
    db: Session, at_reward: dict[str, Any], login_as: Any
) -> None:
    _propose(db, at_reward)
    page = login_as(at_reward["approver"]).get("/staff/").get_data(as_text=True)
    awaiting = page.split('id="reward-proposed"')[1].split("</li>")[0]
    assert "奖励待审批" in awaiting and "<strong>1</strong>" in awaiting


def test_the_queue_lists_only_rewards_awaiting_approval_when_asked(
    db: Session, at_reward: dict[str, Any], make_report: Any, login_as: Any
) -> None:
    _propose(db, at_reward)
    other, _ = make_report()
    page = login_as(at_reward["approver"]).get("/staff/?reward=proposed").get_data(as_text=True)
    assert at_reward["report"].case_number in page and other.case_number not in page


def test_a_reward_to_propose_is_counted_for_the_reward_officer(
    at_reward: dict[str, Any], login_as: Any
) -> None:
    page = login_as(at_reward["reward"]).get("/staff/").get_data(as_text=True)
    assert "<strong>1</strong>" in page.split('id="reward-to_propose"')[1].split("</li>")[0]


def test_reward_counts_are_not_shown_to_an_intake_officer(
    at_reward: dict[str, Any], login_as: Any
) -> None:
    page = login_as(at_reward["intake"]).get("/staff/").get_data(as_text=True)
    assert 'id="reward-counts"' not in page
