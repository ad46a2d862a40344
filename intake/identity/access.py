"""Opening a sealed identity: request with a reason, a custodian's approval, the asker's read."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.identity.models import (
    AccessRequestStatus,
    IdentityAccessRequest,
    IdentityGrant,
    IdentitySeal,
)
from intake.identity.person import ReporterIdentity
from intake.identity.sealing import custodian_keys_for
from intake.models import ActorKind, Report, ReportEvent, report_context
from intake.office.workflow import CASE_STAFF, WorkflowError
from portal import audit
from portal.accounts.keys import unlock
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher, DecryptionError, envelope_decrypt, seal_to, unseal
from portal.db import utcnow
from portal.jurisdictions.tree import in_jurisdiction

log = logging.getLogger(__name__)


def seals_of(session: Session, report: Report) -> list[IdentitySeal]:
    """Return the report's sealed identities (at submission, and any given to claim a reward)."""
    return list(
        session.scalars(
            select(IdentitySeal)
            .where(IdentitySeal.report_id == report.id)
            .order_by(IdentitySeal.id)
        )
    )


def request_access(
    session: Session,
    report: Report,
    seal: IdentitySeal,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
) -> IdentityAccessRequest:
    """Ask to read one sealed identity, giving a reason."""
    if seal.report_id != report.id:
        raise WorkflowError("seal")
    # Reward officers need the identity given to claim a reward, and only that one.
    allowed = CASE_STAFF if seal.purpose == "report" else CASE_STAFF | {"reward_officer"}
    if not actor.has_role(*allowed) or not in_jurisdiction(actor, report.region):
        raise WorkflowError("role")
    if not reason.strip():
        raise WorkflowError("reason")
    if actor.active_personal_key() is None:
        raise WorkflowError("no_key")
    pending = session.scalar(
        select(IdentityAccessRequest.id).where(
            IdentityAccessRequest.seal_id == seal.id,
            IdentityAccessRequest.requester_id == actor.id,
            IdentityAccessRequest.status == AccessRequestStatus.PENDING,
        )
    )
    if pending is not None:
        raise WorkflowError("exists")
    req = IdentityAccessRequest(
        report_id=report.id, seal_id=seal.id, requester_id=actor.id, reason_enc=b""
    )
    session.add(req)
    session.flush()
    req.reason_enc = cipher.encrypt_text(
        reason.strip(), report_context(report.case_number, f"access:{req.id}")
    )
    audit.record(
        session,
        "identity.requested",
        actor=f"staff:{actor.id}",
        subject=f"report:{report.case_number}",
        details={"request": req.id, "purpose": seal.purpose},
    )
    return req


def request_reason(req: IdentityAccessRequest, cipher: DataCipher) -> str:
    """Return the decrypted reason of a request."""
    return cipher.decrypt_text(
        req.reason_enc, report_context(req.report.case_number, f"access:{req.id}")
    )


def can_decide(session: Session, req: IdentityAccessRequest, user: StaffUser) -> bool:
    """Return whether `user` is a custodian holding this seal who did not ask for it."""
    key = user.active_custodian_key()
    if key is None or user.id == req.requester_id:
        return False
    return key.id in {k.id for k in custodian_keys_for(session, req.report)} and any(
        g.custodian_key_id == key.id for g in req.seal.grants
    )


def get_visible_request(
    session: Session, request_id: int, user: StaffUser
) -> IdentityAccessRequest | None:
    """Return a request its asker or a custodian who may decide it may see, else None."""
    req = session.get(IdentityAccessRequest, request_id)
    if req is None or not (req.requester_id == user.id or can_decide(session, req, user)):
        return None
    return req


def list_decidable_requests(session: Session, user: StaffUser) -> list[IdentityAccessRequest]:
    """Return the pending requests `user` may decide as a custodian, oldest first."""
    pending = session.scalars(
        select(IdentityAccessRequest)
        .where(IdentityAccessRequest.status == AccessRequestStatus.PENDING)
        .order_by(IdentityAccessRequest.id)
    )
    return [r for r in pending if can_decide(session, r, user)]


def list_own_requests(session: Session, user: StaffUser) -> list[IdentityAccessRequest]:
    """Return the requests `user` made, newest first."""
    return list(
        session.scalars(
            select(IdentityAccessRequest)
            .where(IdentityAccessRequest.requester_id == user.id)
            .order_by(IdentityAccessRequest.id.desc())
        )
    )


def approve_access(
    session: Session, req: IdentityAccessRequest, *, custodian: StaffUser, password: str
) -> None:
    """Approve: open the envelope key with the custodian's password and seal it to the asker."""
    if req.status is not AccessRequestStatus.PENDING:
        raise WorkflowError("stage")
    if custodian.id == req.requester_id:
        # Nobody approves their own request (docs/domain.md §7).
        raise WorkflowError("same_person")
    if not can_decide(session, req, custodian):
        raise WorkflowError("role")
    key = custodian.active_custodian_key()
    assert key is not None
    grant = next(g for g in req.seal.grants if g.custodian_key_id == key.id)
    try:
        envelope_key = unseal(unlock(key, password), grant.sealed_key)
    except DecryptionError as exc:
        raise WorkflowError("password") from exc
    target = req.requester.active_personal_key()
    if target is None:
        raise WorkflowError("no_key")
    req.seal.grants.append(
        IdentityGrant(
            staff_key_id=target.id,
            access_request_id=req.id,
            sealed_key=seal_to(target.public_key, envelope_key),
        )
    )
    req.status = AccessRequestStatus.APPROVED
    req.decided_by_id = custodian.id
    req.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        "identity.approved",
        actor=f"staff:{custodian.id}",
        subject=f"report:{req.report.case_number}",
        details={"request": req.id, "requester": f"staff:{req.requester_id}"},
    )


def refuse_access(session: Session, req: IdentityAccessRequest, *, custodian: StaffUser) -> None:
    """Refuse a request."""
    if req.status is not AccessRequestStatus.PENDING:
        raise WorkflowError("stage")
    if custodian.id == req.requester_id or not can_decide(session, req, custodian):
        raise WorkflowError("role")
    req.status = AccessRequestStatus.REFUSED
    req.decided_by_id = custodian.id
    req.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        "identity.refused",
        actor=f"staff:{custodian.id}",
        subject=f"report:{req.report.case_number}",
        details={"request": req.id},
    )


def read_identity(
    session: Session, req: IdentityAccessRequest, *, actor: StaffUser, password: str
) -> ReporterIdentity:
    """Read an approved identity with the asker's own password; every read is audited."""
    if actor.id != req.requester_id or req.status is not AccessRequestStatus.APPROVED:
        raise WorkflowError("role")
    grant = session.scalar(select(IdentityGrant).where(IdentityGrant.access_request_id == req.id))
    assert grant is not None and grant.staff_key_id is not None
    key = next((k for k in actor.personal_keys if k.id == grant.staff_key_id), None)
    if key is None:
        raise WorkflowError("no_key")
    try:
        identity = ReporterIdentity.from_bytes(
            envelope_decrypt(unseal(unlock(key, password), grant.sealed_key), req.seal.ciphertext)
        )
    except DecryptionError as exc:
        raise WorkflowError("password") from exc
    req.read_count += 1
    if req.read_count == 1:
        # The reporter sees that their identity was opened, when, and by which office.
        req.report.events.append(
            ReportEvent(
                kind="identity_opened",
                stage_after=req.report.stage,
                actor_kind=ActorKind.STAFF,
                actor_staff_id=actor.id,
                is_public=True,
                detail=actor.region.code,
                created_at=utcnow(),
            )
        )
    session.flush()
    audit.record(
        session,
        "identity.read",
        actor=f"staff:{actor.id}",
        subject=f"report:{req.report.case_number}",
        details={"request": req.id, "read": req.read_count},
    )
    log.info("identity of report %s read by staff %s", req.report.case_number, actor.id)
    return identity


def reseal_for_new_custodians(session: Session, recovery_private_key: bytes) -> int:
    """With the recovery key, grant every sealed identity to custodians who lack it; return how many.

    Custodians appointed after a report was filed, or of a region a report was moved to,
    hold no grant for it until this runs (`flask --app portal reseal-identities`).
    """
    added = 0
    for seal in session.scalars(select(IdentitySeal).order_by(IdentitySeal.id)):
        report = session.get(Report, seal.report_id)
        assert report is not None
        have = {g.custodian_key_id for g in seal.grants if g.custodian_key_id is not None}
        missing = [k for k in custodian_keys_for(session, report) if k.id not in have]
        if not missing:
            continue
        envelope_key = None
        for grant in seal.grants:
            if grant.recovery_key_id is None:
                continue
            try:
                envelope_key = unseal(recovery_private_key, grant.sealed_key)
                break
            except DecryptionError:
                continue
        if envelope_key is None:
            continue
        for key in missing:
            seal.grants.append(
                IdentityGrant(
                    custodian_key_id=key.id, sealed_key=seal_to(key.public_key, envelope_key)
                )
            )
            added += 1
    session.flush()
    audit.record(session, "identity.resealed", actor="cli", details={"grants_added": added})
    return added
