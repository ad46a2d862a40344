"""Writing to the outbox: `enqueue` in the transaction of the change that causes a notice."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.crypto import DataCipher
from portal.notices.models import Channel, Notice, NoticeStatus


def _context(key: str, field: str) -> str:
    return f"notice:{key}:{field}"


@dataclass(frozen=True)
class OpenNotice:
    """A notice's recipient and text, decrypted for delivery."""

    recipient: str
    subject: str
    body: str


def enqueue(
    session: Session,
    cipher: DataCipher,
    *,
    key: str,
    kind: str,
    channel: Channel,
    recipient: str,
    subject: str,
    body: str,
    source: str = "",
) -> Notice:
    """Add a notice to the outbox, or return the one already there under `key`.

    Flushes, never commits: the notice is delivered only if the change that caused it is.
    """
    existing = session.scalar(select(Notice).where(Notice.key == key))
    if existing is not None:
        return existing
    notice = Notice(key=key, kind=kind, channel=channel, source=source)
    notice.recipient_enc = cipher.encrypt_text(recipient, _context(key, "recipient"))
    notice.subject_enc = cipher.encrypt_text(subject, _context(key, "subject"))
    notice.body_enc = cipher.encrypt_text(body, _context(key, "body"))
    session.add(notice)
    session.flush()
    return notice


def open_notice(notice: Notice, cipher: DataCipher) -> OpenNotice:
    """Decrypt a pending notice's recipient and text (ValueError once they are wiped)."""
    if notice.recipient_enc is None or notice.subject_enc is None or notice.body_enc is None:
        raise ValueError("this notice no longer holds a recipient or text")
    return OpenNotice(
        recipient=cipher.decrypt_text(notice.recipient_enc, _context(notice.key, "recipient")),
        subject=cipher.decrypt_text(notice.subject_enc, _context(notice.key, "subject")),
        body=cipher.decrypt_text(notice.body_enc, _context(notice.key, "body")),
    )


def wipe(notice: Notice) -> None:
    """Forget a notice's recipient and text (once sent or withdrawn)."""
    notice.recipient_enc = None
    notice.subject_enc = None
    notice.body_enc = None


def withdraw_pending(session: Session, source: str) -> int:
    """Withdraw and wipe the notices of `source` not yet sent; return how many."""
    result = session.execute(
        update(Notice)
        .where(Notice.source == source, Notice.status == NoticeStatus.PENDING)
        .values(
            status=NoticeStatus.WITHDRAWN,
            recipient_enc=None,
            subject_enc=None,
            body_enc=None,
        )
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
