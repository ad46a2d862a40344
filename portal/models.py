"""Models of the app shell: jurisdictions, staff accounts and the keys that hold identities."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class RegionLevel(enum.StrEnum):
    """Levels of the jurisdiction tree, domain.md §1 (省/市/县)."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class Region(Base):
    """A node of the jurisdiction tree, identified by its administrative division code."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    level: Mapped[RegionLevel] = mapped_column(
        Enum(
            RegionLevel,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Region]] = relationship(back_populates="parent", order_by="Region.code")

    def ancestors_and_self(self) -> list[Region]:
        """Return this node and every node above it, nearest first."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def label(self, locale: str) -> str:
        """Return the name in `locale` with the names of its ancestors, e.g. 宁夏 · 银川市."""
        names = [
            r.name_en if locale.startswith("en") else r.name_zh
            for r in reversed(self.ancestors_and_self())
        ]
        return " · ".join(names)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.level.value}>"


def list_regions(session: Session) -> list[Region]:
    """Return every region ordered by code, which keeps each subtree together."""
    return list(session.scalars(select(Region).order_by(Region.code)))


def get_region_by_code(session: Session, code: str) -> Region | None:
    """Return the region with division code `code`, if any."""
    return session.scalar(select(Region).where(Region.code == code))


class StaffUser(Base):
    """A staff account. Login, roles and two-factor arrive with the case office (issue 3)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    roles: Mapped[list[StaffRole]] = relationship(cascade="all, delete-orphan")
    custodian_keys: Mapped[list[CustodianKey]] = relationship(back_populates="user")

    def __repr__(self) -> str:
        return f"<StaffUser {self.id}>"


class StaffRole(Base):
    """One role held by a staff user (domain.md §1)."""

    __tablename__ = "staff_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class CustodianKey(Base):
    """An identity custodian's X25519 key pair; the private half is locked by their password.

    Holding an active custodian key for a region is the custodian right, separate from
    the roles: identities reported in that region or below are sealed to this key.
    """

    __tablename__ = "custodian_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    locked_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary(16))
    kdf_opslimit: Mapped[int] = mapped_column(Integer)
    kdf_memlimit: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship(back_populates="custodian_keys")
    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<CustodianKey {self.id} user={self.user_id}>"


class RecoveryKey(Base):
    """The deployment recovery key: only the public half is stored; the private is kept offline."""

    __tablename__ = "recovery_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    fingerprint: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<RecoveryKey {self.fingerprint}>"


def get_active_recovery_key(session: Session) -> RecoveryKey | None:
    """Return the newest recovery key that has not been retired."""
    return session.scalar(
        select(RecoveryKey)
        .where(RecoveryKey.retired_at.is_(None))
        .order_by(RecoveryKey.id.desc())
        .limit(1)
    )
