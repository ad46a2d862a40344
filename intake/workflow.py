"""The lifecycle of a report (domain.md §3): one table of allowed transitions, one function each.

Every operation checks the table (stage and role), changes the report, appends an
immutable event (who, when, why, public or internal) and an audit entry, and flushes;
the request or CLI command commits. Jurisdiction is checked where the report is loaded
(`office.load_report_for`), so operations can also run from the CLI.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.catalog import DECLINE_GROUNDS, MEASURES, TRANSFER_BODIES
from intake.deadlines import ACCEPT_DECISION_WORKING_DAYS, add_working_days
from intake.models import (
    ActorKind,
    IdentityMode,
    Message,
    MessageDirection,
    Report,
    ReportEvent,
    Stage,
)
from intake.receipts import AccessCodeHasher
from intake.submission import Receipt, ReportDraft, report_context, submit_report
from portal import audit
from portal.auth import in_jurisdiction
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.models import Region, StaffUser
from portal.timeutil import today_in_china

log = logging.getLogger(__name__)

ACTIVE = frozenset({Stage.RECEIVED, Stage.CHECKING, Stage.HANDLING, Stage.FEEDBACK, Stage.REWARD})
CASE_STAFF = frozenset({"intake_officer", "investigator", "approver"})

# Tell a real-name reporter the accept/decline decision within 5 working days (§3).
NOTICE_WORKING_DAYS = 5
# Notify a reward within 10 working days of the decision (§3, configurable).
REWARD_NOTICE_WORKING_DAYS = 10


@dataclass(frozen=True)
class Transition:
    """Where an operation may start, where it may lead, and who may perform it."""

    sources: frozenset[Stage]
    targets: frozenset[Stage]  # empty: the stage does not change
    roles: frozenset[str]


def _t(sources: set[Stage], targets: set[Stage], roles: set[str]) -> Transition:
    return Transition(frozenset(sources), frozenset(targets), frozenset(roles))


R, C, H, F, W = Stage.RECEIVED, Stage.CHECKING, Stage.HANDLING, Stage.FEEDBACK, Stage.REWARD

# The one table of allowed transitions. A test walks it; every operation consults it.
TRANSITIONS: dict[str, Transition] = {
    # Registering creates a report received by hotline, letter or visit: it has no source stage.
    "register": _t(set(), {R}, {"intake_officer"}),
    "accept": _t({R}, {C}, {"intake_officer"}),
    "decline": _t({R}, {Stage.DECLINED}, {"intake_officer"}),
    "transfer_out": _t({R, C}, {Stage.TRANSFERRED}, {"intake_officer"}),
    "move": _t({R, C}, set(), {"intake_officer"}),
    "assign": _t({R, C, H, F}, set(), {"intake_officer", "approver"}),
    "record_findings": _t({C}, set(), {"investigator"}),
    "open_case": _t({C}, {H}, {"investigator"}),
    "close_unfounded": _t({C}, {F}, {"investigator"}),
    "record_handling": _t({H}, {F}, {"approver"}),
    # Feedback is the last duty unless a reward may be due; then the reward stage follows.
    "send_feedback": _t({F}, {W, Stage.CLOSED}, {"intake_officer", "investigator"}),
    "close": _t({W}, {Stage.CLOSED}, {"approver", "reward_officer"}),
    "merge": _t({R, C}, {Stage.CLOSED}, {"intake_officer"}),
    "extend": _t({R, C, H}, set(), {"approver"}),
    "send_message": _t(set(ACTIVE), set(), set(CASE_STAFF) | {"reward_officer"}),
    "record_notice": _t(
        {C, H, F, W, Stage.CLOSED, Stage.DECLINED, Stage.TRANSFERRED}, set(), {"intake_officer"}
    ),
}


class WorkflowError(Exception):
    """An operation was refused; `code` says why (used to pick the message shown)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def allowed_operations(report: Report, user: StaffUser) -> list[str]:
    """Return the operations `user` may perform on `report` now, in table order."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if report.stage in t.sources
        and user.has_role(*t.roles)
        and in_jurisdiction(user, report.region)
        and _precondition(name, report) is None
    ]


def _precondition(name: str, report: Report) -> str | None:
    if report.merged_into_id is not None:
        return "merged"
    if name == "extend" and (
        (report.stage is Stage.HANDLING and report.handle_extended)
        or (report.stage is not Stage.HANDLING and report.accept_extended)
    ):
        return "already_extended"
    if name == "record_notice" and report.notice_due_on is None:
        return "no_notice_due"
    return None


def check(name: str, report: Report, actor: StaffUser, expected_version: int | None = None) -> None:
    """Raise WorkflowError unless `actor` may perform operation `name` on `report` now."""
    transition = TRANSITIONS[name]
    # Jurisdiction first: a report of another office must look exactly like a missing one.
    if not in_jurisdiction(actor, report.region):
        raise WorkflowError("not_found")
    if expected_version is not None and report.version != expected_version:
        raise WorkflowError("stale")
    if not actor.has_role(*transition.roles):
        raise WorkflowError("role")
    if report.stage not in transition.sources:
        raise WorkflowError("stage")
    problem = _precondition(name, report)
    if problem:
        raise WorkflowError(problem)


def _event(
    session: Session,
    report: Report,
    kind: str,
    actor: StaffUser,
    *,
    public: bool,
    note: str = "",
    detail: str = "",
    cipher: DataCipher | None = None,
) -> ReportEvent:
    event = ReportEvent(
        kind=kind,
        stage_after=report.stage,
        actor_kind=ActorKind.STAFF,
        actor_staff_id=actor.id,
        is_public=public,
        detail=detail,
        created_at=utcnow(),
    )
    report.events.append(event)
    session.flush()
    if note and cipher is not None:
        # The event id is in the associated data, so a note cannot be moved to another event.
        event.note_enc = cipher.encrypt_text(
            note, report_context(report.case_number, f"event:{event.id}")
        )
    audit.record(
        session,
        f"report.{kind}",
        actor=f"staff:{actor.id}",
        subject=f"report:{report.case_number}",
        details={"stage": report.stage.value, **({"detail": detail} if detail else {})},
    )
    log.info("report %s: %s by staff %s", report.case_number, kind, actor.id)
    return event


def event_note(event: ReportEvent, case_number: str, cipher: DataCipher) -> str:
    """Return the decrypted reason or note of an event ('' when it has none)."""
    if event.note_enc is None:
        return ""
    return cipher.decrypt_text(event.note_enc, report_context(case_number, f"event:{event.id}"))


def _owe_notice(session: Session, report: Report) -> None:
    # A real-name reporter is told the accept/decline decision within 5 working days (§3).
    if report.identity_mode is IdentityMode.REAL_NAME:
        due = add_working_days(session, today_in_china(), NOTICE_WORKING_DAYS)
        report.notice_due_on, report.notice_due_estimated = due.due, due.estimated


def _set_due(report: Report, due: date | None, estimated: bool = False) -> None:
    report.due_on, report.due_estimated = due, estimated
    report.overdue_since = None


CHANNELS = ("hotline", "letter", "visit")


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
    _event(session, report, "registered", actor, public=False, detail=channel)
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
    _owe_notice(session, report)
    _event(session, report, "accepted", actor, public=True, note=reason, cipher=cipher)


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
    """Decline the report (不予受理) on one of the six grounds of domain.md §3."""
    check("decline", report, actor, expected_version)
    if ground not in {g.code for g in DECLINE_GROUNDS}:
        raise WorkflowError("ground")
    report.stage = Stage.DECLINED
    report.decline_ground = ground
    report.closed_at = utcnow()
    _set_due(report, None)
    _owe_notice(session, report)
    _event(
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
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Transfer the report in writing to a competent body (移送); the reporter is told where."""
    check("transfer_out", report, actor, expected_version)
    if body not in {b.code for b in TRANSFER_BODIES}:
        raise WorkflowError("body")
    if not sent.strip():
        raise WorkflowError("reason")
    report.stage = Stage.TRANSFERRED
    report.transfer_body = body
    report.closed_at = utcnow()
    _set_due(report, None)
    _owe_notice(session, report)
    note = f"{sent_on.isoformat()}: {sent.strip()}"
    _event(
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
    if not reason.strip():
        raise WorkflowError("reason")
    old = report.region.code
    report.region = region
    report.assignee_id = None
    _event(
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
    _event(session, report, "assigned", actor, public=False, detail=f"staff:{assignee.id}")


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
    if not findings.strip():
        raise WorkflowError("reason")
    _event(session, report, "findings_recorded", actor, public=False, note=findings, cipher=cipher)


def open_case(
    session: Session,
    report: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Open a case (立案); handling must finish within 90 calendar days (§3, configurable)."""
    check("open_case", report, actor, expected_version)
    report.stage = Stage.HANDLING
    report.outcome = "founded"
    days = int(current_app.config["HANDLE_CALENDAR_DAYS"])
    report.handle_due_on = today_in_china() + timedelta(days=days)
    _set_due(report, report.handle_due_on)
    _event(session, report, "case_opened", actor, public=True, note=reason, cipher=cipher)


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
    if not reason.strip():
        raise WorkflowError("reason")
    report.stage = Stage.FEEDBACK
    report.outcome = "unfounded"
    _set_due(report, None)
    _event(session, report, "closed_unfounded", actor, public=True, note=reason, cipher=cipher)


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
    """Record the handling decision: amounts to recover, fines and measures (§3, §5)."""
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
    if reward_possible(report):
        # The reward notice is due 10 working days after the decision (§3).
        due = add_working_days(session, today_in_china(), REWARD_NOTICE_WORKING_DAYS)
        _set_due(report, due.due, due.estimated)
    else:
        _set_due(report, None)
    _event(session, report, "handling_decided", actor, public=True, note=decision, cipher=cipher)


def reward_possible(report: Report) -> bool:
    """Return whether a reward may be due: a founded report whose reporter wants one (§4)."""
    return report.outcome == "founded" and report.wants_reward and report.merged_into_id is None


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
    if not body.strip():
        raise WorkflowError("reason")
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
    _event(session, report, "message_sent", actor, public=False)
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
    if not feedback.strip():
        raise WorkflowError("reason")
    send_message(session, report, actor=actor, body=feedback, cipher=cipher)
    report.feedback_sent_at = utcnow()
    if reward_possible(report):
        report.stage = Stage.REWARD
    else:
        report.stage = Stage.CLOSED
        report.closed_at = utcnow()
        _set_due(report, None)
    _event(session, report, "feedback_sent", actor, public=True)


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
    from intake.rewards_flow import reward_settled

    check("close", report, actor, expected_version)
    if not reward_settled(session, report) and not reason.strip():
        # Closing with a reward still open needs a stated reason (e.g. an exclusion applies).
        raise WorkflowError("reason")
    report.stage = Stage.CLOSED
    report.closed_at = utcnow()
    _set_due(report, None)
    _event(session, report, "closed", actor, public=True, note=reason, cipher=cipher)


def merge_reports(
    session: Session,
    one: Report,
    other: Report,
    *,
    actor: StaffUser,
    reason: str,
    cipher: DataCipher,
) -> Report:
    """Merge two reports of the same clue; the one reported first is kept (§4, first reporter).

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
    _set_due(duplicate, None)
    _event(session, duplicate, "merged", actor, public=True, note=reason, cipher=cipher)
    _event(
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
    """Extend the running deadline once, by an approver with a recorded reason (§3)."""
    check("extend", report, actor, expected_version)
    if not reason.strip():
        raise WorkflowError("reason")
    if report.stage is Stage.HANDLING:
        assert report.handle_due_on is not None
        days = int(current_app.config["HANDLE_EXTENSION_DAYS"])
        report.handle_due_on += timedelta(days=days)
        report.handle_extended = True
        _set_due(report, report.handle_due_on)
    else:
        # 15 more working days on top of the first 15 (domain.md §3).
        due = add_working_days(session, report.accept_due_on, ACCEPT_DECISION_WORKING_DAYS)
        report.accept_due_on = due.due
        report.accept_due_estimated = report.accept_due_estimated or due.estimated
        report.accept_extended = True
        _set_due(report, report.accept_due_on, report.accept_due_estimated)
    _event(session, report, "deadline_extended", actor, public=True, note=reason, cipher=cipher)


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
    if not how.strip():
        raise WorkflowError("reason")
    report.notice_due_on = None
    report.notice_sent_at = utcnow()
    _event(session, report, "notice_sent", actor, public=False, note=how, cipher=cipher)
