"""The work queue: reports of the user's jurisdiction, nearest deadline first, and among
those due the same day the ones to check first (docs/domain.md §12)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    column,
    func,
    select,
    true,
    values,
)
from sqlalchemy.orm import Session, selectinload

from intake.models import Report, ReportViolation, Stage
from intake.office.queue_clauses import (
    ACTIVE_STAGES,
    REWARD_QUEUES,
    active_clause,
    due_soon_clause,
    overdue_clause,
    party_clause,
    stage_clause,
)
from intake.office.workflow import ACTIVE, CASE_STAFF, TRANSITIONS
from intake.opinions.queries import OPINION_ROLES, opinions_overdue_count
from intake.review.queries import review_due_dates, review_due_on_column, reviews_due_clause
from intake.transfers.queries import FOLLOW_UP_ROLES, transfer_due_clause
from portal.accounts.models import StaffUser
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids

# Who answers reviews and who follows transfers up: only they are counted what awaits them
# there, as the staff digest counts it (intake/digest).
REVIEW_ROLES = TRANSITIONS["uphold_review"].roles
# Who is shown the counts of reward work on the queue's page.
REWARD_COUNT_ROLES = ("approver", "reward_officer")

PER_PAGE = 25
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
    narrowed = _filter_clauses(user, filters, region_ids, today, due_soon_days)
    where = base + narrowed
    total = _counted_total(filters, counts)
    if total is None:
        total = session.scalar(select(func.count()).select_from(Report).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    # Among reports due the same day, real-name, media and department reports come first
    # (docs/domain.md §12); both indexes of the queue hold `priority` right after `due_on`.
    # No deadline last. Written as a key of its own, not NULLS LAST: an order the queue's
    # index holds made PostgreSQL walk it whole in deadline order for a search's few matches
    # (272 ms at 200,000 reports instead of 6); the merged page says NULLS LAST itself.
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
    stages = _merged_stages(session, filters, region_ids)
    if stages:
        ids = _merged_page_ids(session, narrowed, region_ids, stages, page, per_page)
    else:
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


# Above this many (region, stage) pairs, one sort of the matching ids is cheaper.
MERGED_PARTS = 200


def _merged_stages(session: Session, filters: QueueFilters, region_ids: list[int]) -> list[Stage]:
    """Return the stages to read a page from region by region and stage by stage, or []
    when the page is read in one sort (see `_merged_page_ids`; PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    if replace(filters, stage=None, region=None, overdue=False, due_soon=False) != QueueFilters():
        return []
    if filters.stage is not None and filters.stage not in ACTIVE:
        return []
    stages = [filters.stage] if filters.stage is not None else ACTIVE_STAGES
    return stages if 0 < len(region_ids) * len(stages) <= MERGED_PARTS else []


def _merged_page_ids(
    session: Session,
    narrowed: list[ColumnElement[bool]],
    region_ids: list[int],
    stages: list[Stage],
    page: int,
    per_page: int,
) -> list[int]:
    """Return a page's ids merged from the first ones of each region and stage.

    `narrowed`: the filters' conditions without the jurisdiction's list of regions, which
    the parts name one by one (the list beside it made the planner expect a few rows and
    sort each part whole).

    Within one region and stage `ix_reports_active_due` already holds the reports in
    deadline order, so each part (a LATERAL subquery, planned once) reads only the page's
    depth of index entries, where one sort of the jurisdiction's ids read every match:
    41,900 overdue reports of the bench's city at 2,000,000, 25 → 5 ms (bench/README.md).
    """
    depth = page * per_page
    keys = values(column("region_id", Integer), column("stage", String), name="keys").data(
        [(region_id, stage.value) for region_id in region_ids for stage in stages]
    )
    part = (
        select(Report.id, Report.due_on, Report.priority, Report.received_at)
        .where(*narrowed, Report.region_id == keys.c.region_id, Report.stage == keys.c.stage)
        .order_by(
            Report.due_on.asc().nulls_last(),
            Report.priority.desc(),
            Report.received_at,
            Report.id,
        )
        .limit(depth)
        .lateral("part")
    )
    return list(
        session.scalars(
            select(part.c.id)
            .select_from(keys)
            .join(part, true())
            .order_by(
                part.c.due_on.asc().nulls_last(),
                part.c.priority.desc(),
                part.c.received_at,
                part.c.id,
            )
            .limit(per_page)
            .offset(depth - per_page)
        )
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


def due_state(report: Report, today: date, due_soon_days: int) -> str:
    """Return "overdue", "due_soon", "ok" or "none" for a report's current deadline."""
    if report.due_on is None or report.stage not in ACTIVE:
        return "none"
    if report.due_on < today:
        return "overdue"
    if report.due_on <= today + timedelta(days=due_soon_days):
        return "due_soon"
    return "ok"
