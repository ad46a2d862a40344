"""A report's history as staff read it: each step in words, and who it reached.

Events keep codes in their `detail` (a decline ground, a body, a region, an officer);
the staff page shows them in words from the same tables as the forms, never as codes.
Who an event reached is read from its public flag, except that a message is read by
the reporter on /track even though it is not a step of their timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from intake.catalog import (
    CHANNEL_LABELS,
    DECLINE_GROUNDS,
    MAJOR_BASIS_LABELS,
    TRANSFER_BODIES,
    TRANSFER_OUTCOMES,
    label_of,
)
from intake.events import event_note
from intake.models import Report, ReportEvent
from intake.office.classification import KINDS as CLASSIFIED_KINDS
from intake.office.classification import classification_words
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.jurisdictions.models import get_region_by_code
from portal.web import page_language

# Events whose substance the reporter reads as a message on /track.
SENT_TO_REPORTER = frozenset({"message_sent"})


@dataclass(frozen=True)
class EventLine:
    """One step of the report's history, with its detail in words and its note."""

    kind: str
    at: datetime
    detail: str
    # "public" (on the reporter's timeline), "reporter" (a message they read) or "internal".
    audience: str
    note: str


def audience_of(event: ReportEvent) -> str:
    """Return who an event reached: "public", "reporter" or "internal"."""
    if event.is_public:
        return "public"
    return "reporter" if event.kind in SENT_TO_REPORTER else "internal"


def detail_words(session: Session, kind: str, detail: str) -> str:
    """Return an event's detail as staff read it: labels for codes, names for people."""
    if not detail:
        return ""
    if kind == "declined":
        return str(label_of(DECLINE_GROUNDS, detail))
    if kind == "transferred":
        return str(label_of(TRANSFER_BODIES, detail))
    if kind == "registered":
        return str(label_of(CHANNEL_LABELS, detail))
    if kind in {"major_by_amount", "marked_major", "unmarked_major"}:
        return str(label_of(MAJOR_BASIS_LABELS, detail))
    if kind == "transfer_outcome":
        return str(label_of(TRANSFER_OUTCOMES, detail))
    if kind in {"moved", "identity_opened"}:
        region = get_region_by_code(session, detail)
        return region.label(page_language()) if region is not None else detail
    if kind in CLASSIFIED_KINDS:
        return classification_words(detail)
    if kind == "assigned" and detail.startswith("staff:") and detail[6:].isdigit():
        officer = session.get(StaffUser, int(detail[6:]))
        return officer.display_name if officer is not None else ""
    return detail


def history_lines(session: Session, report: Report, cipher: DataCipher) -> list[EventLine]:
    """Return the report's events, oldest first, as the staff page lists them."""
    return [
        EventLine(
            e.kind,
            e.created_at,
            detail_words(session, e.kind, e.detail),
            audience_of(e),
            event_note(e, report.case_number, cipher),
        )
        for e in report.events
    ]
