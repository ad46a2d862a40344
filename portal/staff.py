"""Operations on staff accounts and identity keys, and an administrator's bounds over them."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from argon2 import PasswordHasher
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.auth import MIN_PASSWORD_LENGTH, end_all_sessions, in_jurisdiction, password_problem
from portal.crypto import KdfParams, fingerprint, generate_keypair, lock_private_key
from portal.db import utcnow
from portal.models import (
    CustodianKey,
    RecoveryKey,
    Region,
    StaffGrantRequest,
    StaffRole,
    StaffUser,
)

log = logging.getLogger(__name__)

# Every staff role with its label: the one list of roles (docs/domain.md §1).
ROLE_LABELS: dict[str, LazyString] = {
    "intake_officer": _l("Intake officer"),
    "investigator": _l("Investigator"),
    "approver": _l("Approver"),
    "reward_officer": _l("Reward officer"),
    "publisher": _l("Publisher"),
    "social_supervisor": _l("Social supervisor"),
    "administrator": _l("Administrator"),
}
ROLES = tuple(ROLE_LABELS)
# Roles whose holders read case files or may ask for a reporter's identity in their
# jurisdiction. Giving one, like the custodian right, takes a custodian's approval: an
# administrator alone must never be able to reach a reporter (docs/domain.md §1, §7).
CASE_FILE_ROLES = frozenset({"intake_officer", "investigator", "approver", "reward_officer"})

_MESSAGES = {
    "password_length": f"passwords need at least {MIN_PASSWORD_LENGTH} characters",
    "password_weak": "this password is too common or easy to guess",
    "unknown_role": "unknown roles: {roles}",
    "username_taken": "username {username!r} is taken",
    "outside_jurisdiction": "the account or region is outside your jurisdiction",
    "self_change": "nobody changes their own roles, region, rights or state",
    "grant_not_yours": "only a custodian of the region, not a party to the request, decides it",
    "password": "the password is wrong",
}


class StaffError(ValueError):
    """A staff operation was refused; `code` says why, `params` fill in the details."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MESSAGES.get(code, code).format(**params))


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
    must_change_password: bool = False,
) -> StaffUser:
    """Create a staff account with an Argon2id password hash and the given roles."""
    problem = password_problem(password, [username, display_name])
    if problem:
        raise StaffError(f"password_{problem}")
    _check_roles(roles)
    if session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
        raise StaffError("username_taken", username=username)
    user = StaffUser(
        username=username,
        display_name=display_name,
        password_hash=hasher.hash(password),
        region=region,
        roles=[StaffRole(role=r) for r in sorted(set(roles))],
        wants_custodian=wants_custodian,
        term_start=term_start,
        term_end=term_end,
        must_change_password=must_change_password,
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


def _check_roles(roles: list[str]) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise StaffError("unknown_role", roles=", ".join(sorted(unknown)))


def _require_within(actor: StaffUser, *regions: Region) -> None:
    """Refuse unless every region is the administrator's own node or below it."""
    if not all(in_jurisdiction(actor, r) for r in regions):
        raise StaffError("outside_jurisdiction")


def administer_new_user(
    session: Session,
    *,
    actor: StaffUser,
    username: str,
    display_name: str,
    password: str,
    region: Region,
    roles: list[str],
    wants_custodian: bool,
    term_start: date | None,
    term_end: date | None,
    hasher: PasswordHasher,
) -> tuple[StaffUser, StaffGrantRequest | None]:
    """Create an account as an administrator, within their subtree.

    The first password is one-time (the user replaces it before anything else), and roles
    that open case files, or the custodian right, wait for a custodian's approval.
    """
    from portal.grants import request_grant

    _require_within(actor, region)
    _check_roles(roles)
    user = create_staff_user(
        session,
        username=username,
        display_name=display_name,
        password=password,
        region=region,
        roles=sorted(set(roles) - CASE_FILE_ROLES),
        hasher=hasher,
        actor=f"staff:{actor.id}",
        term_start=term_start,
        term_end=term_end,
        must_change_password=True,
    )
    privileged = set(roles) & CASE_FILE_ROLES
    grant = None
    if privileged or wants_custodian:
        grant = request_grant(
            session, user, actor=actor, region=region, roles=privileged, custodian=wants_custodian
        )
    return user, grant


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
) -> StaffGrantRequest | None:
    """Change an account as an administrator; return the grant request a widening needs.

    Narrowing (removing roles or the custodian right, deactivating) applies at once.
    Widening what the account can read about reporters (a case-file role, the custodian
    right, or a move to another region while holding them) is asked of a custodian of the
    target region and applies only when one approves (`portal.grants.approve_grant`).
    Nobody changes their own roles, region, rights, term or state (docs/domain.md §1).
    """
    from portal.grants import pending_grant, request_grant

    _require_within(actor, user.region, region)
    _check_roles(roles)
    wanted = set(roles)
    if user.id == actor.id and (
        wanted != user.role_names
        or region.id != user.region_id
        or wants_custodian != user.wants_custodian
        or is_active != user.is_active
        or (term_start, term_end) != (user.term_start, user.term_end)
    ):
        raise StaffError("self_change")
    held = user.role_names & CASE_FILE_ROLES
    privileged = wanted & CASE_FILE_ROLES
    moving = region.id != user.region_id
    widening = bool(privileged - held) or (wants_custodian and not user.wants_custodian)
    if moving and (privileged or wants_custodian):
        widening = True
    grant = None
    earlier = pending_grant(session, user)
    if widening:
        grant = request_grant(
            session, user, actor=actor, region=region, roles=privileged, custodian=wants_custodian
        )
        # Until a custodian approves, the account keeps what it holds, less what was removed.
        privileged = held & privileged
        wants_custodian = wants_custodian and user.wants_custodian
        region = user.region
    elif earlier is not None:
        # A later change replaces the administrator's earlier wish.
        from portal.grants import cancel_grant

        cancel_grant(session, earlier, actor=actor)
    before = {
        "roles": sorted(user.role_names),
        "region": user.region.code,
        "active": user.is_active,
        "custodian": user.wants_custodian,
    }
    user.display_name = display_name
    set_rights(user, region=region, roles=(wanted - CASE_FILE_ROLES) | privileged)
    user.wants_custodian = wants_custodian
    retire_custodian_keys_if_moot(user)
    user.is_active = is_active
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
            "after": {
                "roles": sorted(user.role_names),
                "region": user.region.code,
                "active": is_active,
                "custodian": user.wants_custodian,
            },
            "grant_requested": grant.id if grant else None,
        },
    )
    return grant


def set_rights(user: StaffUser, *, region: Region, roles: set[str]) -> None:
    """Give `user` exactly `roles` in `region` (the caller has checked who may)."""
    user.region = region
    for held in list(user.roles):
        if held.role not in roles:
            user.roles.remove(held)
    for name in sorted(roles - user.role_names):
        user.roles.append(StaffRole(role=name))


def retire_custodian_keys_if_moot(user: StaffUser) -> None:
    """Retire custodian keys of another region, or all of them when the right is gone.

    A custodian key belongs to one region: moving or revoking retires it, and a new key
    is made from the user's own password at their next sign-in.
    """
    for key in user.custodian_keys:
        if key.retired_at is None and (not user.wants_custodian or key.region_id != user.region.id):
            key.retired_at = utcnow()
