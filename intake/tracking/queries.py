"""The reporter's page, assembled as frozen records holding only what the reporter may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.catalog import DECLINE_GROUNDS, TRANSFER_BODIES, TRANSFER_OUTCOMES, label_of
from intake.contact.queries import get_masked_contact, report_closed
from intake.evidence import evidence_name
from intake.models import (
    IdentityMode,
    MessageDirection,
    Report,
    Stage,
    report_context,
)
from intake.rewards.models import Reward, RewardStatus
from portal.crypto import DataCipher
from portal.db import db_session
from portal.jurisdictions.models import get_region_by_code
from portal.web import page_language


@dataclass(frozen=True)
class TimelineEntry:
    """One public step of a report's history as the reporter sees it."""

    kind: str
    at: datetime
    # A code shown with the step: decline ground, transfer body, office (region code).
    detail: str = ""


@dataclass(frozen=True)
class RewardNotice:
    """What the reporter sees of a reward offered to them."""

    amount: str
    status: str
    claim_due_on: date | None


@dataclass(frozen=True)
class ConversationEntry:
    """A message to or from the reporter, decrypted for their page."""

    from_reporter: bool
    body: str
    at: datetime
    attachments: int


@dataclass(frozen=True)
class DeadlineLine:
    """A deadline that applies to the report, as the reporter sees it.

    `due` is None for a notice staff recorded as given: its deadline no longer runs, and
    `done_on` says when it was given.
    """

    kind: str
    due: date | None
    estimated: bool
    met: bool
    done_on: datetime | None = None


@dataclass(frozen=True)
class SentFile:
    """A file the reporter sent: its name as stored after cleaning, never its content."""

    name: str
    size: int
    at: datetime


@dataclass(frozen=True)
class ReporterView:
    """Everything the reporter's page shows; nothing internal."""

    case_number: str
    stage: Stage
    received_at: datetime
    region_code: str
    identity_mode: IdentityMode
    wants_reward: bool
    files: list[SentFile]
    timeline: list[TimelineEntry]
    conversation: list[ConversationEntry]
    deadlines: list[DeadlineLine]
    reward: RewardNotice | None = None
    # The contact told of news, masked (138****8000); changed only while the report is open.
    contact: str | None = None
    contact_open: bool = False


def reporter_view(session: Session, report: Report, cipher: DataCipher) -> ReporterView:
    """Return the reporter's view of `report`: public events, messages and deadlines only."""
    timeline = [TimelineEntry(e.kind, e.created_at, e.detail) for e in report.events if e.is_public]
    conversation = [
        ConversationEntry(
            from_reporter=m.direction is MessageDirection.FROM_REPORTER,
            body=cipher.decrypt_text(
                m.body_enc, report_context(report.case_number, f"message:{m.id}")
            ),
            at=m.created_at,
            attachments=len(m.evidence),
        )
        for m in report.messages
    ]
    decided = report.stage is not Stage.RECEIVED
    deadlines = [
        DeadlineLine("accept_decision", report.accept_due_on, report.accept_due_estimated, decided)
    ]
    notice = _notice_line(report)
    if notice is not None:
        deadlines.append(notice)
    reward = session.scalar(select(Reward).where(Reward.report_id == report.id))
    reward_notice = None
    if reward is not None and reward.status in {
        RewardStatus.APPROVED,
        RewardStatus.CLAIMED,
        RewardStatus.PAID,
        RewardStatus.LAPSED,
    }:
        # Proposed or refused rewards are internal until an approver decides (docs/domain.md §4).
        reward_notice = RewardNotice(
            f"{reward.amount:,.2f}", reward.status.value, reward.claim_due_on
        )
    if report.handle_due_on is not None:
        deadlines.append(
            DeadlineLine(
                "handling", report.handle_due_on, False, report.stage not in {Stage.HANDLING}
            )
        )
    return ReporterView(
        reward=reward_notice,
        case_number=report.case_number,
        stage=report.stage,
        received_at=report.received_at,
        region_code=report.region.code,
        identity_mode=report.identity_mode,
        wants_reward=report.wants_reward,
        files=[
            SentFile(evidence_name(cipher, report.case_number, e), e.size, e.created_at)
            for e in report.evidence
            # Only files the reporter sent: with the report, or with one of their replies.
            if e.message is None or e.message.direction is MessageDirection.FROM_REPORTER
        ],
        timeline=timeline,
        conversation=conversation,
        deadlines=deadlines,
        contact=get_masked_contact(session, report, cipher),
        contact_open=not report_closed(report),
    )


def _notice_line(report: Report) -> DeadlineLine | None:
    """Return the notice of the decision owed to a real-name reporter, as staff recorded it.

    Pending while the office still owes it (the queue lists it), done only once staff
    recorded giving it: `Report.notice_owed` is the one test (docs/domain.md §3).
    """
    if report.notice_owed:
        return DeadlineLine(
            "notify_decision", report.notice_due_on, report.notice_due_estimated, met=False
        )
    if report.notice_sent_at is not None:
        return DeadlineLine(
            "notify_decision", None, estimated=False, met=True, done_on=report.notice_sent_at
        )
    return None


def event_words(kind: str, detail: str) -> object:
    """Return the reporter-facing words for an event's detail code (never a person)."""
    if kind == "declined":
        return label_of(DECLINE_GROUNDS, detail)
    if kind == "transferred":
        return label_of(TRANSFER_BODIES, detail)
    if kind == "transfer_outcome":
        # The outcome in words, never the reference or the note (docs/domain.md §12).
        return label_of(TRANSFER_OUTCOMES, detail)
    if kind == "identity_opened":
        region = get_region_by_code(db_session(), detail)
        if region is not None:
            return _("office of %(region)s", region=region.label(page_language()))
    return ""
