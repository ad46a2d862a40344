"""The reporter coming back: checking a receipt, a server-side session, and what they see and add."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.deadlines import add_working_days
from intake.evidence import CleanFile, build_evidence
from intake.models import (
    ActorKind,
    IdentityMode,
    Message,
    MessageDirection,
    Report,
    ReporterSession,
    ReportEvent,
    Reward,
    RewardStatus,
    Stage,
)
from intake.receipts import AccessCodeHasher, normalize_access_code, normalize_case_number
from intake.submission import CHINA, report_context
from portal.crypto import DataCipher
from portal.db import utcnow

log = logging.getLogger(__name__)

# Tell a real-name reporter the accept/decline decision within 5 working days of it (§3).
NOTIFY_DECISION_WORKING_DAYS = 5


def open_receipt(
    session: Session, case_number: str, access_code: str, hasher: AccessCodeHasher
) -> Report | None:
    """Return the report whose receipt this is, or None; costs one Argon2 check either way."""
    number = normalize_case_number(case_number)
    code = normalize_access_code(access_code)
    report = None
    if number is not None:
        report = session.scalar(select(Report).where(Report.case_number == number))
    ok = hasher.verify(report.access_code_hash if report else None, code)
    if not ok or report is None:
        return None
    if hasher.needs_rehash(report.access_code_hash):
        assert code is not None
        report.access_code_hash = hasher.hash(code)
    return report


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_reporter_session(session: Session, report: Report) -> str:
    """Create a tracking session and return its token for the cookie; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(ReporterSession(token_hash=_token_hash(token), report_id=report.id))
    return token


def load_reporter_session(session: Session, token: str | None, idle_seconds: int) -> Report | None:
    """Return the report of a live tracking session, sliding its idle expiry; None if expired."""
    if not token:
        return None
    now = utcnow()
    # Expired sessions of everyone are removed as a side effect; there is nothing to keep.
    session.execute(
        delete(ReporterSession).where(
            ReporterSession.last_seen_at < now - timedelta(seconds=idle_seconds)
        )
    )
    row = session.get(ReporterSession, _token_hash(token))
    if row is None:
        return None
    row.last_seen_at = now
    return session.get(Report, row.report_id)


def end_reporter_session(session: Session, token: str | None) -> None:
    """End a tracking session (logout)."""
    if token:
        session.execute(
            delete(ReporterSession).where(ReporterSession.token_hash == _token_hash(token))
        )


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
                session, decision.created_at.astimezone(CHINA).date(), NOTIFY_DECISION_WORKING_DAYS
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
        # Proposed or refused rewards are internal until an approver decides (domain.md §4).
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


def add_reporter_reply(
    session: Session, report: Report, body: str, files: list[CleanFile], cipher: DataCipher
) -> Message:
    """Record a reply or added information from the reporter, with any new evidence files."""
    now = utcnow()
    message = Message(direction=MessageDirection.FROM_REPORTER, body_enc=b"", created_at=now)
    report.messages.append(message)
    session.flush()
    # The message id is in the associated data, so the body cannot be moved to another message.
    message.body_enc = cipher.encrypt_text(
        body, report_context(report.case_number, f"message:{message.id}")
    )
    for clean in files:
        evidence = build_evidence(cipher, report.case_number, clean)
        evidence.message = message
        report.evidence.append(evidence)
    report.events.append(
        ReportEvent(
            kind="reporter_added_information",
            stage_after=report.stage,
            actor_kind=ActorKind.REPORTER,
            is_public=True,
            created_at=now,
        )
    )
    session.flush()
    log.info("report %s: reporter added information with %d files", report.case_number, len(files))
    return message
