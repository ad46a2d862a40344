"""Following regions and violation types, and the secret address of one's private feed.

Plain functions that check, change, record and flush; the request commits.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.catalog import VIOLATION_CODES
from portal import audit
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.errors import OperationError
from portal.jurisdictions.models import get_region_by_code
from publish.following.models import FeedToken, Follow

log = logging.getLogger(__name__)

FOLLOWER = "social_supervisor"


class FollowError(OperationError):
    """Following was refused; `code` says why (words: publish/messages.py)."""


def token_hash(token: str) -> str:
    """Return the hash a private feed token is looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def follow(session: Session, user: StaffUser, kind: str, code: str) -> Follow:
    """Follow a region (and everything below it) or a violation type."""
    if not user.has_role(FOLLOWER):
        raise FollowError("role")
    known = (kind == "region" and get_region_by_code(session, code) is not None) or (
        kind == "violation" and code in VIOLATION_CODES
    )
    if not known:
        raise FollowError("follow_choice")
    existing = session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.kind == kind, Follow.code == code)
    )
    if existing is not None:
        return existing
    row = Follow(user_id=user.id, kind=kind, code=code)
    session.add(row)
    session.flush()
    log.info("staff %s follows %s %s", user.id, kind, code)
    return row


def unfollow(session: Session, user: StaffUser, follow_id: int) -> None:
    """Stop following one item (only one's own)."""
    session.execute(delete(Follow).where(Follow.id == follow_id, Follow.user_id == user.id))
    log.info("staff %s stopped following %s", user.id, follow_id)


def new_feed_token(session: Session, user: StaffUser, cipher: DataCipher) -> str:
    """Create a private feed token, revoking the previous one, and return it."""
    if not user.has_role(FOLLOWER):
        raise FollowError("role")
    revoke_feed_token(session, user)
    token = secrets.token_urlsafe(24)
    session.add(
        FeedToken(
            user_id=user.id,
            token_hash=token_hash(token),
            token_enc=cipher.encrypt_text(token, f"feed-token:{user.id}"),
        )
    )
    session.flush()
    audit.record(
        session, "follow.feed_token_created", actor=f"staff:{user.id}", subject=f"staff:{user.id}"
    )
    return token


def revoke_feed_token(session: Session, user: StaffUser) -> None:
    """Revoke the user's private feed URL."""
    for row in session.scalars(
        select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))
    ):
        row.revoked_at = utcnow()
        audit.record(
            session,
            "follow.feed_token_revoked",
            actor=f"staff:{user.id}",
            subject=f"staff:{user.id}",
        )
