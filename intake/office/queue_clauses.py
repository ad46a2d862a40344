"""The conditions the work queue and the staff digest count and filter reports by.

Stages are written into the SQL as literals (`active_clause`), so PostgreSQL can prove a
query's rows lie within the queue's partial index `ix_reports_active_due`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, false, func, or_, select
from sqlalchemy.orm import Session

from intake.models import Report, Stage
from intake.office.workflow import ACTIVE
from intake.rewards.models import Reward, RewardStatus
from portal.accounts.models import StaffUser
from portal.institutions.search import institutions_matching, search_key
from portal.jurisdictions.tree import subtree_ids

# The active stages in a fixed order (the order of the stage list), for SQL literals.
ACTIVE_STAGES = [stage for stage in Stage if stage in ACTIVE]


def active_clause() -> ColumnElement[bool]:
    """Return the condition of reports in an active stage, as the queue's index is defined.

    The stages are written into the SQL as literals, not parameters: PostgreSQL uses the
    partial index `ix_reports_active_due` only when it can prove from the statement itself
    that the query's rows lie within the index's predicate, and a prepared statement's
    generic plan knows no parameter's value.
    """
    return Report.stage.in_(
        bindparam("active_stages", ACTIVE_STAGES, expanding=True, unique=True, literal_execute=True)
    )


def stage_clause(stage: Stage) -> ColumnElement[bool]:
    """Return the condition of reports in `stage`, a literal for the reason `active_clause` says."""
    return Report.stage == bindparam("stage", stage, unique=True, literal_execute=True)


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Return the condition of active reports whose running deadline has passed."""
    return and_(active_clause(), Report.due_on < today)


def due_soon_clause(today: date, due_soon_days: int) -> ColumnElement[bool]:
    """Return the condition of active reports due today or within `due_soon_days` days."""
    soon = today + timedelta(days=due_soon_days)
    return and_(active_clause(), Report.due_on >= today, Report.due_on <= soon)


def count_in_queue(session: Session, user: StaffUser, clause: ColumnElement[bool]) -> int:
    """Return how many reports of the user's node and below meet `clause`, as the queue counts."""
    region_ids = subtree_ids(session, user.region_id)
    query = select(func.count()).select_from(Report).where(Report.region_id.in_(region_ids), clause)
    return session.scalar(query) or 0


def _reward_in(status: RewardStatus) -> ColumnElement[bool]:
    return and_(
        stage_clause(Stage.REWARD),
        Report.id.in_(select(Reward.report_id).where(Reward.status == status)),
    )


# The reward work of the reward stage, by who acts next (docs/domain.md §4): the reward
# officer proposes, an approver approves, the reward officer records the payment.
REWARD_QUEUES: dict[str, Callable[[], ColumnElement[bool]]] = {
    "to_propose": lambda: and_(
        stage_clause(Stage.REWARD), Report.id.not_in(select(Reward.report_id))
    ),
    "proposed": lambda: _reward_in(RewardStatus.PROPOSED),
    "claimed": lambda: _reward_in(RewardStatus.CLAIMED),
}


def party_clause(text: str) -> ColumnElement[bool]:
    """Return the condition of reports about the party `text` names: linked to an institution
    it matches, or whose party as typed contains it (both folded alike, docs/domain.md §8)."""
    institutions = institutions_matching(text)
    if institutions is None:
        return false()
    return or_(
        Report.institution_id.in_(institutions),
        Report.party_key.contains(search_key(text), autoescape=True),
    )
