"""A reporter's return visits: opening the receipt, the tracking session, and replies."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.evidence import CleanFile, build_evidence
from intake.filing.receipts import (
    AccessCodeHasher,
    normalize_access_code,
    normalize_case_number,
)
from intake.models import (
    ActorKind,
    Message,
    MessageDirection,
    Report,
    ReportEvent,
    report_context,
)
from intake.tracking.models import ReporterSession
from portal.crypto import DataCipher
from portal.db import utcnow

log = logging.getLogger(__name__)


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


TRACK_COOKIE = "portal_track"
