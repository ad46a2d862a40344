"""Fund disclosures (基金收支信息披露): a region × period, its revisions and fund lines (docs/domain.md §5)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.jurisdictions.models import Region

# GB/T 2260 code of the whole country, used in imports for national figures.
NATIONAL_CODE = "100000"


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
    """The figures of one fund in one revision (the line items of docs/domain.md §5)."""

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
