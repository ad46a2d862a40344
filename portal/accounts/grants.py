"""Rights that open case files or identities: asked by an administrator, decided by a custodian.

An administrator manages accounts but must never be able to reach a reporter alone
(docs/domain.md §1, §7). So a case-file role, the custodian right, or a move of an account
holding them takes the approval of a custodian of the target region or above — another
person than the administrator who asked and than the account itself — who confirms with
their password. Every request and decision is audited, and every custodian of the region
is shown the changes at their next sign-in until they acknowledge them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.keys import unlock
from portal.accounts.models import CustodianKey, GrantStatus, StaffGrantRequest, StaffUser
from portal.accounts.rights import StaffError, retire_custodian_keys_if_moot, set_rights
from portal.accounts.roles import CASE_FILE_ROLES
from portal.crypto import DecryptionError
from portal.db import utcnow
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids

log = logging.getLogger(__name__)


def pending_grants_of(session: Session, users: Iterable[StaffUser]) -> dict[int, StaffGrantRequest]:
    """Return the pending request of each of `users` that has one, by user id."""
    ids = [u.id for u in users]
    rows = session.scalars(
        select(StaffGrantRequest).where(
            StaffGrantRequest.user_id.in_(ids), StaffGrantRequest.status == GrantStatus.PENDING
        )
    )
    return {g.user_id: g for g in rows}


def pending_grant(session: Session, user: StaffUser) -> StaffGrantRequest | None:
    """Return the account's request awaiting a decision, if any."""
    return session.scalar(
        select(StaffGrantRequest).where(
            StaffGrantRequest.user_id == user.id,
            StaffGrantRequest.status == GrantStatus.PENDING,
        )
    )


def request_grant(
    session: Session,
    user: StaffUser,
    *,
    actor: StaffUser,
    region: Region,
    roles: Iterable[str],
    custodian: bool,
) -> StaffGrantRequest:
    """Ask a custodian to give `user` these case-file roles (and the right) in `region`."""
    wanted = " ".join(sorted(set(roles) & CASE_FILE_ROLES))
    earlier = pending_grant(session, user)
    if earlier is not None:
        if (earlier.region_id, earlier.roles, earlier.custodian) == (region.id, wanted, custodian):
            return earlier  # the same wish saved again keeps its place
        cancel_grant(session, earlier, actor=actor)
    grant = StaffGrantRequest(
        user=user,
        requested_by=actor,
        region=region,
        roles=wanted,
        custodian=custodian,
        status=GrantStatus.PENDING,
        created_at=utcnow(),
    )
    session.add(grant)
    session.flush()
    audit.record(
        session,
        "staff.grant_requested",
        actor=f"staff:{actor.id}",
        subject=f"staff:{user.id}",
        details={
            "grant": grant.id,
            "region": region.code,
            "roles": wanted.split(),
            "custodian": custodian,
        },
    )
    log.info("grant %s requested for staff %s by staff %s", grant.id, user.id, actor.id)
    return grant


def cancel_grant(session: Session, grant: StaffGrantRequest, *, actor: StaffUser) -> None:
    """Withdraw a pending request (a later change of the account replaced it)."""
    grant.status = GrantStatus.CANCELLED
    grant.decided_by_id = actor.id
    grant.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        "staff.grant_cancelled",
        actor=f"staff:{actor.id}",
        subject=f"staff:{grant.user_id}",
        details={"grant": grant.id},
    )


def _custodian_key(user: StaffUser) -> CustodianKey | None:
    key = user.active_custodian_key()
    return key if key is not None and user.is_active else None


def can_decide_grant(grant: StaffGrantRequest, user: StaffUser) -> bool:
    """Return whether `user` is a custodian over the grant's region and neither party to it."""
    key = _custodian_key(user)
    return (
        grant.status is GrantStatus.PENDING
        and key is not None
        and user.id not in (grant.requested_by_id, grant.user_id)
        and any(r.id == key.region_id for r in grant.region.ancestors_and_self())
    )


def _decide(
    session: Session, grant: StaffGrantRequest, custodian: StaffUser, status: GrantStatus
) -> None:
    grant.status = status
    grant.decided_by_id = custodian.id
    grant.decided_at = utcnow()


def approve_grant(
    session: Session, grant: StaffGrantRequest, *, custodian: StaffUser, password: str
) -> None:
    """Approve with the custodian's password (it must open their custodian key); apply it."""
    if not can_decide_grant(grant, custodian):
        raise StaffError("grant_not_yours")
    key = _custodian_key(custodian)
    assert key is not None
    try:
        unlock(key, password)
    except DecryptionError as exc:
        raise StaffError("password") from exc
    user = grant.user
    before = {"roles": sorted(user.role_names), "region": user.region.code}
    kept = user.role_names - CASE_FILE_ROLES
    set_rights(user, region=grant.region, roles=kept | grant.role_set)
    user.wants_custodian = grant.custodian
    retire_custodian_keys_if_moot(user)
    _decide(session, grant, custodian, GrantStatus.APPROVED)
    session.flush()
    audit.record(
        session,
        "staff.grant_approved",
        actor=f"staff:{custodian.id}",
        subject=f"staff:{user.id}",
        details={
            "grant": grant.id,
            "requested_by": f"staff:{grant.requested_by_id}",
            "before": before,
            "after": {"roles": sorted(user.role_names), "region": grant.region.code},
            "custodian": grant.custodian,
        },
    )
    log.info("grant %s approved by staff %s", grant.id, custodian.id)


def refuse_grant(session: Session, grant: StaffGrantRequest, *, custodian: StaffUser) -> None:
    """Refuse a request; the account keeps what it held."""
    if not can_decide_grant(grant, custodian):
        raise StaffError("grant_not_yours")
    _decide(session, grant, custodian, GrantStatus.REFUSED)
    session.flush()
    audit.record(
        session,
        "staff.grant_refused",
        actor=f"staff:{custodian.id}",
        subject=f"staff:{grant.user_id}",
        details={"grant": grant.id},
    )


def _custodian_region_ids(session: Session, user: StaffUser) -> list[int]:
    key = _custodian_key(user)
    return subtree_ids(session, key.region_id) if key is not None else []


def list_access_changes(
    session: Session, user: StaffUser, limit: int = 100
) -> list[StaffGrantRequest]:
    """Return the requests of the custodian's region and below, newest first."""
    regions = _custodian_region_ids(session, user)
    if not regions:
        return []
    return list(
        session.scalars(
            select(StaffGrantRequest)
            .where(StaffGrantRequest.region_id.in_(regions))
            .order_by(StaffGrantRequest.id.desc())
            .limit(limit)
        )
    )


def last_change_at(grant: StaffGrantRequest) -> datetime:
    """Return when the request last changed (asked or decided)."""
    return grant.decided_at or grant.created_at


def has_unseen_access_changes(session: Session, user: StaffUser) -> bool:
    """Return whether a custodian has requests or decisions they have not acknowledged."""
    regions = _custodian_region_ids(session, user)
    if not regions:
        return False
    query = select(StaffGrantRequest.id).where(StaffGrantRequest.region_id.in_(regions))
    seen = user.access_changes_seen_at
    if seen is not None:
        query = query.where(
            or_(StaffGrantRequest.created_at > seen, StaffGrantRequest.decided_at > seen)
        )
    return session.scalar(query.limit(1)) is not None


def acknowledge_access_changes(session: Session, user: StaffUser) -> None:
    """Record that the custodian has read the changes listed so far."""
    user.access_changes_seen_at = utcnow()
    session.flush()
    audit.record(
        session, "staff.access_changes_seen", actor=f"staff:{user.id}", subject=f"staff:{user.id}"
    )
