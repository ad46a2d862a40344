"""An opinion or suggestion (意见建议) a social supervisor sends to an office, and its thread
(docs/domain.md §14).

The opinion is the thread's first message; every later message, from either side, is an
`OpinionMessage`. The office's first message answers the opinion: `answered_at` is set
then and never moved, so "answered on time" is the day of that first reply against
`reply_due_on`. Text is the supervisor's and the office's own (both are staff accounts):
it holds no reporter's data and is kept as written.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.jurisdictions.models import Region

SUBJECT_MAX = 120
TEXT_MAX = 5000


class Side(enum.StrEnum):
    """Who wrote a message of the thread: the supervisor, or the office answering."""

    SUPERVISOR = "supervisor"
    OFFICE = "office"


class Opinion(Base):
    """One opinion or suggestion, sent by a supervisor to the office of a region."""

    __tablename__ = "supervisor_opinions"
    __table_args__ = (
        # The office's list and its overdue count: open opinions of a set of offices.
        Index("ix_supervisor_opinions_office_open", "office_region_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    # The office it was sent to: the supervisor's own region or one above it.
    office_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # PORTAL_OPINION_REPLY_DAYS working days from the day of arrival (docs/domain.md §14, §13).
    reply_due_on: Mapped[date] = mapped_column(Date)
    reply_due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    # The office's first reply; None while the opinion awaits it.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    answered_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # Two officers giving the first reply at once: the second is refused as stale.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The SHA-256 of the form's one-time key: the same form sent twice files one opinion.
    submission_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    __mapper_args__ = {"version_id_col": version}

    author: Mapped[StaffUser] = relationship(foreign_keys=[author_id])
    office_region: Mapped[Region] = relationship()
    messages: Mapped[list[OpinionMessage]] = relationship(
        back_populates="opinion",
        order_by="(OpinionMessage.sent_at, OpinionMessage.id)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Opinion {self.id} {'answered' if self.answered_at else 'open'}>"


class OpinionMessage(Base):
    """A message of an opinion's thread after the opinion itself: a reply or a further word."""

    __tablename__ = "supervisor_opinion_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("supervisor_opinions.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[Side] = mapped_column(enum_column(Side, 12))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    opinion: Mapped[Opinion] = relationship(back_populates="messages")

    def __repr__(self) -> str:
        return f"<OpinionMessage {self.id} {self.side.value}>"
