"""Inspections an office announces to its social supervisors, and who joins them (docs/domain.md §14).

An office (the region that announces) offers places to the supervisors appointed by it and
by the regions below it. What is to be inspected — the institutions chosen from the
directory and the private instructions — is kept apart from what every supervisor reads,
and shown to them only as `queries.targets_revealed` allows. Each supervisor has one
sign-up row per inspection, which carries their confirmation and their account.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region


class InspectionKind(enum.StrEnum):
    """Flying inspection (飞行检查), undercover visit (明察暗访), random inspection (双随机)."""

    FLYING = "flying"
    UNDERCOVER = "undercover"
    RANDOM = "random"


class InspectionStatus(enum.StrEnum):
    """Announced (and open to change until its date), cancelled with a reason, or done."""

    ANNOUNCED = "announced"
    CANCELLED = "cancelled"
    DONE = "done"


class SignupStatus(enum.StrEnum):
    """A supervisor's place: asked for, confirmed by the office, or withdrawn."""

    SIGNED_UP = "signed_up"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class InstitutionRole(enum.StrEnum):
    """Why an institution is named: a planned target, or one the results say was inspected."""

    TARGET = "target"
    INSPECTED = "inspected"


class Inspection(Base):
    """One inspection: its kind, date, region inspected, places, and what it is about."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The announcing office: its supervisors and those of the regions below it are told.
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    inspected_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    kind: Mapped[InspectionKind] = mapped_column(enum_column(InspectionKind, 16))
    status: Mapped[InspectionStatus] = mapped_column(
        enum_column(InspectionStatus, 16), default=InspectionStatus.ANNOUNCED, index=True
    )
    inspection_date: Mapped[date] = mapped_column(Date, index=True)
    places: Mapped[int] = mapped_column(Integer)
    # What every supervisor it is announced to reads.
    summary: Mapped[str] = mapped_column(Text)
    # For the confirmed participants, and only once the targets are revealed.
    instructions: Mapped[str] = mapped_column(Text, default="")
    # The office's choice to show the targets before the date (never for an undercover visit).
    show_targets_early: Mapped[bool] = mapped_column(Boolean, default=False)
    announced_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    announced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results: Mapped[str] = mapped_column(Text, default="")
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    region: Mapped[Region] = relationship(foreign_keys=[region_id])
    inspected_region: Mapped[Region] = relationship(foreign_keys=[inspected_region_id])
    announced_by: Mapped[StaffUser] = relationship(foreign_keys=[announced_by_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<Inspection {self.id} {self.kind.value} {self.status.value}>"


class InspectionInstitution(Base):
    """An institution of the directory named by an inspection, as a target or as inspected."""

    __tablename__ = "inspection_institutions"

    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), primary_key=True)
    role: Mapped[InstitutionRole] = mapped_column(
        enum_column(InstitutionRole, 16), primary_key=True
    )

    institution: Mapped[Institution] = relationship()


class InspectionSignup(Base):
    """A supervisor's sign-up to an inspection, the office's confirmation and their account."""

    __tablename__ = "inspection_signups"
    __table_args__ = (UniqueConstraint("inspection_id", "supervisor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    status: Mapped[SignupStatus] = mapped_column(
        enum_column(SignupStatus, 16), default=SignupStatus.SIGNED_UP
    )
    signed_up_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The participant's short account, filed once after the date (at most 3,000 characters).
    account: Mapped[str | None] = mapped_column(Text)
    account_filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    account_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    inspection: Mapped[Inspection] = relationship()
    supervisor: Mapped[StaffUser] = relationship(foreign_keys=[supervisor_id])

    def __repr__(self) -> str:
        return f"<InspectionSignup {self.id} {self.status.value}>"


class InspectionPenalty(Base):
    """A penalty decision found in an inspection; a decision is found in one inspection at most."""

    __tablename__ = "inspection_penalties"

    penalty_id: Mapped[int] = mapped_column(
        ForeignKey("penalties.id", ondelete="CASCADE"), primary_key=True
    )
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    linked_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship()
