"""Staff passwords: what is refused, how a sign-in is checked, and changing one's own."""

from __future__ import annotations

import contextlib
import logging
import secrets
from datetime import date

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.keys import lock_columns, unlock
from portal.accounts.models import CustodianKey, StaffKey, StaffUser, within_term
from portal.accounts.sessions import end_all_sessions
from portal.crypto import KdfParams
from portal.db import utcnow

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12


def password_problem(password: str, user_inputs: list[str]) -> str | None:
    """Return why `password` is refused ("length" or "weak"), or None if it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "length"
    # zxcvbn knows the common-password lists and keyboard patterns; 3 is "safely unguessable".
    # Imported on first use: its dictionaries cost each worker about 13 MB.
    from zxcvbn import zxcvbn

    if zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])["score"] < 3:
        return "weak"
    return None


class _Decoy:
    """A hash of a random password, so an unknown username costs as much as a wrong password."""

    value: str | None = None


def authenticate(
    session: Session, username: str, password: str, hasher: PasswordHasher, today: date
) -> StaffUser | None:
    """Return the active user with this username and password, or None; rehash when due."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
    if user is None:
        if _Decoy.value is None:
            _Decoy.value = hasher.hash(secrets.token_hex(16))
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_Decoy.value, password)
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if not user.is_active or not within_term(user, today):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def change_password(
    session: Session,
    user: StaffUser,
    current: str,
    new: str,
    *,
    hasher: PasswordHasher,
    kdf: KdfParams,
) -> None:
    """Set a new password, re-lock the user's private keys under it, and end all their sessions."""
    keys: list[CustodianKey | StaffKey] = [*user.personal_keys, *user.custodian_keys]
    for key in keys:
        if key.retired_at is None:
            private = unlock(key, current)
            for name, value in lock_columns(new, kdf, private).items():
                setattr(key, name, value)
    user.password_hash = hasher.hash(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_all_sessions(session, user)
    audit.record(
        session, "staff.password_changed", actor=f"staff:{user.id}", subject=f"staff:{user.id}"
    )
    session.flush()
    log.info("staff user %s changed their password; all sessions ended", user.id)
