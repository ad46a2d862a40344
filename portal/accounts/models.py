"""Staff accounts, their roles and sessions, requests for rights, and the keys that hold identities."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    false,
    select,
    true,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.jurisdictions.models import Region


class StaffUser(Base):
    """A staff account: Argon2id password, TOTP second factor, roles and a home jurisdiction."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The TOTP secret, encrypted under the data key; None until the user has enrolled.
    totp_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The last time step accepted: a code of this step or earlier is never accepted again.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    # Set by an administrator: the custodian right for the home region. The key pair
    # itself is made at the user's next sign-in, because only their password can lock it.
    wants_custodian: Mapped[bool] = mapped_column(Boolean, default=False)
    # Social supervisors serve a term (docs/domain.md §1); outside it they cannot sign in.
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    # A password chosen by someone else (an administrator, an operator) opens nothing but
    # the page that replaces it: the user sets their own before TOTP or any other page.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # When this custodian last acknowledged the changes of access rights in their region.
    access_changes_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where this person's notices go (docs/domain.md §10): the daily digest, and a major
    # case reported to their office. None: told nothing by e-mail.
    email: Mapped[str | None] = mapped_column(String(254))
    # The daily digest of what awaits them; each person may turn it off.
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The China day this person's digest was last made, sent or found with nothing to say:
    # the digest job looks only at people not yet done today, and never makes a second.
    digest_checked_on: Mapped[date | None] = mapped_column(Date)

    region: Mapped[Region] = relationship()
    roles: Mapped[list[StaffRole]] = relationship(cascade="all, delete-orphan")
    custodian_keys: Mapped[list[CustodianKey]] = relationship(back_populates="user")
    personal_keys: Mapped[list[StaffKey]] = relationship(back_populates="user")

    @property
    def role_names(self) -> frozenset[str]:
        """Return the names of the roles this user holds."""
        return frozenset(r.role for r in self.roles)

    def has_role(self, *names: str) -> bool:
        """Return whether the user holds any of `names`."""
        return bool(self.role_names.intersection(names))

    def active_custodian_key(self) -> CustodianKey | None:
        """Return the user's custodian key that is not retired, if any."""
        return next((k for k in self.custodian_keys if k.retired_at is None), None)

    def active_personal_key(self) -> StaffKey | None:
        """Return the user's personal key that is not retired, if any."""
        return next((k for k in self.personal_keys if k.retired_at is None), None)

    def __repr__(self) -> str:
        return f"<StaffUser {self.id}>"


def within_term(user: StaffUser, today: date) -> bool:
    """Return whether a social supervisor is within their term (others always are)."""
    if user.term_start and today < user.term_start:
        return False
    return not (user.term_end and today > user.term_end)


class StaffRole(Base):
    """One role held by a staff user (docs/domain.md §1)."""

    __tablename__ = "staff_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class GrantStatus(enum.StrEnum):
    """Where a request for rights that open case files or identities stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    # Replaced by a later change of the same account before anyone decided.
    CANCELLED = "cancelled"


class StaffGrantRequest(Base):
    """Rights an administrator asked for an account, awaiting a custodian's approval.

    Roles that open case files or identities, the custodian right, and moving an account
    that holds them to another region all widen what a person can read about reporters;
    an administrator alone cannot give them (docs/domain.md §1). The request holds the
    state the account is to have once approved: its region, those roles and the right.
    """

    __tablename__ = "staff_grant_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    # Space-separated role codes, sorted: the case-file roles the account is to hold.
    roles: Mapped[str] = mapped_column(String(200), default="")
    custodian: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[GrantStatus] = mapped_column(
        enum_column(GrantStatus, length=16),
        default=GrantStatus.PENDING,
        index=True,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[StaffUser] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[StaffUser | None] = relationship(foreign_keys=[decided_by_id])
    region: Mapped[Region] = relationship()

    @property
    def role_set(self) -> frozenset[str]:
        """Return the requested roles as a set."""
        return frozenset(self.roles.split())

    def __repr__(self) -> str:
        return f"<StaffGrantRequest {self.id} user={self.user_id} {self.status.value}>"


class _LockedKeyPair:
    """Columns of an X25519 key pair whose private half is locked by its owner's password."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    locked_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary(16))
    kdf_opslimit: Mapped[int] = mapped_column(Integer)
    kdf_memlimit: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @declared_attr
    def user_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("staff_users.id"), index=True)


class CustodianKey(_LockedKeyPair, Base):
    """An identity custodian's X25519 key pair; the private half is locked by their password.

    Holding an active custodian key for a region is the custodian right, separate from
    the roles: identities reported in that region or below are sealed to this key.
    """

    __tablename__ = "custodian_keys"

    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)

    user: Mapped[StaffUser] = relationship(back_populates="custodian_keys")
    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<CustodianKey {self.id} user={self.user_id}>"


class StaffKey(_LockedKeyPair, Base):
    """A staff user's personal key pair: an approved identity request is re-sealed to it.

    Every staff user has one, so an officer who is not a custodian can still be granted
    one identity, and read it only by re-entering their password (docs/domain.md §7).
    """

    __tablename__ = "staff_keys"

    user: Mapped[StaffUser] = relationship(back_populates="personal_keys")

    def __repr__(self) -> str:
        return f"<StaffKey {self.id} user={self.user_id}>"


class StaffSession(Base):
    """A signed-in staff browser. The cookie holds a random token; only its hash is stored.

    `second_factor_done` is False between the password and the TOTP code; such a session
    opens nothing but the code and enrolment pages.
    """

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    # A TOTP secret offered during enrolment, encrypted; kept here, never in the cookie.
    pending_totp_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[StaffUser] = relationship()


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
