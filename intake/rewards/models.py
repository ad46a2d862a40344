"""A reward's record: proposed, approved, claimed, paid, refused or lapsed (docs/domain.md §4)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models import Report
from portal.db import Base, UTCDateTime, enum_column, utcnow


class RewardStatus(enum.StrEnum):
    """The life of a reward (docs/domain.md §4)."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REFUSED = "refused"
    CLAIMED = "claimed"
    PAID = "paid"
    LAPSED = "lapsed"


class Reward(Base):
    """A reward proposed for a report, approved by someone else, claimed, paid or lapsed."""

    __tablename__ = "rewards"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), unique=True
    )
    case_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    insider: Mapped[bool] = mapped_column(Boolean, default=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[RewardStatus] = mapped_column(
        enum_column(RewardStatus), default=RewardStatus.PROPOSED, index=True
    )
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # The reporter is notified on approval and must claim within 2 months (docs/domain.md §4).
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A non-cash payment reference (bank transfer number), encrypted.
    payment_ref_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)

    report: Mapped[Report] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Reward {self.id} {self.status.value}>"
