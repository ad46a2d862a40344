"""Typical cases (典型案例曝光) and their corrections (docs/domain.md §5)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region
from publish.cases.texts import html_of


class CaseStatus(enum.StrEnum):
    """A typical case is drafted, published by someone else, and may be withdrawn."""

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class TypicalCase(Base):
    """A typical fraud case exposed to the public (典型案例, docs/domain.md §5)."""

    __tablename__ = "typical_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[CaseStatus] = mapped_column(
        enum_column(CaseStatus), default=CaseStatus.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    batch: Mapped[str] = mapped_column(String(60), default="")
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16), index=True)
    # Institutions in full; an individual only as surname + 某/某某 (masked on save).
    subject_name: Mapped[str] = mapped_column(String(200))
    # The institution of the directory the case is about, when it is one (docs/domain.md §8).
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    discovery: Mapped[str] = mapped_column(String(24))
    violation_codes: Mapped[str] = mapped_column(String(400))
    conduct_from: Mapped[date | None] = mapped_column(Date)
    conduct_to: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    fully_recovered: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    # Internal only: which closed report the draft came from. Never published.
    from_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The legal basis, measures and body as safe HTML, made when they are set (below), so
    # pages and feeds never sanitise on a read (publish/cases/texts.py).
    legal_basis_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    measures_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")

    region: Mapped[Region] = relationship()
    institution: Mapped[Institution | None] = relationship()
    corrections: Mapped[list[CaseCorrection]] = relationship(
        back_populates="case", order_by="CaseCorrection.id", cascade="all, delete-orphan"
    )

    @validates("legal_basis", "measures", "body")
    def _keep_html(self, name: str, text: str) -> str:
        # Every writer through the model (operations, demo data, tests) keeps the two in step.
        setattr(self, f"{name}_html", html_of(text))
        return text

    @property
    def violations(self) -> list[str]:
        """Return the violation type codes."""
        return [c for c in self.violation_codes.split(",") if c]

    def __repr__(self) -> str:
        return f"<TypicalCase {self.id} {self.status.value}>"


class CaseCorrection(Base):
    """A visible note that a published case was corrected, with what it said before."""

    __tablename__ = "case_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("typical_cases.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text)
    previous_json: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[TypicalCase] = relationship(back_populates="corrections")
