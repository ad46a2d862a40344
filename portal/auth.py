"""Staff sign-in: passwords, TOTP, server-side sessions, and the access policy of staff routes.

A staff browser holds only a random token in a cookie scoped to /staff; the session row
keeps its hash. Signing in is two steps (password, then a TOTP code) and the token is
replaced when the second step succeeds, so a token seen before sign-in is worthless.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, g, redirect, request, url_for
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import audit
from portal.attempts import PerClient, PerSubject, guard_guesses
from portal.crypto import (
    KdfParams,
    LockedPrivateKey,
    generate_keypair,
    lock_private_key,
    unlock_private_key,
)
from portal.db import utcnow
from portal.models import CustodianKey, Region, StaffKey, StaffSession, StaffUser
from portal.security import client_key, keyed_digest

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
TOTP_ISSUER = "医保基金监管"
# A code from the previous or next 30-second step is accepted, for clocks a little off.
TOTP_WINDOW = 1


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


def within_term(user: StaffUser, today: date) -> bool:
    """Return whether a social supervisor is within their term (others always are)."""
    if user.term_start and today < user.term_start:
        return False
    return not (user.term_end and today > user.term_end)


def _lock_columns(password: str, kdf: KdfParams, private: bytes) -> dict[str, Any]:
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
            StaffKey(public_key=public, **_lock_columns(password, kdf, private))
        )
    if user.wants_custodian and user.active_custodian_key() is None:
        public, private = generate_keypair()
        key = CustodianKey(
            region_id=user.region_id, public_key=public, **_lock_columns(password, kdf, private)
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


def token_hash(token: str) -> str:
    """Return the stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_staff_session(session: Session, user: StaffUser, *, second_factor_done: bool) -> str:
    """Create a staff session and return its token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=token_hash(token), user_id=user.id, second_factor_done=second_factor_done
        )
    )
    session.flush()
    return token


def load_staff_session(
    session: Session, token: str | None, *, idle_seconds: int, absolute_seconds: int
) -> StaffSession | None:
    """Return the live session of `token`, sliding its idle expiry; None when expired or unknown."""
    if not token:
        return None
    now = utcnow()
    row = session.get(StaffSession, token_hash(token))
    if row is None:
        return None
    if (
        row.last_seen_at < now - timedelta(seconds=idle_seconds)
        or row.created_at < now - timedelta(seconds=absolute_seconds)
        or not row.user.is_active
    ):
        session.delete(row)
        session.flush()
        return None
    row.last_seen_at = now
    return row


def end_staff_session(session: Session, token: str | None) -> None:
    """End one staff session (sign out)."""
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))


def end_all_sessions(session: Session, user: StaffUser) -> None:
    """End every session of `user` (after a password change or deactivation)."""
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def new_totp_secret() -> str:
    """Return a new base32 TOTP secret."""
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the enrolment QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def accept_totp(secret: str, code: str, last_step: int) -> int | None:
    """Return the time step `code` belongs to if it is valid and newer than `last_step`.

    A code that was accepted once (or any older one) is refused, so a code seen over a
    shoulder or replayed from a log cannot be used again.
    """
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for offset in range(-TOTP_WINDOW, TOTP_WINDOW + 1):
        step = current + offset
        if step > last_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


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
    for key in [*user.personal_keys, *user.custodian_keys]:
        if key.retired_at is None:
            private = unlock(key, current)
            for name, value in _lock_columns(new, kdf, private).items():
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


# --- jurisdictions -------------------------------------------------------------------


def in_jurisdiction(user: StaffUser, region: Region) -> bool:
    """Return whether `region` is the user's home node or below it (分级办理, domain.md §1)."""
    return any(r.id == user.region_id for r in region.ancestors_and_self())


def subtree_ids(session: Session, root_id: int) -> list[int]:
    """Return the ids of `root_id` and every region below it."""
    pairs = session.execute(select(Region.id, Region.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for rid, parent in pairs:
        children.setdefault(parent, []).append(rid)
    found, todo = [], [root_id]
    while todo:
        rid = todo.pop()
        found.append(rid)
        todo.extend(children.get(rid, []))
    return found


# --- route policies ------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Who may use a staff route: nobody signed in, half signed in, or holders of roles."""

    kind: str  # "anonymous", "password_step" or "staff"
    roles: frozenset[str] = frozenset()

    def allows(self, user: StaffUser) -> bool:
        """Return whether a fully signed-in `user` passes the role part of this policy."""
        return not self.roles or user.has_role(*self.roles)


def current_staff() -> StaffUser | None:
    """Return the fully signed-in staff user of this request, if any."""
    row: StaffSession | None = g.get("staff_session")
    if row is None or not row.second_factor_done:
        return None
    return row.user


def _declare(view: Callable[..., Any], policy: Policy) -> Callable[..., Any]:
    view.policy = policy  # type: ignore[attr-defined]
    return view


def anonymous_route(view: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a staff route open to anyone (the sign-in page)."""
    return _declare(view, Policy("anonymous"))


def password_step_route(view: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a route for a user who has given their password but not yet a TOTP code."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("staff_session") is None:
            return redirect(url_for("staff.login"))
        return view(*args, **kwargs)

    return _declare(wrapper, Policy("password_step"))


def staff_route(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a route for signed-in staff holding any of `roles` (any staff if none given)."""
    policy = Policy("staff", frozenset(roles))

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                if request.method == "GET":
                    return redirect(url_for("staff.login", next=request.path))
                abort(401)
            if not policy.allows(user):
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapper, policy)

    return decorate


# --- guessing limits on staff secrets (portal/attempts.py) ----------------------------


def session_account() -> str:
    """The account of this (half or fully) signed-in browser, as a key that reveals nothing."""
    row = g.get("staff_session")
    return keyed_digest("login-account", row.user.username.lower() if row is not None else "")


CLIENT_GUESSES = PerClient("login-client", "RATELIMIT_LOGIN_CLIENT", client_key)
CODE_GUESSES = guard_guesses(
    CLIENT_GUESSES, PerSubject("code", "RATELIMIT_LOGIN_ACCOUNT_TRIES", session_account)
)
# Re-entering one's password (to change it, open a key, approve) counts like signing in.
PASSWORD_GUESSES = guard_guesses(
    CLIENT_GUESSES, PerSubject("password", "RATELIMIT_LOGIN_ACCOUNT_TRIES", session_account)
)
