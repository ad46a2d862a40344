"""A reporter's rating of the handling and a review asked of the level above (docs/domain.md §11).

Both hang off a report, one of each at most. Free text (the comment, the reason for asking,
the reviewing office's answer) is stored only as ciphertext under the data key, bound to its
report and field like the report's own text.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models import Report
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.jurisdictions.models import Region


class Satisfaction(enum.StrEnum):
    """The three answers a reporter may give (满意 / 基本满意 / 不满意)."""

    SATISFIED = "satisfied"
    MOSTLY = "mostly"
    NOT_SATISFIED = "not_satisfied"


class ReviewStatus(enum.StrEnum):
    """Where a review stands: awaiting the answer, or answered one way or the other."""

    REQUESTED = "requested"
    UPHELD = "upheld"
    SENT_BACK = "sent_back"


class Rating(Base):
    """The reporter's rating of the handling of their report: one per report."""

    __tablename__ = "report_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), unique=True
    )
    satisfaction: Mapped[Satisfaction] = mapped_column(enum_column(Satisfaction, 16))
    # The optional comment, encrypted: it may quote the report.
    comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Statistics count the ratings given in a period; a changed rating counts when changed.
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    report: Mapped[Report] = relationship()

    def __repr__(self) -> str:
        return f"<Rating {self.id} {self.satisfaction.value}>"


class Review(Base):
    """A review (复查) of a report's handling, asked by its reporter of the level above."""

    __tablename__ = "report_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), unique=True
    )
    # The office that answers: the parent of the report's region when it was asked. Its
    # approvers, and those above it, answer; the report's own office never does.
    reviewer_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, 12), default=ReviewStatus.REQUESTED, index=True
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # 30 calendar days from the request (docs/domain.md §11, PORTAL_REVIEW_ANSWER_DAYS).
    due_on: Mapped[date] = mapped_column(Date)
    reason_enc: Mapped[bytes] = mapped_column(LargeBinary)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    answered_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # What the reporter reads of the answer, encrypted.
    answer_enc: Mapped[bytes | None] = mapped_column(LargeBinary)

    report: Mapped[Report] = relationship()
    reviewer_region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<Review {self.id} {self.status.value}>"
