"""Fund disclosures with revisions, and typical cases with their corrections (domain.md §5).

Nothing here refers to a reporter: a case drafted from a report keeps only the report's
id, for the office's own reference, and no public page, feed or export reads it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.models import Region
from portal.pagecache import track_changes

# GB/T 2260 code of the whole country, used in imports for national figures.
NATIONAL_CODE = "100000"


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class Disclosure(Base):
    """One region × one period; its figures live in revisions, the newest one in force."""

    __tablename__ = "disclosures"
    __table_args__ = (UniqueConstraint("region_key", "year", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for national figures (全国), which belong to no node of the jurisdiction tree.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    # The region's division code, or NATIONAL_CODE: unique with the period, unlike a NULL.
    region_key: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    # "Y" for a year, "Q1".."Q4" for quarters, "M01".."M12" for months (year-to-date or not).
    period: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    region: Mapped[Region | None] = relationship()
    revisions: Mapped[list[DisclosureRevision]] = relationship(
        back_populates="disclosure",
        order_by="DisclosureRevision.number",
        cascade="all, delete-orphan",
    )

    def region_label(self, locale: str) -> str:
        """Return the region's name, or 全国 / National for national figures."""
        if self.region is None:
            return "National" if locale.startswith("en") else "全国"
        return self.region.label(locale)

    @property
    def current(self) -> DisclosureRevision:
        """Return the revision in force (the newest)."""
        return self.revisions[-1]

    def __repr__(self) -> str:
        return f"<Disclosure {self.id} {self.year}{self.period}>"


class DisclosureRevision(Base):
    """The figures of a disclosure as published at one time; corrections add a revision."""

    __tablename__ = "disclosure_revisions"
    __table_args__ = (UniqueConstraint("disclosure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    # 万元 ("wan") or 亿元 ("yi").
    unit: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(300))
    # Why this revision replaced the one before; empty for the first.
    change_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    disclosure: Mapped[Disclosure] = relationship(back_populates="revisions")
    lines: Mapped[list[FundLine]] = relationship(
        back_populates="revision", order_by="FundLine.position", cascade="all, delete-orphan"
    )


MONEY = Numeric(18, 2)


class FundLine(Base):
    """The figures of one fund in one revision (domain.md §5 line items)."""

    __tablename__ = "fund_lines"
    __table_args__ = (UniqueConstraint("revision_id", "fund"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("disclosure_revisions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    fund: Mapped[str] = mapped_column(String(32))
    income_contributions: Mapped[Decimal | None] = mapped_column(MONEY)
    income_fiscal_subsidy: Mapped[Decimal | None] = mapped_column(MONEY)
    income_interest: Mapped[Decimal | None] = mapped_column(MONEY)
    income_other: Mapped[Decimal | None] = mapped_column(MONEY)
    income_total: Mapped[Decimal] = mapped_column(MONEY)
    expenditure_inpatient: Mapped[Decimal | None] = mapped_column(MONEY)
    expenditure_outpatient: Mapped[Decimal | None] = mapped_column(MONEY)
    expenditure_other: Mapped[Decimal | None] = mapped_column(MONEY)
    expenditure_total: Mapped[Decimal] = mapped_column(MONEY)
    balance_current: Mapped[Decimal] = mapped_column(MONEY)
    balance_accumulated_previous: Mapped[Decimal | None] = mapped_column(MONEY)
    balance_accumulated: Mapped[Decimal | None] = mapped_column(MONEY)
    insured_persons: Mapped[int | None] = mapped_column(Integer)
    beneficiaries: Mapped[int | None] = mapped_column(Integer)

    revision: Mapped[DisclosureRevision] = relationship(back_populates="lines")


class CaseStatus(enum.StrEnum):
    """A typical case is drafted, published by someone else, and may be withdrawn."""

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class TypicalCase(Base):
    """A typical fraud case exposed to the public (典型案例, domain.md §5)."""

    __tablename__ = "typical_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[CaseStatus] = mapped_column(
        _enum(CaseStatus), default=CaseStatus.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    batch: Mapped[str] = mapped_column(String(60), default="")
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16), index=True)
    # Institutions in full; an individual only as surname + 某/某某 (masked on save).
    subject_name: Mapped[str] = mapped_column(String(200))
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

    region: Mapped[Region] = relationship()
    corrections: Mapped[list[CaseCorrection]] = relationship(
        back_populates="case", order_by="CaseCorrection.id", cascade="all, delete-orphan"
    )

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


class Follow(Base):
    """A region or violation type a social supervisor follows (issue 4 §5)."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    # "region" (a division code; everything below it) or "violation" (a violation code).
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeedToken(Base):
    """The secret of a supervisor's private feed URL; revocable, one active per user."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    # Looked up by hash; kept encrypted as well so the page can show the URL again.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# Public pages show these rows: a change to any of them invalidates cached pages.
track_changes(TypicalCase, CaseCorrection, Disclosure, DisclosureRevision, FundLine, Region)
