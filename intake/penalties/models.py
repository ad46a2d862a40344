"""Administrative penalty decisions (行政处理处罚) against institutions and individuals, docs/domain.md §9.

A decision is recorded by an approver, from a founded report or on its own, and must stay
within its article's ranges (intake/penalties/articles.py). A second person publishes it
on the public list (publish/penalties/), where it stays for its publicity period unless a
credit repair is recorded; staff keep the whole history.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region


class SubjectKind(enum.StrEnum):
    """Who a decision is against: an institution of the directory (or not yet in it), or a person."""

    INSTITUTION = "institution"
    INDIVIDUAL = "individual"


class PenaltyStatus(enum.StrEnum):
    """Recorded by an approver; published by a second person; withdrawn if recorded in error."""

    RECORDED = "recorded"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Penalty(Base):
    """One administrative decision: its article, measures, amounts, dates and deciding office."""

    __tablename__ = "penalties"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[PenaltyStatus] = mapped_column(
        enum_column(PenaltyStatus), default=PenaltyStatus.RECORDED, index=True
    )
    # The deciding office's region: the decision is within that office's jurisdiction.
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    subject_kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    # The institution's name at the decision, or the individual's name as recorded (the
    # public list masks an individual's: docs/domain.md §9).
    subject_name: Mapped[str] = mapped_column(String(200))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    # The article of the Regulation (docs/domain.md §9): 38, 39, 40 or 41.
    article: Mapped[int] = mapped_column(Integer, index=True)
    # Codes of the measures (intake.catalog.MEASURES), comma-separated.
    measures: Mapped[str] = mapped_column(String(200), default="")
    # The loss (art. 38) or the amount defrauded (art. 40, 41) the fine is a multiple of.
    basis_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    returned_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    suspension_from: Mapped[date | None] = mapped_column(Date)
    suspension_to: Mapped[date | None] = mapped_column(Date)
    terminates_agreement: Mapped[bool] = mapped_column(Boolean, default=False)
    # A serious-dishonesty listing (严重失信) keeps the entry public longer.
    serious_dishonesty: Mapped[bool] = mapped_column(Boolean, default=False)
    deciding_office: Mapped[str] = mapped_column(String(200))
    decision_number: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The last day the entry stays on the public list (set on publishing).
    public_until: Mapped[date | None] = mapped_column(Date, index=True)
    # A credit repair (信用修复) ends the listing early; the record stays for staff.
    repaired_on: Mapped[date | None] = mapped_column(Date)
    repair_reason: Mapped[str] = mapped_column(Text, default="")
    repaired_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    region: Mapped[Region] = relationship()
    institution: Mapped[Institution | None] = relationship()
    recorded_by: Mapped[StaffUser] = relationship(foreign_keys=[recorded_by_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def listed_on(self, day: date) -> bool:
        """Return whether the entry is on the public list on `day`."""
        return (
            self.status is PenaltyStatus.PUBLISHED
            and self.public_until is not None
            and day <= self.public_until
            and (self.repaired_on is None or day < self.repaired_on)
        )
