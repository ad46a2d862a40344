"""What other parts read of ratings and reviews: the report's own, what awaits an office, and
whether a review may be answered by a given person (docs/domain.md §11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, object_session

from intake.models import Report, report_context
from intake.review.deadlines import review_request_last_day
from intake.review.models import Rating, Review, ReviewStatus, Satisfaction
from intake.rewards.models import Reward, RewardStatus
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.jurisdictions.tree import subtree_ids
from portal.timeutil import CHINA
from portal.web import external_url, page_language

# A reward in any of these states rests on the handling as it stands: sending the report
# back for further handling would pull the ground from under it (docs/domain.md §4, §11).
REWARD_IN_PLAY = frozenset(
    {RewardStatus.PROPOSED, RewardStatus.APPROVED, RewardStatus.CLAIMED, RewardStatus.PAID}
)

# The queue filtered to reviews awaiting an answer (intake/office/queue.py): its endpoint
# and query string, for links built elsewhere (the staff digest).
REVIEWS_DUE_ENDPOINT = "office.list_queue_view"
REVIEWS_DUE_ARGS: dict[str, Any] = {"review": "y"}


def get_rating(session: Session, report: Report) -> Rating | None:
    """Return the reporter's rating of the report's handling, if they gave one."""
    return session.scalar(select(Rating).where(Rating.report_id == report.id))


def get_review(session: Session, report: Report) -> Review | None:
    """Return the review asked of the report, if any."""
    return session.scalar(select(Review).where(Review.report_id == report.id))


def feedback_day(report: Report) -> date | None:
    """Return the day in China the feedback was sent, or None before it."""
    if report.feedback_sent_at is None:
        return None
    return report.feedback_sent_at.astimezone(CHINA).date()


def review_offer(report: Report, review: Review | None, today: date, days: int) -> str:
    """Say whether the reporter may ask for a review now: "open", or the code of why not.

    After the feedback, within `days` calendar days of it, once per report, and only when
    the report's region has a level above it (a province's own report has none).
    """
    sent = feedback_day(report)
    if report.merged_into_id is not None:
        return "merged"
    if sent is None:
        return "no_feedback"
    if review is not None:
        return "review_exists"
    if report.region.parent_id is None:
        return "review_none"
    if today > review_request_last_day(sent, days):
        return "review_closed"
    return "open"


def may_answer(user: StaffUser, review: Review) -> bool:
    """Return whether `user` works at the reviewing office or above it (never below)."""
    return any(r.id == user.region_id for r in review.reviewer_region.ancestors_and_self())


def answer_problem(report: Report, user: StaffUser, *, sending_back: bool) -> str | None:
    """Say why `user` may not answer the report's review now, or None (docs/domain.md §11)."""
    session = object_session(report)
    review = get_review(session, report) if session is not None else None
    if review is None or review.status is not ReviewStatus.REQUESTED:
        return "no_review"
    # The report's own office is within the reviewer's jurisdiction check (it holds the
    # report), so the review names the office above and only that office, or one above
    # it, may answer: a handling office never reviews itself.
    if not may_answer(user, review):
        return "review_own_office"
    if sending_back and session is not None:
        status = session.scalar(select(Reward.status).where(Reward.report_id == report.id))
        if status in REWARD_IN_PLAY:
            return "review_reward"
    return None


def reviews_due_clause(region_ids: list[int]) -> ColumnElement[bool]:
    """Return the condition of reports whose review awaits an answer from one of these offices."""
    return Report.id.in_(
        select(Review.report_id).where(
            Review.status == ReviewStatus.REQUESTED, Review.reviewer_region_id.in_(region_ids)
        )
    )


def review_due_on_column() -> ColumnElement[date]:
    """Return the answer deadline of a report's pending review, for sorting the queue by it."""
    return (
        select(func.min(Review.due_on))
        .where(and_(Review.report_id == Report.id, Review.status == ReviewStatus.REQUESTED))
        .scalar_subquery()
    )


def reviews_due_count(session: Session, user: StaffUser) -> int:
    """Return how many reviews await an answer from `user`: an approver of the office or above."""
    if not user.has_role("approver"):
        return 0
    region_ids = subtree_ids(session, user.region_id)
    count = session.scalar(
        select(func.count())
        .select_from(Review)
        .where(Review.status == ReviewStatus.REQUESTED, Review.reviewer_region_id.in_(region_ids))
    )
    return count or 0


def reviews_due_url(*, external: bool = False) -> str:
    """Return the queue filtered to reviews awaiting an answer: its path, or its absolute URL
    under PUBLIC_URL for a message (`external`); needs a request or URL-building context."""
    if external:
        return external_url(REVIEWS_DUE_ENDPOINT, **REVIEWS_DUE_ARGS)
    return url_for(REVIEWS_DUE_ENDPOINT, **REVIEWS_DUE_ARGS)


def review_due_dates(session: Session, report_ids: list[int]) -> dict[int, date]:
    """Return the answer deadline of each of these reports' pending reviews."""
    if not report_ids:
        return {}
    rows = session.execute(
        select(Review.report_id, Review.due_on).where(
            Review.report_id.in_(report_ids), Review.status == ReviewStatus.REQUESTED
        )
    )
    return {report_id: due for report_id, due in rows}


@dataclass(frozen=True)
class RatingLine:
    """The reporter's rating as shown to them and to case staff."""

    satisfaction: Satisfaction
    comment: str
    at: datetime


@dataclass(frozen=True)
class ReviewLine:
    """A review as shown to the reporter and to case staff: asked, due, answered."""

    status: ReviewStatus
    requested_at: datetime
    due_on: date
    reason: str
    # The reviewing office's region, named in the page's language.
    reviewer_office: str
    answered_at: datetime | None
    answer: str


@dataclass(frozen=True)
class ReviewPanel:
    """What a page shows of the rating and review of one report."""

    feedback_sent: bool
    rating: RatingLine | None
    # The rating may be given or changed until a review is asked (docs/domain.md §11).
    rating_open: bool
    review: ReviewLine | None
    # "open", or why no review may be asked now (a refusal code of intake/review/messages.py).
    offer: str
    # The last day a review may be asked, once the feedback is sent.
    request_last_day: date | None


def review_panel(
    session: Session, report: Report, cipher: DataCipher, *, today: date, request_days: int
) -> ReviewPanel:
    """Return the rating and review of `report`, decrypted, and what may be done next."""
    rating = get_rating(session, report)
    review = get_review(session, report)
    case = report.case_number

    def text(value: bytes | None, name: str) -> str:
        return cipher.decrypt_text(value, report_context(case, name)) if value else ""

    sent = feedback_day(report)
    return ReviewPanel(
        feedback_sent=sent is not None,
        rating=RatingLine(rating.satisfaction, text(rating.comment_enc, "rating"), rating.rated_at)
        if rating is not None
        else None,
        rating_open=rating_open(report, review),
        review=ReviewLine(
            review.status,
            review.requested_at,
            review.due_on,
            text(review.reason_enc, "review_reason"),
            review.reviewer_region.label(page_language()),
            review.answered_at,
            text(review.answer_enc, "review_answer"),
        )
        if review is not None
        else None,
        offer=review_offer(report, review, today, request_days),
        request_last_day=review_request_last_day(sent, request_days) if sent else None,
    )


def rating_open(report: Report, review: Review | None) -> bool:
    """Return whether the reporter may rate the handling now, or change their rating."""
    return report.feedback_sent_at is not None and report.merged_into_id is None and review is None
