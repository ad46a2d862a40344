"""Key pairs locked by their owner's password: personal, custodian and the recovery key."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import CustodianKey, RecoveryKey, StaffKey, StaffUser
from portal.crypto import (
    KdfParams,
    LockedPrivateKey,
    fingerprint,
    generate_keypair,
    lock_private_key,
    unlock_private_key,
)
from portal.db import utcnow

log = logging.getLogger(__name__)


def lock_columns(password: str, kdf: KdfParams, private: bytes) -> dict[str, Any]:
    locked = lock_private_key(private, password, kdf)
    return {
        "locked_private_key": locked.ciphertext,
        "kdf_salt": locked.salt,
        "kdf_opslimit": locked.opslimit,
        "kdf_memlimit": locked.memlimit,
    }


def unlock(key: CustodianKey | StaffKey, password: str) -> bytes:
    """Return the private half of `key`, or raise DecryptionError for a wrong password."""
    return unlock_private_key(
        LockedPrivateKey(key.locked_private_key, key.kdf_salt, key.kdf_opslimit, key.kdf_memlimit),
        password,
    )


def ensure_keys(session: Session, user: StaffUser, password: str, kdf: KdfParams) -> None:
    """Make the user's personal key, and their custodian key if granted, when missing.

    Only the user's password can lock a private key, so keys are made when they sign in.
    """
    if user.active_personal_key() is None:
        public, private = generate_keypair()
        user.personal_keys.append(
            StaffKey(public_key=public, **lock_columns(password, kdf, private))
        )
    if user.wants_custodian and user.active_custodian_key() is None:
        public, private = generate_keypair()
        key = CustodianKey(
            region_id=user.region_id, public_key=public, **lock_columns(password, kdf, private)
        )
        user.custodian_keys.append(key)
        session.flush()
        audit.record(
            session,
            "custodian.key_created",
            actor=f"staff:{user.id}",
            subject=f"staff:{user.id}",
            details={"custodian_key": key.id},
        )
    session.flush()


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
