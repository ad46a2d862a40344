"""The reporter's page, assembled as frozen records holding only what the reporter may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.deadlines import NOTICE_WORKING_DAYS, add_working_days
from intake.catalog import DECLINE_GROUNDS, TRANSFER_BODIES, label_of
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
from portal.timeutil import CHINA
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
    """A deadline that applies to the report, as the reporter sees it."""

    kind: str
    due: date
    estimated: bool
    met: bool


@dataclass(frozen=True)
class ReporterView:
    """Everything the reporter's page shows; nothing internal."""

    case_number: str
    stage: Stage
    received_at: datetime
    region_code: str
    identity_mode: IdentityMode
    wants_reward: bool
    evidence_count: int
    timeline: list[TimelineEntry]
    conversation: list[ConversationEntry]
    deadlines: list[DeadlineLine]
    reward: RewardNotice | None = None


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
    if report.identity_mode is IdentityMode.REAL_NAME:
        decision = next(
            (e for e in report.events if e.kind in {"accepted", "declined", "transferred"}), None
        )
        if decision is not None:
            notify = add_working_days(
                session, decision.created_at.astimezone(CHINA).date(), NOTICE_WORKING_DAYS
            )
            deadlines.append(DeadlineLine("notify_decision", notify.due, notify.estimated, True))
    reward = session.scalar(select(Reward).where(Reward.report_id == report.id))
    notice = None
    if reward is not None and reward.status in {
        RewardStatus.APPROVED,
        RewardStatus.CLAIMED,
        RewardStatus.PAID,
        RewardStatus.LAPSED,
    }:
        # Proposed or refused rewards are internal until an approver decides (docs/domain.md §4).
        notice = RewardNotice(f"{reward.amount:,.2f}", reward.status.value, reward.claim_due_on)
    if report.handle_due_on is not None:
        deadlines.append(
            DeadlineLine(
                "handling", report.handle_due_on, False, report.stage not in {Stage.HANDLING}
            )
        )
    return ReporterView(
        reward=notice,
        case_number=report.case_number,
        stage=report.stage,
        received_at=report.received_at,
        region_code=report.region.code,
        identity_mode=report.identity_mode,
        wants_reward=report.wants_reward,
        evidence_count=len(report.evidence),
        timeline=timeline,
        conversation=conversation,
        deadlines=deadlines,
    )


def event_words(kind: str, detail: str) -> object:
    """Return the reporter-facing words for an event's detail code (never a person)."""
    if kind == "declined":
        return label_of(DECLINE_GROUNDS, detail)
    if kind == "transferred":
        return label_of(TRANSFER_BODIES, detail)
    if kind == "identity_opened":
        region = get_region_by_code(db_session(), detail)
        if region is not None:
            return _("office of %(region)s", region=region.label(page_language()))
    return ""
