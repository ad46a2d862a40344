"""The directory of supervised institutions (监督检查对象名录库), docs/domain.md §8.

An institution is known by its national medical-insurance code: `H` (designated medical
institution) or `P` (designated retail pharmacy), the 6-digit division code where it is
registered, and a 5-digit serial — `H64010400012`. Renamed institutions keep their
former names, so a report that uses an old name still finds them.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.jurisdictions.models import Region

CODE_PATTERN = re.compile(r"^[HP]\d{6}\d{5}$")


class InstitutionKind(enum.StrEnum):
    """What kind of institution it is (docs/domain.md §8)."""

    HOSPITAL = "hospital"
    PRIMARY_CARE = "primary_care"
    PHARMACY = "pharmacy"
    OTHER = "other"


class InstitutionLevel(enum.StrEnum):
    """The hospital grade, where one applies (一级/二级/三级/未定级)."""

    LEVEL_1 = "level_1"
    LEVEL_2 = "level_2"
    LEVEL_3 = "level_3"
    UNGRADED = "ungraded"


class Ownership(enum.StrEnum):
    """Public (公立) or private (民营)."""

    PUBLIC = "public"
    PRIVATE = "private"


class AgreementStatus(enum.StrEnum):
    """The service agreement (协议状态): in force, suspended for dates, or terminated."""

    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


def name_key(name: str) -> str:
    """Return `name` folded for matching: full-width to half-width, case, spaces and punctuation gone."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


class Institution(Base):
    """A designated medical institution or retail pharmacy of the official list."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # `name_key(name)`: what searches and duplicate checks compare.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind), index=True)
    level: Mapped[InstitutionLevel | None] = mapped_column(enum_column(InstitutionLevel))
    ownership: Mapped[Ownership | None] = mapped_column(enum_column(Ownership))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    agreement_status: Mapped[AgreementStatus] = mapped_column(
        enum_column(AgreementStatus), default=AgreementStatus.IN_FORCE
    )
    # Suspended: from – to (both days included); terminated: from the first date on.
    agreement_from: Mapped[date | None] = mapped_column(Date)
    agreement_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    region: Mapped[Region] = relationship()
    former_names: Mapped[list[InstitutionName]] = relationship(
        cascade="all, delete-orphan", order_by="InstitutionName.until.desc()"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def status_on(self, day: date) -> AgreementStatus:
        """Return the agreement's state on `day` (a suspension ends after its last day)."""
        if self.agreement_status is AgreementStatus.TERMINATED:
            starts = self.agreement_from
            return (
                AgreementStatus.TERMINATED
                if starts is None or day >= starts
                else AgreementStatus.IN_FORCE
            )
        if self.agreement_status is AgreementStatus.SUSPENDED:
            starts, ends = self.agreement_from, self.agreement_to
            if (starts is None or day >= starts) and (ends is None or day <= ends):
                return AgreementStatus.SUSPENDED
        return AgreementStatus.IN_FORCE

    def __repr__(self) -> str:
        return f"<Institution {self.code}>"


class InstitutionName(Base):
    """A name an institution went by before it was renamed."""

    __tablename__ = "institution_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    # The day the rename was recorded: the name was in use until then.
    until: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
