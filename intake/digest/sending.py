"""The daily staff digest (docs/domain.md §10): once a day from DIGEST_TIME, China time.

`send_digests` is safe to call every minute on every host: it looks only at people whose
digest was not yet made today (`StaffUser.digest_checked_on`), marks each with a
compare-and-set so two hosts never both make one, and the notice's key names the person
and the day, so the outbox refuses a second one. A worker that was down at 08:30 makes the
day's digests when it comes back; nothing is made before 08:30.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from intake.digest.items import DigestItem, digest_items
from portal.accounts.models import StaffUser
from portal.config import ConfigError
from portal.crypto import DataCipher
from portal.i18n import CHINESE, ENGLISH, format_date
from portal.notices.models import Channel
from portal.notices.outbox import enqueue
from portal.timeutil import CHINA
from portal.web import absolute_url

log = logging.getLogger(__name__)

KIND = "staff_digest"
# People considered in one call (one transaction).
BATCH = 200


def parse_digest_time(value: str) -> time:
    """Return DIGEST_TIME ("HH:MM", China time) as a time, or raise ConfigError."""
    try:
        return datetime.strptime(str(value).strip(), "%H:%M").time()
    except ValueError as exc:
        raise ConfigError(f"PORTAL_DIGEST_TIME must be HH:MM, not {value!r}") from exc


def digest_day(now_utc: datetime, at: time) -> date | None:
    """Return the China day whose digest is due at `now_utc`, or None before `at` that day."""
    local = now_utc.astimezone(CHINA)
    return local.date() if local.time() >= at else None


@dataclass(frozen=True)
class DigestLine:
    """One line of a person's digest: what, how many, where. Never anything else."""

    item: DigestItem
    count: int
    url: str


def digest_lines(session: Session, user: StaffUser, items: list[DigestItem]) -> list[DigestLine]:
    """Return the lines of `user`'s digest that have something waiting, in registry order."""
    lines = []
    for item in items:
        if not item.concerns(user):
            continue
        count = item.count(session, user)
        if count > 0:
            lines.append(DigestLine(item, count, absolute_url(item.endpoint, item.values)))
    return lines


def compose(
    session: Session, user: StaffUser, day: date, items: list[DigestItem]
) -> tuple[str, str] | None:
    """Return the subject and bilingual body (Chinese first) of `user`'s digest, or None.

    None when nothing awaits them: then no e-mail is sent.
    """
    lines = digest_lines(session, user, items)
    if not lines:
        return None
    settings = absolute_url("account.show_account")
    subjects, parts = [], []
    for locale in (CHINESE, ENGLISH):
        with force_locale(locale):
            words = _day_words(day, locale)
            subjects.append(_("Daily digest, %(day)s", day=words))
            parts.append(_text(lines, words, settings))
    return " / ".join(subjects), "\n\n----------\n\n".join(parts)


@lru_cache(maxsize=8)
def _day_words(day: date, locale: str) -> str:
    """The day as people read it in `locale` (formatting it costs more than a count)."""
    with force_locale(locale):
        return format_date(day)


def _text(lines: list[DigestLine], day: str, settings: str) -> str:
    rows = [
        _("What awaits you in your jurisdiction on %(day)s:", day=day),
        "",
    ]
    for line in lines:
        rows.append(f"- {line.item.label}: {line.count}")
        rows.append(f"  {line.url}")
    rows += [
        "",
        _("Sign in to see them. This message holds only counts and links."),
        _("To stop the daily digest or change your address: %(url)s", url=settings),
    ]
    return "\n".join(rows)


@dataclass(frozen=True)
class DigestRun:
    """What one call did: digests enqueued, and whether people are left for the next call."""

    enqueued: int
    more: bool


def send_digests(
    session: Session,
    now_utc: datetime,
    *,
    cipher: DataCipher,
    at: time,
    batch: int | None = None,
) -> DigestRun:
    """Enqueue today's digest for up to `batch` active staff with an address and the digest on.

    Flushes, never commits. Before `at` (China time) it does nothing; after, each person is
    considered once per day. A batch keeps one transaction (and its row locks) short; the
    worker's next cycle, or the CLI's next call, takes the rest.
    """
    day = digest_day(now_utc, at)
    if day is None:
        return DigestRun(0, more=False)
    batch = batch or BATCH
    waiting = session.scalars(
        select(StaffUser)
        .options(selectinload(StaffUser.roles), selectinload(StaffUser.custodian_keys))
        .where(
            StaffUser.is_active.is_(True),
            StaffUser.digest_enabled.is_(True),
            StaffUser.email.is_not(None),
            StaffUser.email != "",
            or_(StaffUser.digest_checked_on.is_(None), StaffUser.digest_checked_on < day),
        )
        .order_by(StaffUser.id)
        .limit(batch)
    ).all()
    items = digest_items()
    sent = 0
    for user in waiting:
        if not _claim(session, user, day):
            continue  # another host is making this person's digest
        text = compose(session, user, day, items)
        if text is None:
            continue
        assert user.email is not None
        enqueue(
            session,
            cipher,
            key=f"digest:{user.id}:{day.isoformat()}",
            kind=KIND,
            channel=Channel.EMAIL,
            recipient=user.email,
            subject=text[0],
            body=text[1],
            source=f"staff:{user.id}",
        )
        sent += 1
    if sent:
        log.info("%d staff digests enqueued for %s", sent, day.isoformat())
    return DigestRun(sent, more=len(waiting) == batch)


def _claim(session: Session, user: StaffUser, day: date) -> bool:
    """Mark `user`'s digest of `day` as made; False if someone else already did."""
    result = session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.digest_checked_on.is_(None), StaffUser.digest_checked_on < day),
        )
        .values(digest_checked_on=day)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
