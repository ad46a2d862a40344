"""Following a transfer up: its record when sent, then the body's receipt and outcome
(docs/domain.md §12). Each step is an operation of `TRANSITIONS` on the transferred report."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from intake.catalog import TRANSFER_OUTCOMES
from intake.models import Report
from intake.office.workflow import WorkflowError, check, require_text, staff_event
from intake.transfers.models import Transfer
from intake.transfers.queries import get_transfer
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher


def outcome_due(sent_on: date) -> date:
    """Return the day a transfer sent on `sent_on` is due for follow-up without an outcome.

    Calendar days, holidays not skipped: PORTAL_TRANSFER_OUTCOME_DAYS (30) after it was sent
    (docs/domain.md §12).
    """
    return sent_on + timedelta(days=int(current_app.config["TRANSFER_OUTCOME_DAYS"]))


def record_transfer(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    body: str,
    sent_on: date,
    reference: str,
) -> Transfer:
    """Keep the transfer's record (called by `transfer_report`, which checks the step)."""
    require_text(reference)
    transfer = Transfer(
        report_id=report.id,
        body=body,
        sent_on=sent_on,
        reference=reference.strip(),
        sent_by_staff_id=actor.id,
        outcome_due_on=outcome_due(sent_on),
    )
    session.add(transfer)
    return transfer


def _checked(session: Session, name: str, report: Report, actor: StaffUser) -> Transfer:
    check(name, report, actor)
    transfer = get_transfer(session, report)
    assert transfer is not None  # the step's precondition (workflow._precondition)
    return transfer


def record_transfer_receipt(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    received_on: date,
    note: str,
    cipher: DataCipher,
) -> None:
    """Record the day the receiving body acknowledged the transfer (internal, audited)."""
    transfer = _checked(session, "record_transfer_receipt", report, actor)
    if received_on < transfer.sent_on:
        raise WorkflowError("transfer_date")
    transfer.received_on = received_on
    staff_event(
        session,
        report,
        "transfer_received",
        actor,
        public=False,
        note=note.strip(),
        detail=received_on.isoformat(),
        cipher=cipher,
    )


def record_transfer_outcome(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    outcome: str,
    outcome_on: date,
    note: str,
    cipher: DataCipher,
) -> None:
    """Record what the body did; the reporter reads the outcome in words, never the note."""
    transfer = _checked(session, "record_transfer_outcome", report, actor)
    if outcome not in {o.code for o in TRANSFER_OUTCOMES}:
        raise WorkflowError("transfer_outcome")
    if outcome_on < transfer.sent_on:
        raise WorkflowError("transfer_date")
    transfer.outcome = outcome
    transfer.outcome_on = outcome_on
    # Public: /track names the outcome in words (tracking/queries.py event_words); the
    # note, encrypted with the event like every note, stays with staff.
    staff_event(
        session,
        report,
        "transfer_outcome",
        actor,
        public=True,
        note=note.strip(),
        detail=outcome,
        cipher=cipher,
    )
