"""Server-side staff sessions: the cookie holds a random token, the row only its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from portal.accounts.models import StaffSession, StaffUser, within_term
from portal.db import utcnow
from portal.timeutil import today_in_china

# The staff cookie: HttpOnly, SameSite=Strict, scoped to /staff.
STAFF_COOKIE = "portal_staff"
# A session's last activity is written at most this often: writing it on every request made
# every staff page a write that waits for the disk at commit (bench/README.md). The idle
# expiry is thus 30 minutes of no request, give or take this minute.
LAST_SEEN_STEP = timedelta(minutes=1)


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
    """Return the live session of `token`, sliding its idle expiry; None when expired or unknown.

    A session ends with its account's term too (docs/domain.md §1): a social supervisor
    signed in on the last day of their term is signed out the day after.
    """
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
        or not within_term(row.user, today_in_china())
    ):
        session.delete(row)
        session.flush()
        return None
    if now - row.last_seen_at >= LAST_SEEN_STEP:
        row.last_seen_at = now
    return row


def end_staff_session(session: Session, token: str | None) -> None:
    """End one staff session (sign out)."""
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))


def end_all_sessions(session: Session, user: StaffUser) -> None:
    """End every session of `user` (after a password change or deactivation)."""
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def set_staff_cookie(response: Response, token: str) -> Response:
    """Give the browser its session token: HttpOnly, SameSite=Strict, only for /staff."""
    response.set_cookie(
        STAFF_COOKIE,
        token,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Strict",
        path="/staff",
    )
    return response


def forget_staff_cookie(response: Response) -> Response:
    """Tell the browser to drop its session token (the row is ended by the caller)."""
    response.delete_cookie(STAFF_COOKIE, path="/staff")
    return response
