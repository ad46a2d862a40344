"""Reading what a social supervisor follows: the follows, what is new there, the private feed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import StaffUser, within_term
from portal.crypto import DataCipher
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from publish.cases.models import TypicalCase
from publish.cases.queries import CaseFilters, list_published
from publish.disclosures.models import Disclosure
from publish.following.models import FeedToken, Follow
from publish.following.operations import FOLLOWER, token_hash


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
            FeedToken.token_hash == token_hash(token), FeedToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    user = session.get(StaffUser, row.user_id)
    if (
        user is None
        or not user.is_active
        or not user.has_role(FOLLOWER)
        or not within_term(user, today_in_china())
    ):
        return None
    return user
