"""A report transferred out (移送) and what the receiving body answered (docs/domain.md §12)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Transfer(Base):
    """One transfer out: the body, the date sent, the reference, then its receipt and outcome."""

    __tablename__ = "report_transfers"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    # A code of catalog.TRANSFER_BODIES (the reporter sees it in words).
    body: Mapped[str] = mapped_column(String(32))
    sent_on: Mapped[date] = mapped_column(Date)
    # The covering letter's reference (文号): staff only, never on /track.
    reference: Mapped[str] = mapped_column(String(100))
    sent_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # No outcome by this day (sent_on + PORTAL_TRANSFER_OUTCOME_DAYS calendar days) and the
    # transfer is due for follow-up; stored so the queue filters and counts it with an index.
    outcome_due_on: Mapped[date] = mapped_column(Date, index=True)
    received_on: Mapped[date | None] = mapped_column(Date)
    # A code of catalog.TRANSFER_OUTCOMES, once the body's answer came back.
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Transfer report={self.report_id} {self.body} {self.outcome or 'open'}>"
