"""The following page, assembled as a frozen record of what it shows a social supervisor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from intake.catalog import VIOLATION_CODES, violation_label
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.jurisdictions.models import get_region_by_code
from portal.web import external_url, page_language
from publish.following.models import Follow
from publish.following.queries import current_feed_token, followed_items, list_follows


@dataclass(frozen=True)
class FollowLine:
    """One thing followed, named in the page's language."""

    id: int
    label: str


@dataclass(frozen=True)
class FollowedCase:
    """A published case in what is followed."""

    id: int
    title: str
    published_on: date | None


@dataclass(frozen=True)
class FollowedDisclosure:
    """A disclosure in a followed region."""

    id: int
    region_label: str
    year: int
    period: str


@dataclass(frozen=True)
class FollowingView:
    """What the supervisor follows, what is new there, and their private feed's addresses."""

    follows: tuple[FollowLine, ...]
    cases: tuple[FollowedCase, ...]
    disclosures: tuple[FollowedDisclosure, ...]
    # {"rss": url, "atom": url}, or None before the supervisor asked for an address.
    feed_urls: dict[str, str] | None


def _label(session: Session, follow: Follow, language: str) -> str:
    if follow.kind == "region":
        region = get_region_by_code(session, follow.code)
        if region is not None:
            return region.name_in(language)
    return str(violation_label(follow.code)) if follow.code in VIOLATION_CODES else follow.code


def following_view(session: Session, user: StaffUser, cipher: DataCipher) -> FollowingView:
    """Return the following page of `user`."""
    language = page_language()
    items = followed_items(session, user)
    token = current_feed_token(session, user, cipher)
    return FollowingView(
        follows=tuple(
            FollowLine(f.id, _label(session, f, language)) for f in list_follows(session, user)
        ),
        cases=tuple(FollowedCase(c.id, c.title, c.published_on) for c in items.cases),
        disclosures=tuple(
            FollowedDisclosure(d.id, d.region_label(language), d.year, d.period)
            for d in items.disclosures
        ),
        feed_urls=None
        if token is None
        else {
            fmt: external_url("feeds.show_feed", path=f"private/{token}", fmt=fmt)
            for fmt in ("rss", "atom")
        },
    )
