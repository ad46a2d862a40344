"""The outbox: one row per notice to deliver, one row per delivery attempt."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, enum_column, utcnow


class Channel(enum.StrEnum):
    """How a notice travels."""

    EMAIL = "email"
    SMS = "sms"


class NoticeStatus(enum.StrEnum):
    """Where a notice stands. A failure stays PENDING with a later attempt: never lost."""

    PENDING = "pending"
    SENT = "sent"
    # The cause went away before delivery (a reporter removed their contact).
    WITHDRAWN = "withdrawn"


class Notice(Base):
    """A notice to deliver. Recipient and text are encrypted, and wiped once it is sent."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The idempotency key: one notice per cause (e.g. "report-news:<event id>"); the
    # receiving server sees it too (Message-ID, the gateway's idempotency key).
    key: Mapped[str] = mapped_column(String(120), unique=True)
    # What the notice is for, e.g. "report_news", "reward_reminder", "staff_digest".
    kind: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 8))
    # What caused it, for withdrawing and for staff: "report:<id>" or "staff:<id>"; never
    # a case number or a name.
    source: Mapped[str] = mapped_column(String(60), default="", index=True)
    recipient_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    subject_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    body_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[NoticeStatus] = mapped_column(
        enum_column(NoticeStatus, 12), default=NoticeStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last failure's kind (an exception class, an SMTP or HTTP status), never text
    # that could quote the notice.
    last_error: Mapped[str] = mapped_column(String(200), default="")

    # The worker takes the pending notices that are due, oldest first.
    __table_args__ = (Index("ix_notices_status_next", "status", "next_attempt_at"),)

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.kind} {self.status.value}>"


class NoticeAttempt(Base):
    """One try to deliver a notice: when, by which worker, and how it ended — no text."""

    __tablename__ = "notice_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "host:pid" of the worker.
    worker: Mapped[str] = mapped_column(String(80), default="")
    ok: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str] = mapped_column(String(200), default="")
