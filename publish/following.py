"""Following for social supervisors: regions and violation types, an on-site list, a private feed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from intake.catalog import VIOLATION_CODES
from portal import audit
from portal.auth import within_term
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.models import StaffUser, get_region_by_code
from portal.timeutil import today_in_china
from publish.cases import CaseFilters, list_published
from publish.models import Disclosure, FeedToken, Follow, TypicalCase


class FollowError(ValueError):
    """A follow was refused; the message is a code for the view."""


def follow(session: Session, user: StaffUser, kind: str, code: str) -> Follow:
    """Follow a region (and everything below it) or a violation type."""
    if not user.has_role("social_supervisor"):
        raise FollowError("role")
    if kind == "region" and get_region_by_code(session, code) is None:
        raise FollowError("code")
    if kind == "violation" and code not in VIOLATION_CODES:
        raise FollowError("code")
    if kind not in {"region", "violation"}:
        raise FollowError("kind")
    existing = session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.kind == kind, Follow.code == code)
    )
    if existing is not None:
        return existing
    row = Follow(user_id=user.id, kind=kind, code=code)
    session.add(row)
    session.flush()
    return row


def unfollow(session: Session, user: StaffUser, follow_id: int) -> None:
    """Stop following one item (only one's own)."""
    session.execute(delete(Follow).where(Follow.id == follow_id, Follow.user_id == user.id))


def list_follows(session: Session, user: StaffUser) -> list[Follow]:
    """Return what `user` follows."""
    return list(
        session.scalars(
            select(Follow).where(Follow.user_id == user.id).order_by(Follow.kind, Follow.code)
        )
    )


@dataclass(frozen=True)
class FollowedItems:
    """New cases and disclosures in what a supervisor follows, newest first."""

    cases: list[TypicalCase]
    disclosures: list[Disclosure]


def followed_items(session: Session, user: StaffUser, limit: int = 30) -> FollowedItems:
    """Return published cases and disclosures matching any of the user's follows."""
    follows = list_follows(session, user)
    seen: dict[int, TypicalCase] = {}
    for f in follows:
        if f.kind == "region":
            filters = CaseFilters(region=get_region_by_code(session, f.code))
        else:
            filters = CaseFilters(violation=f.code)
        for case in list_published(session, filters, page=1, per_page=limit)[0]:
            seen[case.id] = case
    cases = sorted(seen.values(), key=lambda c: (c.published_at, c.id), reverse=True)[:limit]
    region_codes = [f.code for f in follows if f.kind == "region"]
    disclosures: list[Disclosure] = []
    if region_codes:
        # A followed region's own disclosures and those of the regions below it.
        prefixes = [code.rstrip("0") or code for code in region_codes]
        disclosures = list(
            session.scalars(
                select(Disclosure)
                .where(or_(*[Disclosure.region_key.like(f"{p}%") for p in prefixes]))
                .order_by(Disclosure.updated_at.desc())
                .limit(limit)
            )
        )
    return FollowedItems(cases, disclosures)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(session: Session, user: StaffUser, cipher: DataCipher) -> str:
    """Create a private feed token, revoking the previous one, and return it."""
    if not user.has_role("social_supervisor"):
        raise FollowError("role")
    revoke_feed_token(session, user)
    token = secrets.token_urlsafe(24)
    session.add(
        FeedToken(
            user_id=user.id,
            token_hash=_hash(token),
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


def current_feed_token(session: Session, user: StaffUser, cipher: DataCipher) -> str | None:
    """Return the user's active token, to show their feed URL again."""
    row = session.scalar(
        select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))
    )
    return None if row is None else cipher.decrypt_text(row.token_enc, f"feed-token:{user.id}")


def user_for_token(session: Session, token: str) -> StaffUser | None:
    """Return the active supervisor a feed token belongs to, or None."""
    row = session.scalar(
        select(FeedToken).where(
            FeedToken.token_hash == _hash(token), FeedToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    user = session.get(StaffUser, row.user_id)
    if (
        user is None
        or not user.is_active
        or not user.has_role("social_supervisor")
        or not within_term(user, today_in_china())
    ):
        return None
    return user
