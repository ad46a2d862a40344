"""Sending an opinion and writing in its thread (docs/domain.md §14).

`send_opinion` files a supervisor's opinion with the office they chose (their own region's
or one above it) and its reply deadline: PORTAL_OPINION_REPLY_DAYS working days from the
day it arrived, counted as every working-day deadline (docs/domain.md §13). `add_message`
writes in the thread: the office's first message answers the opinion; the supervisor
writes again only after that. Each step is audited without its text; nothing here commits.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.calendar.deadlines import add_working_days
from intake.filing.receipts import hash_submission_key
from intake.opinions.models import SUBJECT_MAX, TEXT_MAX, Opinion, OpinionMessage, Side
from intake.opinions.queries import (
    SUPERVISOR_ROLE,
    is_author,
    may_answer,
    office_choices,
    opinion_state,
)
from portal import audit
from portal.accounts.models import StaffUser
from portal.db import utcnow
from portal.errors import OperationError
from portal.jurisdictions.models import Region
from portal.timeutil import CHINA

log = logging.getLogger(__name__)


class OpinionError(OperationError):
    """An opinion or a message of its thread was refused."""


class AlreadySent(OperationError):
    """The same opinion form was sent twice; the first one's opinion exists."""

    def __init__(self, opinion_id: int) -> None:
        super().__init__("opinion_already_sent")
        self.opinion_id = opinion_id


def _sent_with(session: Session, author: StaffUser, submission_key: str) -> Opinion | None:
    if not submission_key:
        return None
    return session.scalar(
        select(Opinion).where(
            Opinion.submission_key_hash == hash_submission_key(submission_key),
            Opinion.author_id == author.id,
        )
    )


def _text(value: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise OpinionError("opinion_empty")
    if len(text) > limit:
        raise OpinionError("opinion_too_long")
    return text


def send_opinion(
    session: Session,
    *,
    author: StaffUser,
    office: Region,
    subject: str,
    text: str,
    submission_key: str = "",
) -> Opinion:
    """File a supervisor's opinion with `office`, due for a reply in working days from today.

    A form sent twice with the same one-time key (a double click) files one opinion: the
    second send raises AlreadySent with the first one's id.
    """
    if not author.has_role(SUPERVISOR_ROLE):
        raise OpinionError("role")
    earlier = _sent_with(session, author, submission_key)
    if earlier is not None:
        raise AlreadySent(earlier.id)
    if office.id not in {r.id for r in office_choices(author)}:
        raise OpinionError("opinion_office")
    now = utcnow()
    # Answered within 15 working days of its arrival (docs/domain.md §14, §13).
    deadline = add_working_days(
        session, now.astimezone(CHINA).date(), int(current_app.config["OPINION_REPLY_DAYS"])
    )
    opinion = Opinion(
        author_id=author.id,
        office_region=office,
        subject=_text(subject, SUBJECT_MAX),
        body=_text(text, TEXT_MAX),
        received_at=now,
        reply_due_on=deadline.due,
        reply_due_estimated=deadline.estimated,
        submission_key_hash=hash_submission_key(submission_key) if submission_key else None,
    )
    session.add(opinion)
    try:
        session.flush()
    except IntegrityError:
        # Two sends of the same form raced and the other one filed first. Sending is the
        # request's first write, so nothing else is lost with the transaction.
        session.rollback()
        earlier = _sent_with(session, author, submission_key)
        if earlier is None:
            raise
        raise AlreadySent(earlier.id) from None
    audit.record(
        session,
        "opinion.sent",
        actor=f"staff:{author.id}",
        subject=f"opinion:{opinion.id}",
        details={"office": office.code, "due": deadline.due.isoformat()},
    )
    log.info("opinion %s sent by staff %s to %s", opinion.id, author.id, office.code)
    return opinion


def add_message(
    session: Session, opinion: Opinion, *, actor: StaffUser, body: str
) -> OpinionMessage:
    """Write in the opinion's thread; the office's first message is its reply."""
    text = _text(body, TEXT_MAX)
    if is_author(actor, opinion):
        if opinion.answered_at is None:
            raise OpinionError("opinion_awaits_reply")
        side = Side.SUPERVISOR
    elif may_answer(actor, opinion):
        side = Side.OFFICE
    else:
        # Views answer 404 first; an operation called elsewhere refuses the same way.
        raise OpinionError("not_found")
    now = utcnow()
    message = OpinionMessage(opinion=opinion, side=side, author_id=actor.id, body=text, sent_at=now)
    session.add(message)
    action = "opinion.message"
    details: dict[str, str] = {"side": side.value}
    if side is Side.OFFICE and opinion.answered_at is None:
        # The first reply answers the opinion, on time or late (docs/domain.md §14). The
        # opinion's version column makes two officers replying at once a conflict, not two
        # first replies.
        opinion.answered_at = now
        opinion.answered_by_staff_id = actor.id
        action = "opinion.answered"
        details["state"] = opinion_state(opinion, now.astimezone(CHINA).date())
    session.flush()
    audit.record(
        session,
        action,
        actor=f"staff:{actor.id}",
        subject=f"opinion:{opinion.id}",
        details=details,
    )
    log.info("opinion %s: %s by staff %s", opinion.id, action, actor.id)
    return message
