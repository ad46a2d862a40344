"""The reporter's contact: one row per report, apart from the sealed identity (docs/domain.md §10)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.notices.models import Channel


class ReportContact(Base):
    """Where a reporter asked to be told there is news. The value is ciphertext only.

    Not part of the sealed identity: staff never see it, and it is deleted when the report
    closes (intake/contact/operations.py).
    """

    __tablename__ = "report_contacts"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 8))
    # The number or address under the data key; the associated data names the report and
    # the field (`contact_context`), so it opens nowhere else.
    value_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ReportContact report={self.report_id} {self.channel.value}>"
