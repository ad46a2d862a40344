"""Which reports are major cases, and marking them (docs/domain.md §12).

A report is major when the reporter's estimate, or the amounts recovered and fined at the
handling decision, reach PORTAL_MAJOR_CASE_AMOUNT (`note_major_amount`, called by filing
and by the handling decision), or when case staff mark it with a ground (`mark_major`).
Either way the level above is told at once (`notices.tell_level_above`) and the step is an
internal, audited event of the report's history.

Unmarking: a report major by its amount stays major — the amount is a fact, not a
judgement. A report an officer marked may be unmarked by an approver with a reason (a
judgement another judgement may undo); the level above is not told again, and if it is
marked again nobody already told is told twice.
"""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from sqlalchemy.orm import Session

from intake.catalog import MAJOR_BY_AMOUNT, MAJOR_GROUNDS
from intake.events import append_event
from intake.major.notices import tell_level_above
from intake.models import ActorKind, Report
from intake.office.workflow import WorkflowError, check, require_text, staff_event
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import utcnow


def major_case_amount() -> Decimal:
    """Return the amount, in yuan, from which a report is a major case (configurable)."""
    return Decimal(str(current_app.config["MAJOR_CASE_AMOUNT"]))


def found_amount(report: Report) -> Decimal | None:
    """Return the amount found at the handling decision (recovered + fine), or None."""
    if report.recovered_amount is None and report.fine_amount is None:
        return None
    return (report.recovered_amount or Decimal(0)) + (report.fine_amount or Decimal(0))


def note_major_amount(
    session: Session, report: Report, amount: Decimal | None, cipher: DataCipher
) -> bool:
    """Make `report` major when `amount` reaches the threshold; return whether it changed.

    A report an officer marked becomes major by its amount too, so it can no longer be
    unmarked; the level above was told then, and is not told again.
    """
    if amount is None or amount < major_case_amount() or report.major_basis == MAJOR_BY_AMOUNT:
        return False
    was_major = report.major_since is not None
    report.major_basis = MAJOR_BY_AMOUNT
    report.major_since = report.major_since or utcnow()
    append_event(
        session,
        report,
        "major_by_amount",
        by=ActorKind.SYSTEM,
        public=False,
        detail=MAJOR_BY_AMOUNT,
        audited=True,
    )
    session.flush()
    if not was_major:
        tell_level_above(session, report, cipher)
    return True


def mark_major(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    ground: str,
    note: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Mark the report as a major case on one of the grounds, with a note; tell the level above."""
    check("mark_major", report, actor, expected_version)
    if ground not in {g.code for g in MAJOR_GROUNDS}:
        raise WorkflowError("major_ground")
    require_text(note)
    report.major_basis = ground
    report.major_since = utcnow()
    staff_event(
        session,
        report,
        "marked_major",
        actor,
        public=False,
        note=note,
        detail=ground,
        cipher=cipher,
    )
    tell_level_above(session, report, cipher)


def unmark_major(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Withdraw an officer's marking, with a reason; a report major by its amount stays major."""
    check("unmark_major", report, actor, expected_version)
    require_text(reason)
    ground = report.major_basis or ""
    report.major_basis = None
    report.major_since = None
    staff_event(
        session,
        report,
        "unmarked_major",
        actor,
        public=False,
        note=reason,
        detail=ground,
        cipher=cipher,
    )
