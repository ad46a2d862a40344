"""Operations on staff accounts and identity keys (login and roles grow in the case office)."""

from __future__ import annotations

import logging
from datetime import date

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.auth import MIN_PASSWORD_LENGTH, end_all_sessions, password_problem
from portal.crypto import KdfParams, fingerprint, generate_keypair, lock_private_key
from portal.db import utcnow
from portal.models import CustodianKey, RecoveryKey, Region, StaffRole, StaffUser

log = logging.getLogger(__name__)

ROLES = (
    "intake_officer",
    "investigator",
    "approver",
    "reward_officer",
    "publisher",
    "social_supervisor",
    "administrator",
)


class StaffError(ValueError):
    """A staff operation was refused; the message says why."""


def create_staff_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    region: Region,
    roles: list[str],
    hasher: PasswordHasher,
    actor: str = "cli",
    wants_custodian: bool = False,
    term_start: date | None = None,
    term_end: date | None = None,
) -> StaffUser:
    """Create a staff account with an Argon2id password hash and the given roles."""
    problem = password_problem(password, [username, display_name])
    if problem == "length":
        raise StaffError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    if problem == "weak":
        raise StaffError("this password is too common or easy to guess")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise StaffError(f"unknown roles: {', '.join(sorted(unknown))}")
    if session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
        raise StaffError(f"username {username!r} is taken")
    user = StaffUser(
        username=username,
        display_name=display_name,
        password_hash=hasher.hash(password),
        region=region,
        roles=[StaffRole(role=r) for r in sorted(set(roles))],
        wants_custodian=wants_custodian,
        term_start=term_start,
        term_end=term_end,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        "staff.created",
        actor=actor,
        subject=f"staff:{user.id}",
        details={"region": region.code, "roles": sorted(set(roles))},
    )
    log.info("staff user %s created in region %s", user.id, region.code)
    return user


def make_custodian(
    session: Session, user: StaffUser, password: str, kdf: KdfParams, actor: str = "cli"
) -> CustodianKey:
    """Give `user` the custodian right for their home region: a key pair locked by their password."""
    user.wants_custodian = True
    public, private = generate_keypair()
    locked = lock_private_key(private, password, kdf)
    key = CustodianKey(
        user=user,
        region_id=user.region_id,
        public_key=public,
        locked_private_key=locked.ciphertext,
        kdf_salt=locked.salt,
        kdf_opslimit=locked.opslimit,
        kdf_memlimit=locked.memlimit,
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        "custodian.key_created",
        actor=actor,
        subject=f"staff:{user.id}",
        details={"custodian_key": key.id},
    )
    log.info("staff user %s made identity custodian for region %s", user.id, user.region_id)
    return key


def create_recovery_key(session: Session, actor: str = "cli") -> tuple[RecoveryKey, bytes]:
    """Create a new recovery key pair, retire the old one, and return (row, private key).

    Only the public half is stored; the caller must show the private half once and forget it.
    """
    now = utcnow()
    for old in session.scalars(select(RecoveryKey).where(RecoveryKey.retired_at.is_(None))):
        old.retired_at = now
    public, private = generate_keypair()
    row = RecoveryKey(public_key=public, fingerprint=fingerprint(public), created_at=now)
    session.add(row)
    session.flush()
    audit.record(
        session,
        "recovery_key.created",
        actor=actor,
        subject=f"recovery_key:{row.id}",
        details={"fingerprint": row.fingerprint},
    )
    log.info("recovery key %s created", row.fingerprint)
    return row, private


def update_staff_user(
    session: Session,
    user: StaffUser,
    *,
    actor: StaffUser,
    display_name: str,
    region: Region,
    roles: list[str],
    is_active: bool,
    wants_custodian: bool,
    term_start: date | None,
    term_end: date | None,
) -> None:
    """Change an account as an administrator; deactivation ends its sessions."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise StaffError(f"unknown roles: {', '.join(sorted(unknown))}")
    if wants_custodian and user.id == actor.id and not user.wants_custodian:
        # The admin role alone opens no identity: nobody grants themselves the custodian right.
        raise StaffError("self_custodian")
    if user.id == actor.id and "administrator" not in roles:
        raise StaffError("self_admin")
    if region.id != user.region_id or not wants_custodian:
        # A custodian key belongs to one region: moving or revoking retires it.
        for key in user.custodian_keys:
            if key.retired_at is None:
                key.retired_at = utcnow()
    before = {
        "roles": sorted(user.role_names),
        "region": user.region.code,
        "active": user.is_active,
    }
    user.display_name = display_name
    user.region = region
    wanted = set(roles)
    for held in list(user.roles):
        if held.role not in wanted:
            user.roles.remove(held)
    for name in sorted(wanted - {r.role for r in user.roles}):
        user.roles.append(StaffRole(role=name))
    user.is_active = is_active
    user.wants_custodian = wants_custodian
    user.term_start, user.term_end = term_start, term_end
    if not is_active:
        end_all_sessions(session, user)
    session.flush()
    audit.record(
        session,
        "staff.updated",
        actor=f"staff:{actor.id}",
        subject=f"staff:{user.id}",
        details={
            "before": before,
            "after": {"roles": sorted(set(roles)), "region": region.code, "active": is_active},
            "custodian": wants_custodian,
        },
    )
