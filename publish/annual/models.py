"""Annual reports (年度报告, docs/domain.md §15): one row per version of a region's year."""

from __future__ import annotations

import enum
import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.jurisdictions.models import Region


class AnnualStatus(enum.StrEnum):
    """A version is a draft until a second person publishes it; a later version supersedes it."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class AnnualReport(Base):
    """One version of a region's annual report: its frozen figures and, once published, its PDF."""

    __tablename__ = "annual_reports"
    __table_args__ = (UniqueConstraint("region_id", "year", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[AnnualStatus] = mapped_column(
        enum_column(AnnualStatus), default=AnnualStatus.DRAFT, index=True
    )
    # The figures, offices, cases and penalties as they stood when it was prepared
    # (docs/domain.md §15: frozen), already suppressed as the public statistics are (§5).
    snapshot_json: Mapped[str] = mapped_column(Text)
    # What changed since the version before: required from the second version on.
    change_note: Mapped[str] = mapped_column(Text, default="")
    prepared_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The PDF rendered at publication and kept as published, with its SHA-256 (the ETag).
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")

    region: Mapped[Region] = relationship()

    @property
    def snapshot(self) -> dict[str, Any]:
        """Return the frozen contents."""
        data: dict[str, Any] = json.loads(self.snapshot_json)
        return data

    def __repr__(self) -> str:
        return f"<AnnualReport {self.id} {self.year} v{self.version} {self.status.value}>"
