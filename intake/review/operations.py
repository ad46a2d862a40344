"""Rating the handling, asking for a review, and the reviewing office's answer (docs/domain.md §11).

The reporter's two steps run on /track; the answer is an operation of `TRANSITIONS`
(`uphold_review`, `send_back_review`), whose precondition (`queries.answer_problem`) keeps
it to the office above the one that handled the report. Each step appends its event and
flushes; the request commits.
"""

from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlalchemy.orm import Session

from intake.events import append_event
from intake.models import ActorKind, Report, Stage, report_context
from intake.office.handling import start_handling_deadline
from intake.office.workflow import WorkflowError, check, require_text, staff_event
from intake.review.deadlines import review_answer_due_on
from intake.review.models import Rating, Review, ReviewStatus, Satisfaction
from intake.review.queries import get_rating, get_review, rating_open, review_offer
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import utcnow

log = logging.getLogger(__name__)

# The public events of a review; the notices to the reporter follow exactly these kinds.
REVIEW_REQUESTED, REVIEW_UPHELD, REVIEW_SENT_BACK = (
    "review_requested",
    "review_upheld",
    "review_sent_back",
)


def rate_handling(
    session: Session,
    report: Report,
    *,
    satisfaction: Satisfaction,
    comment: str,
    cipher: DataCipher,
) -> Rating:
    """Record the reporter's rating of the handling, or change it (until a review is asked)."""
    if report.feedback_sent_at is None:
        raise WorkflowError("no_feedback")
    if report.merged_into_id is not None:
        raise WorkflowError("merged")
    if not rating_open(report, get_review(session, report)):
        # The review stands for their disagreement now: the rating it answers stays as given.
        raise WorkflowError("rating_locked")
    rating = get_rating(session, report)
    if rating is None:
        rating = Rating(report_id=report.id, satisfaction=satisfaction)
        session.add(rating)
    rating.satisfaction = satisfaction
    rating.rated_at = utcnow()
    text = comment.strip()
    rating.comment_enc = (
        cipher.encrypt_text(text, report_context(report.case_number, "rating")) if text else None
    )
    session.flush()
    # The case number only: nothing the reporter wrote (house style).
    log.info("report %s: the reporter rated the handling", report.case_number)
    return rating


def request_review(
    session: Session, report: Report, *, reason: str, cipher: DataCipher, today: date
) -> Review:
    """Ask the level above the handling office to review the handling (复查), with a reason."""
    days = int(current_app.config["REVIEW_REQUEST_DAYS"])
    offer = review_offer(report, get_review(session, report), today, days)
    if offer != "open":
        raise WorkflowError(offer, days=days)
    require_text(reason)
    parent = report.region.parent
    assert parent is not None  # review_offer refuses a report without a level above
    review = Review(
        report_id=report.id,
        reviewer_region=parent,
        status=ReviewStatus.REQUESTED,
        requested_at=utcnow(),
        # The office above answers within 30 calendar days of the request (docs/domain.md §11).
        due_on=review_answer_due_on(today, int(current_app.config["REVIEW_ANSWER_DAYS"])),
        reason_enc=cipher.encrypt_text(
            reason.strip(), report_context(report.case_number, "review_reason")
        ),
    )
    session.add(review)
    append_event(session, report, REVIEW_REQUESTED, by=ActorKind.REPORTER, public=True)
    session.flush()
    log.info("report %s: the reporter asked for a review", report.case_number)
    return review


def uphold_review(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Uphold the handling on review: the report stays as it was, the reporter reads why."""
    check("uphold_review", report, actor, expected_version)
    _answer(session, report, ReviewStatus.UPHELD, actor=actor, answer=reason, cipher=cipher)
    staff_event(session, report, REVIEW_UPHELD, actor, public=True, note=reason, cipher=cipher)


def send_back_review(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Send the report back for further handling: it re-enters handling at its own office.

    A closed report reopens; the new handling deadline runs from today, as when a case is
    opened (docs/domain.md §3, §11), and may be extended once again.
    """
    check("send_back_review", report, actor, expected_version)
    _answer(session, report, ReviewStatus.SENT_BACK, actor=actor, answer=reason, cipher=cipher)
    report.stage = Stage.HANDLING
    report.closed_at = None
    report.handle_extended = False
    start_handling_deadline(report)
    staff_event(session, report, REVIEW_SENT_BACK, actor, public=True, note=reason, cipher=cipher)


def _answer(
    session: Session,
    report: Report,
    status: ReviewStatus,
    *,
    actor: StaffUser,
    answer: str,
    cipher: DataCipher,
) -> None:
    require_text(answer)
    review = get_review(session, report)
    assert review is not None  # check() refuses an answer without a pending review
    review.status = status
    review.answered_at = utcnow()
    review.answered_by_staff_id = actor.id
    review.answer_enc = cipher.encrypt_text(
        answer.strip(), report_context(report.case_number, "review_answer")
    )
