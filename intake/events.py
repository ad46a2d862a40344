"""The one way an event joins a report's history: who, when, what, public or internal.

Events are immutable. A public event is what the reporter sees on /track; its note (a
reason, a decision) is encrypted with the event's id in the associated data, so it
cannot be moved to another event. Events by staff are audited in the same step, and the
reporter's contact hears of news and is destroyed at closure in the same step too
(`intake/contact/notices.py`, docs/domain.md §10).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from intake.contact.notices import on_event
from intake.models import ActorKind, Report, ReportEvent, report_context
from portal import audit
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import utcnow


def append_event(
    session: Session,
    report: Report,
    kind: str,
    *,
    by: ActorKind,
    public: bool,
    staff: StaffUser | None = None,
    note: str = "",
    detail: str = "",
    cipher: DataCipher | None = None,
    audited: bool = False,
    at: datetime | None = None,
) -> ReportEvent:
    """Append an event to `report` (and, when `audited`, its audit entry "report.<kind>")."""
    event = ReportEvent(
        kind=kind,
        stage_after=report.stage,
        actor_kind=by,
        actor_staff_id=staff.id if staff is not None else None,
        is_public=public,
        detail=detail,
        created_at=at or utcnow(),
    )
    report.events.append(event)
    if note and cipher is not None:
        session.flush()  # the note's associated data names the event's id
        event.note_enc = cipher.encrypt_text(
            note, report_context(report.case_number, f"event:{event.id}")
        )
    if audited:
        actor = f"staff:{staff.id}" if staff is not None else by.value
        audit.record(
            session,
            f"report.{kind}",
            actor=actor,
            subject=f"report:{report.case_number}",
            details={"stage": report.stage.value, **({"detail": detail} if detail else {})},
        )
    on_event(session, report, event, cipher)
    return event


def event_note(event: ReportEvent, case_number: str, cipher: DataCipher) -> str:
    """Return the decrypted reason or note of an event ('' when it has none)."""
    if event.note_enc is None:
        return ""
    return cipher.decrypt_text(event.note_enc, report_context(case_number, f"event:{event.id}"))
