"""Sealing a reporter's identity to the custodians and the recovery key (docs/domain.md §7)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.identity.models import IdentityGrant, IdentitySeal
from intake.identity.person import ReporterIdentity
from intake.models import Report
from portal.accounts.models import CustodianKey, get_active_recovery_key
from portal.crypto import (
    DecryptionError,
    LockedPrivateKey,
    envelope_decrypt,
    envelope_encrypt,
    new_envelope_key,
    seal_to,
    unlock_private_key,
    unseal,
)
from portal.errors import OperationError


class SealingUnavailable(OperationError):
    """No recovery key is configured, so an identity could not be sealed safely."""

    status = 503

    def __init__(self) -> None:
        super().__init__("sealing_unavailable")


def custodian_keys_for(session: Session, report: Report) -> list[CustodianKey]:
    """Return the active custodian keys of the report's jurisdiction and its ancestors."""
    region_ids = [r.id for r in report.region.ancestors_and_self()]
    return list(
        session.scalars(
            select(CustodianKey)
            .where(CustodianKey.region_id.in_(region_ids), CustodianKey.retired_at.is_(None))
            .order_by(CustodianKey.id)
        )
    )


def seal_identity(
    session: Session, report: Report, identity: ReporterIdentity, purpose: str = "report"
) -> IdentitySeal:
    """Encrypt `identity` for the report's custodians and the recovery key, and add it."""
    recovery = get_active_recovery_key(session)
    if recovery is None:
        # Without the recovery key an identity could become unreadable for good.
        # The operator must first run `flask --app portal create-recovery-key`.
        raise SealingUnavailable
    envelope_key = new_envelope_key()
    seal = IdentitySeal(
        purpose=purpose, ciphertext=envelope_encrypt(envelope_key, identity.to_bytes())
    )
    seal.grants.append(
        IdentityGrant(
            recovery_key_id=recovery.id, sealed_key=seal_to(recovery.public_key, envelope_key)
        )
    )
    for key in custodian_keys_for(session, report):
        seal.grants.append(
            IdentityGrant(custodian_key_id=key.id, sealed_key=seal_to(key.public_key, envelope_key))
        )
    seal.report_id = report.id
    session.add(seal)
    return seal


def open_with_custodian_password(
    session: Session, seal: IdentitySeal, custodian_key: CustodianKey, password: str
) -> ReporterIdentity:
    """Open a seal with a custodian's password, or raise DecryptionError."""
    grant = session.scalar(
        select(IdentityGrant).where(
            IdentityGrant.seal_id == seal.id, IdentityGrant.custodian_key_id == custodian_key.id
        )
    )
    if grant is None:
        raise DecryptionError("this identity was not sealed for this custodian")
    private = unlock_private_key(
        LockedPrivateKey(
            custodian_key.locked_private_key,
            custodian_key.kdf_salt,
            custodian_key.kdf_opslimit,
            custodian_key.kdf_memlimit,
        ),
        password,
    )
    return ReporterIdentity.from_bytes(
        envelope_decrypt(unseal(private, grant.sealed_key), seal.ciphertext)
    )


def open_with_recovery_key(seal: IdentitySeal, recovery_private_key: bytes) -> ReporterIdentity:
    """Open a seal with the offline recovery private key, or raise DecryptionError."""
    for grant in seal.grants:
        if grant.recovery_key_id is None:
            continue
        try:
            envelope_key = unseal(recovery_private_key, grant.sealed_key)
        except DecryptionError:
            continue
        return ReporterIdentity.from_bytes(envelope_decrypt(envelope_key, seal.ciphertext))
    raise DecryptionError("this identity was not sealed for that recovery key")
