"""Receiving and routing a report: register, accept, decline, transfer, move, assign, merge,
extend, and the notice owed to a real-name reporter (docs/domain.md §3)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.calendar.deadlines import ACCEPT_DECISION_WORKING_DAYS, add_working_days
from intake.calendar.report_deadlines import set_accept_due, set_due, set_notice_due
from intake.catalog import DECLINE_GROUNDS, TRANSFER_BODIES
from intake.filing.operations import Receipt, ReportDraft, submit_report
from intake.filing.receipts import AccessCodeHasher
from intake.major.notices import tell_level_above
from intake.models import Report, Stage
from intake.office.workflow import (
    ACTIVE,
    CASE_STAFF,
    CHANNELS,
    TRANSITIONS,
    WorkflowError,
    check,
    owe_notice,
    require_text,
    staff_event,
)
from intake.transfers.operations import record_transfer
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import CHINA


def register_report(
    session: Session,
    draft: ReportDraft,
    *,
    actor: StaffUser,
    channel: str,
    cipher: DataCipher,
    hasher: AccessCodeHasher,
) -> Receipt:
    """Register (登记) a report that arrived by hotline, letter or visit; return its receipt.

    The reporter is given the receipt (read out or mailed) and follows the report on /track
    like anyone who filed it online.
    """
    if not actor.has_role(*TRANSITIONS["register"].roles):
        raise WorkflowError("role")
    if channel not in CHANNELS:
        raise WorkflowError("channel")
    if not in_jurisdiction(actor, draft.region):
        raise WorkflowError("region")
    draft.source = channel
    receipt = submit_report(session, draft, cipher=cipher, hasher=hasher)
    report = session.scalar(select(Report).where(Report.case_number == receipt.case_number))
    assert report is not None
    staff_event(session, report, "registered", actor, public=False, detail=channel)
    return receipt


def accept_report(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Accept the report (受理); checking starts, the acceptance deadline still runs."""
    check("accept", report, actor, expected_version)
    report.stage = Stage.CHECKING
    owe_notice(session, report)
    staff_event(session, report, "accepted", actor, public=True, note=reason, cipher=cipher)


def decline_report(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    ground: str,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Decline the report (不予受理) on one of the six grounds of docs/domain.md §3."""
    check("decline", report, actor, expected_version)
    if ground not in {g.code for g in DECLINE_GROUNDS}:
        raise WorkflowError("ground")
    report.stage = Stage.DECLINED
    report.decline_ground = ground
    report.closed_at = utcnow()
    set_due(report, None)
    owe_notice(session, report)
    staff_event(
        session, report, "declined", actor, public=True, note=reason, detail=ground, cipher=cipher
    )


def transfer_report(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    body: str,
    sent: str,
    sent_on: date,
    reference: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Transfer the report in writing to a competent body (移送); the reporter is told where.

    The transfer keeps its body, date and reference so that its receipt and outcome can be
    followed up (docs/domain.md §12, intake/transfers/).
    """
    check("transfer_out", report, actor, expected_version)
    if body not in {b.code for b in TRANSFER_BODIES}:
        raise WorkflowError("body")
    require_text(sent)
    record_transfer(session, report, actor=actor, body=body, sent_on=sent_on, reference=reference)
    report.stage = Stage.TRANSFERRED
    report.transfer_body = body
    report.closed_at = utcnow()
    set_due(report, None)
    owe_notice(session, report)
    note = f"{sent_on.isoformat()} {reference.strip()}: {sent.strip()}"
    staff_event(
        session, report, "transferred", actor, public=True, note=note, detail=body, cipher=cipher
    )


def move_report(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    region: Region,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Reassign the report up or down the jurisdiction tree (分级办理)."""
    check("move", report, actor, expected_version)
    upward = any(r.id == region.id for r in report.region.ancestors_and_self())
    if region.id == report.region_id or not (upward or in_jurisdiction(actor, region)):
        raise WorkflowError("region")
    require_text(reason)
    old = report.region.code
    report.region = region
    report.assignee_id = None
    if report.major_since is not None:
        # A major case's new level above is told too (docs/domain.md §12); nobody twice.
        tell_level_above(session, report, cipher)
    staff_event(
        session,
        report,
        "moved",
        actor,
        public=False,
        note=f"{old} → {region.code}: {reason}",
        detail=region.code,
        cipher=cipher,
    )


def assign_report(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    assignee: StaffUser,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Give the report to an officer whose jurisdiction covers it."""
    check("assign", report, actor, expected_version)
    if (
        not assignee.is_active
        or not assignee.has_role(*CASE_STAFF)
        or not in_jurisdiction(assignee, report.region)
    ):
        raise WorkflowError("assignee")
    report.assignee_id = assignee.id
    staff_event(session, report, "assigned", actor, public=False, detail=f"staff:{assignee.id}")


def merge_reports(
    session: Session,
    one: Report,
    other: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
) -> Report:
    """Merge two reports of the same clue; the one reported first is kept (docs/domain.md §4, first reporter).

    Returns the report kept. The other is closed as a duplicate pointing at it.
    """
    if one.id == other.id:
        raise WorkflowError("same_report")
    first, duplicate = sorted((one, other), key=lambda r: (r.received_at, r.id))
    if not in_jurisdiction(actor, first.region):
        raise WorkflowError("not_found")
    check("merge", duplicate, actor)
    if first.stage not in ACTIVE or first.merged_into_id is not None:
        raise WorkflowError("stage")
    duplicate.merged_into = first
    duplicate.stage = Stage.CLOSED
    duplicate.closed_at = utcnow()
    set_due(duplicate, None)
    staff_event(session, duplicate, "merged", actor, public=True, note=reason, cipher=cipher)
    staff_event(
        session,
        first,
        "duplicate_merged",
        actor,
        public=False,
        detail=duplicate.case_number[:40],
        note=reason,
        cipher=cipher,
    )
    return first


def extend_deadline(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Extend the running deadline once, by an approver with a recorded reason (docs/domain.md §3)."""
    check("extend", report, actor, expected_version)
    require_text(reason)
    if report.stage is Stage.HANDLING:
        assert report.handle_due_on is not None
        days = int(current_app.config["HANDLE_EXTENSION_DAYS"])
        report.handle_due_on += timedelta(days=days)
        report.handle_extended = True
        set_due(report, report.handle_due_on)
    else:
        # 15 more working days on top of the first 15 (docs/domain.md §3): 30 from receipt,
        # which counts the same days and stays one deadline a calendar change can recount.
        received_on = report.received_at.astimezone(CHINA).date()
        set_accept_due(
            report, add_working_days(session, received_on, 2 * ACCEPT_DECISION_WORKING_DAYS)
        )
        report.accept_extended = True
    staff_event(
        session, report, "deadline_extended", actor, public=True, note=reason, cipher=cipher
    )


def record_notice(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    how: str,
    cipher: DataCipher,
) -> None:
    """Record that the real-name reporter was told the decision (the notice task is done)."""
    check("record_notice", report, actor)
    require_text(how)
    set_notice_due(report, None)
    report.notice_sent_at = utcnow()
    staff_event(session, report, "notice_sent", actor, public=False, note=how, cipher=cipher)
