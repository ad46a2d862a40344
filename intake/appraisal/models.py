"""One appraisal result per supervisor and year (docs/domain.md §14); never changed."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.db import Base, UTCDateTime, enum_column, utcnow


class AppraisalResult(enum.StrEnum):
    """优秀 / 称职 / 不称职."""

    EXCELLENT = "excellent"
    COMPETENT = "competent"
    NOT_COMPETENT = "not_competent"


class SupervisorAppraisal(Base):
    """The result an administrator recorded for a supervisor's year, with its note."""

    __tablename__ = "supervisor_appraisals"
    __table_args__ = (UniqueConstraint("supervisor_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    result: Mapped[AppraisalResult] = mapped_column(enum_column(AppraisalResult, length=16))
    note: Mapped[str] = mapped_column(String(1000))
    # The new last day of the term, when the appraisal renewed it.
    renewed_until: Mapped[date | None] = mapped_column(Date)
    # The day the term ended, for a supervisor found not competent.
    term_ended_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    supervisor: Mapped[StaffUser] = relationship(foreign_keys=[supervisor_id])
    recorded_by: Mapped[StaffUser] = relationship(foreign_keys=[recorded_by_id])

    def __repr__(self) -> str:
        return f"<SupervisorAppraisal {self.id} {self.year} {self.result.value}>"
