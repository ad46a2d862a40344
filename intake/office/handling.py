"""Checking and deciding a report: findings, a case opened or closed as unfounded, the
handling decision, messages and feedback to the reporter, closing (docs/domain.md §3)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy.orm import Session

from intake.calendar.deadlines import REWARD_NOTICE_WORKING_DAYS, add_working_days
from intake.calendar.report_deadlines import set_due
from intake.catalog import MEASURES
from intake.major.operations import found_amount, note_major_amount
from intake.models import Message, MessageDirection, Report, Stage, report_context
from intake.office.workflow import (
    WorkflowError,
    check,
    require_text,
    reward_possible,
    staff_event,
)
from intake.rewards.queries import reward_settled
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.timeutil import today_in_china


def record_findings(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    findings: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Record what the check found so far (internal)."""
    check("record_findings", report, actor, expected_version)
    require_text(findings)
    staff_event(
        session, report, "findings_recorded", actor, public=False, note=findings, cipher=cipher
    )


def open_case(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Open a case (立案); handling must finish within 90 calendar days (docs/domain.md §3, configurable)."""
    check("open_case", report, actor, expected_version)
    report.stage = Stage.HANDLING
    report.outcome = "founded"
    start_handling_deadline(report)
    staff_event(session, report, "case_opened", actor, public=True, note=reason, cipher=cipher)


def start_handling_deadline(report: Report) -> None:
    """Start the handling deadline from today: 90 calendar days, configurable (docs/domain.md §3).

    Opening a case starts it, and so does a review that sends the report back (§11).
    """
    days = int(current_app.config["HANDLE_CALENDAR_DAYS"])
    report.handle_due_on = today_in_china() + timedelta(days=days)
    set_due(report, report.handle_due_on)


def close_unfounded(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Close the check as unfounded; the reporter is still owed feedback."""
    check("close_unfounded", report, actor, expected_version)
    require_text(reason)
    report.stage = Stage.FEEDBACK
    report.outcome = "unfounded"
    set_due(report, None)
    staff_event(session, report, "closed_unfounded", actor, public=True, note=reason, cipher=cipher)


def record_handling(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    recovered: Decimal | None,
    fine: Decimal | None,
    measures: list[str],
    decision: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Record the handling decision: amounts to recover, fines and measures (docs/domain.md §3, §5)."""
    check("record_handling", report, actor, expected_version)
    known = {m.code for m in MEASURES}
    if not measures or set(measures) - known or not decision.strip():
        raise WorkflowError("decision")
    for amount in (recovered, fine):
        if amount is not None and amount < 0:
            raise WorkflowError("decision")
    report.stage = Stage.FEEDBACK
    report.recovered_amount = recovered
    report.fine_amount = fine
    report.measures = ",".join(m for m in (c.code for c in MEASURES) if m in measures)
    # The amounts found can make it a major case (docs/domain.md §12).
    note_major_amount(session, report, found_amount(report), cipher)
    if reward_possible(report):
        # The reward notice is due 10 working days after the decision (docs/domain.md §3).
        set_due(report, add_working_days(session, today_in_china(), REWARD_NOTICE_WORKING_DAYS))
    else:
        set_due(report, None)
    staff_event(
        session, report, "handling_decided", actor, public=True, note=decision, cipher=cipher
    )


def send_message(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    body: str,
    cipher: DataCipher,
) -> Message:
    """Send a message the reporter reads on /track (questions, requests for evidence)."""
    check("send_message", report, actor)
    message = _write_message(session, report, actor=actor, body=body, cipher=cipher)
    staff_event(session, report, "message_sent", actor, public=False)
    return message


def _write_message(
    session: Session, report: Report, *, actor: StaffUser, body: str, cipher: DataCipher
) -> Message:
    require_text(body)
    message = Message(
        direction=MessageDirection.TO_REPORTER,
        author_staff_id=actor.id,
        body_enc=b"",
        created_at=utcnow(),
    )
    report.messages.append(message)
    session.flush()
    message.body_enc = cipher.encrypt_text(
        body.strip(), report_context(report.case_number, f"message:{message.id}")
    )
    return message


def send_feedback(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    feedback: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Tell the reporter the outcome (反馈); the report closes unless a reward may be due."""
    check("send_feedback", report, actor, expected_version)
    # The feedback is a message the reporter reads on /track; its one event is the public
    # "feedback sent", so the history never lists it as an internal step.
    _write_message(session, report, actor=actor, body=feedback, cipher=cipher)
    report.feedback_sent_at = utcnow()
    if reward_possible(report):
        report.stage = Stage.REWARD
    else:
        report.stage = Stage.CLOSED
        report.closed_at = utcnow()
        set_due(report, None)
    staff_event(session, report, "feedback_sent", actor, public=True)


def close_report(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Close a report in the reward stage (办结): reward paid, lapsed, refused or not due."""

    check("close", report, actor, expected_version)
    if not reward_settled(session, report) and not reason.strip():
        # Closing with a reward still open needs a stated reason (e.g. an exclusion applies).
        raise WorkflowError("reason")
    report.stage = Stage.CLOSED
    report.closed_at = utcnow()
    set_due(report, None)
    staff_event(session, report, "closed", actor, public=True, note=reason, cipher=cipher)
