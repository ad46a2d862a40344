"""The work queue: reports of the user's jurisdiction, nearest deadline first, and among
those due the same day the ones to check first (docs/domain.md §12)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from intake.models import Report, ReportViolation, Stage
from intake.office.workflow import ACTIVE, CASE_STAFF, TRANSITIONS
from intake.opinions.queries import OPINION_ROLES, opinions_overdue_count
from intake.review.queries import review_due_dates, review_due_on_column, reviews_due_clause
from intake.rewards.models import Reward, RewardStatus
from intake.transfers.queries import FOLLOW_UP_ROLES, transfer_due_clause
from portal.accounts.models import StaffUser
from portal.institutions.search import institutions_matching, search_key
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids

# Who answers reviews and who follows transfers up: only they are counted what awaits them
# there, as the staff digest counts it (intake/digest).
REVIEW_ROLES = TRANSITIONS["uphold_review"].roles
# Who is shown the counts of reward work on the queue's page.
REWARD_COUNT_ROLES = ("approver", "reward_officer")

PER_PAGE = 25
# The active stages in a fixed order (the order of the stage list), for SQL literals.
ACTIVE_STAGES = [stage for stage in Stage if stage in ACTIVE]
# Who works from the queue: case staff and reward officers (docs/domain.md §1).
QUEUE_ROLES = tuple(sorted(CASE_STAFF | {"reward_officer"}))
# The violation filter's value for reports that name no legal type yet: the reporter was not
# sure, and case staff are to classify them (docs/domain.md §2).
TO_BE_CLASSIFIED = "unclassified"


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to; every field is optional."""

    stage: Stage | None = None
    region: Region | None = None
    violation: str | None = None
    # An institution's name, former name or code, or the party as typed (docs/domain.md §8).
    party: str = ""
    mine: bool = False
    due_soon: bool = False
    overdue: bool = False
    # One of REWARD_QUEUES: reports whose reward awaits a proposal, an approval, a payment.
    reward: str | None = None
    # Transfers out with no outcome TRANSFER_OUTCOME_DAYS after they were sent (§12).
    transfers_due: bool = False
    # Reports whose review awaits an answer from the user's office or below (docs/domain.md
    # §11), in any stage (a reviewed report is often closed), nearest answer deadline first.
    review: bool = False


@dataclass
class QueuePage:
    """One page of the queue with the totals the page shows."""

    reports: list[Report]
    total: int
    page: int
    pages: int
    # Counted for the active stages only: the finished ones grow with history.
    stage_counts: dict[Stage, int] = field(default_factory=dict)
    overdue_count: int = 0
    due_soon_count: int = 0
    notices: list[Report] = field(default_factory=list)
    reward_counts: dict[str, int] = field(default_factory=dict)
    transfers_due_count: int = 0
    reviews_due_count: int = 0
    # The answer deadline of each listed report's pending review, by report id.
    review_due: dict[int, date] = field(default_factory=dict)
    # The listed reports whose review is past its answer deadline.
    review_overdue: frozenset[int] = frozenset()
    # Supervisors' opinions to the user's office or below past their reply deadline (§14).
    opinions_overdue_count: int = 0


def list_queue(
    session: Session,
    user: StaffUser,
    filters: QueueFilters,
    *,
    today: date,
    due_soon_days: int,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> QueuePage:
    """Return the reports `user` may act on, filtered, sorted by nearest deadline, paginated."""
    region_ids = subtree_ids(session, (filters.region or user.region).id)
    if filters.region is not None and user.region_id not in {
        r.id for r in filters.region.ancestors_and_self()
    }:
        region_ids = []  # a region outside the user's jurisdiction shows nothing
    base: list[ColumnElement[bool]] = [Report.region_id.in_(region_ids)]
    counts = _active_counts(session, base, today, due_soon_days)
    where = base + _filter_clauses(user, filters, region_ids, today, due_soon_days)
    total = _counted_total(filters, counts)
    if total is None:
        total = session.scalar(select(func.count()).select_from(Report).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    # Among reports due the same day, real-name, media and department reports come first
    # (docs/domain.md §12); both indexes of the queue hold `priority` right after `due_on`.
    order: tuple[Any, ...] = (
        Report.due_on.is_(None),
        Report.due_on,
        Report.priority.desc(),
        Report.received_at,
        Report.id,
    )
    if filters.review:
        order = (review_due_on_column(), Report.id)
    # The page's ids are sorted out of an index alone (ix_reports_active_due, or
    # ix_reports_region_stage_party for other stages and searches), whatever share of the
    # reports match; only the page's rows are then read (bench/README.md).
    ids = list(
        session.scalars(
            select(Report.id)
            .where(*where)
            .order_by(*order)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    reports = list(
        session.scalars(
            select(Report)
            .where(Report.id.in_(ids))
            .options(
                selectinload(Report.violations),
                selectinload(Report.region),
                selectinload(Report.institution),
            )
            .order_by(*order)
        )
    )
    notices = list(
        session.scalars(
            select(Report)
            .where(*base, Report.notice_owed)
            .order_by(Report.notice_due_on, Report.id)
            .limit(50)
        )
    )
    review_due = review_due_dates(session, [r.id for r in reports])

    def _count(clause: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).select_from(Report).where(*base, clause)) or 0

    return QueuePage(
        reports=reports,
        total=total,
        page=page,
        pages=pages,
        stage_counts={stage: counts.get(stage, (0, 0, 0))[0] for stage in ACTIVE_STAGES},
        overdue_count=sum(overdue for _, overdue, _ in counts.values()),
        due_soon_count=sum(soon for _, _, soon in counts.values()),
        notices=notices,
        reviews_due_count=(
            _count(reviews_due_clause(region_ids)) if user.has_role(*REVIEW_ROLES) else 0
        ),
        review_due=review_due,
        review_overdue=frozenset(i for i, due in review_due.items() if due < today),
        # Counted only for those who act on rewards, the only ones shown the counts.
        reward_counts=(
            {name: _count(clause()) for name, clause in REWARD_QUEUES.items()}
            if user.has_role(*REWARD_COUNT_ROLES)
            else {}
        ),
        transfers_due_count=(
            _count(transfer_due_clause(today)) if user.has_role(*FOLLOW_UP_ROLES) else 0
        ),
        # Counted only for those who answer opinions, as the digest counts it.
        opinions_overdue_count=(
            opinions_overdue_count(session, user, today) if user.has_role(*OPINION_ROLES) else 0
        ),
    )


def _filter_clauses(
    user: StaffUser,
    filters: QueueFilters,
    region_ids: list[int],
    today: date,
    due_soon_days: int,
) -> list[ColumnElement[bool]]:
    """Return the conditions `filters` add to the user's jurisdiction."""
    where: list[ColumnElement[bool]] = []
    if filters.transfers_due:
        # Transferred reports have left the active stages: this filter reaches them.
        where.append(transfer_due_clause(today))
    elif filters.stage is not None:
        where.append(stage_clause(filters.stage))
    elif not filters.review:
        where.append(active_clause())
    if filters.review:
        where.append(reviews_due_clause(region_ids))
    if filters.violation == TO_BE_CLASSIFIED:
        where.append(~Report.violations.any())
    elif filters.violation:
        where.append(
            Report.id.in_(
                select(ReportViolation.report_id).where(ReportViolation.code == filters.violation)
            )
        )
    if filters.mine:
        where.append(Report.assignee_id == user.id)
    # Within the active stages already, the deadline alone is added: the stages written
    # twice made PostgreSQL expect a hundredth of the rows and pick the wrong index.
    within_active = (
        filters.stage in ACTIVE
        if filters.stage is not None
        else not (filters.transfers_due or filters.review)
    )
    soon = today + timedelta(days=due_soon_days)
    if filters.overdue:
        where.append(Report.due_on < today if within_active else overdue_clause(today))
    if filters.due_soon:
        where.append(
            and_(Report.due_on >= today, Report.due_on <= soon)
            if within_active
            else due_soon_clause(today, due_soon_days)
        )
    if filters.party:
        where.append(party_clause(filters.party))
    if filters.reward in REWARD_QUEUES:
        where.append(REWARD_QUEUES[filters.reward]())
    return where


# Per active stage: its reports, those overdue and those due soon.
ActiveCounts = dict[Stage, tuple[int, int, int]]


def _active_counts(
    session: Session, base: list[ColumnElement[bool]], today: date, due_soon_days: int
) -> ActiveCounts:
    """Count the active reports of `base` per stage, overdue and due soon, in one pass.

    One index-only scan of `ix_reports_active_due`: what it reads grows with the reports
    still open, never with the closed, declined and transferred ones (bench/README.md).
    """
    soon = today + timedelta(days=due_soon_days)
    rows = session.execute(
        select(
            Report.stage,
            func.count(),
            func.count().filter(Report.due_on < today),
            func.count().filter(and_(Report.due_on >= today, Report.due_on <= soon)),
        )
        .where(*base, active_clause())
        .group_by(Report.stage)
    )
    return {Stage(stage): (n, overdue, due) for stage, n, overdue, due in rows}


def _counted_total(filters: QueueFilters, counts: ActiveCounts) -> int | None:
    """Return how many reports `filters` match when the active counts already say it, else None.

    They do for the queue as it opens and for its links per stage, overdue and due soon.
    """
    if replace(filters, stage=None, region=None, overdue=False, due_soon=False) != QueueFilters():
        return None
    if filters.overdue and filters.due_soon:
        return None
    if filters.stage is not None and filters.stage not in ACTIVE:
        return None
    column = 1 if filters.overdue else 2 if filters.due_soon else 0
    stages = [filters.stage] if filters.stage is not None else list(counts)
    return sum(counts.get(stage, (0, 0, 0))[column] for stage in stages)


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


def due_state(report: Report, today: date, due_soon_days: int) -> str:
    """Return "overdue", "due_soon", "ok" or "none" for a report's current deadline."""
    if report.due_on is None or report.stage not in ACTIVE:
        return "none"
    if report.due_on < today:
        return "overdue"
    if report.due_on <= today + timedelta(days=due_soon_days):
        return "due_soon"
    return "ok"
