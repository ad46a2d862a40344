"""Operations on staff accounts, and an administrator's bounds over them (docs/domain.md §1)."""

from __future__ import annotations

import logging
from collections.abc import Set as AbstractSet
from datetime import date

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.grants import cancel_grant, pending_grant, request_grant
from portal.accounts.models import StaffGrantRequest, StaffRole, StaffUser
from portal.accounts.passwords import MIN_PASSWORD_LENGTH, password_problem
from portal.accounts.rights import StaffError, retire_custodian_keys_if_moot, set_rights
from portal.accounts.roles import CASE_FILE_ROLES, ROLES
from portal.accounts.sessions import end_all_sessions
from portal.accounts.supervisors import (
    SupervisorFields,
    differs,
    profile_of,
    set_supervisor_profile,
    touch_profile,
)
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction
from portal.mailbox import normalize_email
from portal.notices.outbox import withdraw_pending

log = logging.getLogger(__name__)


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
    email: str | None = None,
) -> StaffUser:
    """Create a staff account with an Argon2id password hash and the given roles."""
    problem = password_problem(password, [username, display_name])
    if problem:
        raise StaffError(f"password_{problem}", n=MIN_PASSWORD_LENGTH)
    _check_roles(roles)
    address = _address(email)
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
        email=address,
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


def _address(email: str | None) -> str | None:
    """Return the address to store (None for none), refusing one no notice could reach."""
    if email is None or not email.strip():
        return None
    address = normalize_email(email)
    if address is None:
        raise StaffError("email_invalid")
    return address


def set_notice_settings(
    session: Session, user: StaffUser, *, email: str | None, digest_enabled: bool
) -> None:
    """Set where a staff member is told things and whether they get the digest (§10).

    Only the person themselves does this. A changed or removed address withdraws what was
    still waiting to go to the old one. Audited without the address itself.
    """
    address = _address(email)
    if address == user.email:
        change = "kept" if address else "none"
    else:
        change = "removed" if address is None else ("added" if user.email is None else "changed")
        withdraw_pending(session, f"staff:{user.id}")
    user.email = address
    user.digest_enabled = digest_enabled
    session.flush()
    audit.record(
        session,
        "staff.notices_changed",
        actor=f"staff:{user.id}",
        subject=f"staff:{user.id}",
        details={"email": change, "digest": digest_enabled},
    )
    log.info("staff user %s changed their notice settings", user.id)


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
    email: str | None = None,
    supervisor: SupervisorFields | None = None,
) -> tuple[StaffUser, StaffGrantRequest | None]:
    """Create an account as an administrator, within their subtree.

    The first password is one-time (the user replaces it before anything else), and roles
    that open case files, or the custodian right, wait for a custodian's approval.
    """
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
        email=email,
    )
    if supervisor is not None:
        # Category, organisation and the roster decision at appointment (docs/domain.md §14).
        set_supervisor_profile(session, user, supervisor, actor=f"staff:{actor.id}")
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
    supervisor: SupervisorFields | None = None,
) -> StaffGrantRequest | None:
    """Change an account as an administrator; return the grant request a widening needs.

    Narrowing (removing roles or the custodian right, deactivating) applies at once.
    Widening what the account can read about reporters (a case-file role, the custodian
    right, or a move to another region while holding them) is asked of a custodian of the
    target region and applies only when one approves (`portal.grants.approve_grant`).
    Nobody changes their own roles, region, rights, term or state (docs/domain.md §1).
    """
    _require_within(actor, user.region, region)
    _check_roles(roles)
    wanted = set(roles)
    if user.id == actor.id and (
        wanted != user.role_names
        or region.id != user.region_id
        or wants_custodian != user.wants_custodian
        or is_active != user.is_active
        or (term_start, term_end) != (user.term_start, user.term_end)
        or (supervisor is not None and differs(profile_of(session, user), supervisor))
    ):
        raise StaffError("self_change")
    held = user.role_names & CASE_FILE_ROLES
    privileged: AbstractSet[str] = wanted & CASE_FILE_ROLES
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
    if supervisor is not None and differs(profile_of(session, user), supervisor):
        set_supervisor_profile(session, user, supervisor, actor=f"staff:{actor.id}")
    else:
        # The roster shows the name, term and state: any change drops its cached pages.
        touch_profile(session, user)
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
