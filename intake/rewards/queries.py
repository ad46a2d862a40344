"""Reading a report's reward: whether one exists and whether it is settled."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report
from intake.rewards.models import Reward, RewardStatus

# A reward in one of these states needs nothing more from anyone.
SETTLED = frozenset({RewardStatus.PAID, RewardStatus.LAPSED, RewardStatus.REFUSED})


def get_reward(session: Session, report: Report) -> Reward | None:
    """Return the reward of `report`, if one was proposed."""
    return session.scalar(select(Reward).where(Reward.report_id == report.id))


def reward_settled(session: Session, report: Report) -> bool:
    """Return whether the report's reward was paid, lapsed or refused."""
    reward = get_reward(session, report)
    return reward is not None and reward.status in SETTLED
