"""Sealed identities, the grants that open them, and requests to read them (docs/domain.md §7)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models import Report
from portal.accounts.models import StaffUser
from portal.db import Base, UTCDateTime, enum_column, utcnow


class IdentitySeal(Base):
    """A reporter identity, encrypted under a one-off envelope key (docs/domain.md §7).

    Kept apart from `reports` so that queries, exports and statistics over reports
    never touch it.
    """

    __tablename__ = "identity_seals"
    __table_args__ = (UniqueConstraint("report_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # "report" at submission; "reward" when an anonymous reporter claims a reward later.
    purpose: Mapped[str] = mapped_column(String(16), default="report")
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grants: Mapped[list[IdentityGrant]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<IdentitySeal {self.id}>"


class IdentityGrant(Base):
    """The envelope key of one seal, sealed for one custodian key or the recovery key."""

    __tablename__ = "identity_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    seal_id: Mapped[int] = mapped_column(
        ForeignKey("identity_seals.id", ondelete="CASCADE"), index=True
    )
    custodian_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("custodian_keys.id"), index=True
    )
    # Set when an approved access request re-sealed the envelope key for one officer.
    staff_key_id: Mapped[int | None] = mapped_column(ForeignKey("staff_keys.id"), index=True)
    access_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_access_requests.id", ondelete="CASCADE"), index=True
    )
    recovery_key_id: Mapped[int | None] = mapped_column(ForeignKey("recovery_keys.id"))
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessRequestStatus(enum.StrEnum):
    """Where a request to open a sealed identity stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class IdentityAccessRequest(Base):
    """An officer's request to read one sealed identity, and a custodian's decision (docs/domain.md §7)."""

    __tablename__ = "identity_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    seal_id: Mapped[int] = mapped_column(ForeignKey("identity_seals.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    reason_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[AccessRequestStatus] = mapped_column(
        enum_column(AccessRequestStatus), default=AccessRequestStatus.PENDING, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_count: Mapped[int] = mapped_column(Integer, default=0)

    report: Mapped[Report] = relationship()
    seal: Mapped[IdentitySeal] = relationship()
    requester: Mapped[StaffUser] = relationship(foreign_keys=[requester_id])

    def __repr__(self) -> str:
        return f"<IdentityAccessRequest {self.id} {self.status.value}>"
