"""Recording penalty decisions (行政处理处罚) and withdrawing one recorded in error, docs/domain.md §9.

`record_penalty` holds a decision to `PENALTY_STEPS` (an approver), to the approver's
jurisdiction and to its article's ranges (`check_decision`, intake/penalties/articles.py),
then saves it, brings the institution's agreement status up to date when the decision
suspends or terminates it, appends an internal event to the report it came from, and
records an audit entry. Every refusal is an `OperationError` code whose words are in
intake/penalties/messages.py; nothing here commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.catalog import MEASURES
from intake.events import append_event
from intake.models import ActorKind, Report
from intake.penalties.articles import check_decision
from intake.penalties.lifecycle import PenaltyError, check_step
from intake.penalties.models import Penalty, PenaltyStatus, SubjectKind
from intake.penalties.queries import get_founded_report, get_institution_by_code
from portal import audit
from portal.accounts.models import StaffUser
from portal.db import utcnow
from portal.institutions.models import AgreementStatus, Institution
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import today_in_china

log = logging.getLogger(__name__)

MEASURE_CODES = frozenset(c.code for c in MEASURES)


@dataclass
class PenaltyFields:
    """Everything an approver records about one decision."""

    region: Region
    subject_kind: SubjectKind
    article: int
    deciding_office: str
    decision_number: str
    decided_on: date
    # Every decision orders the money returned (责令退回), docs/domain.md §9: 0 when none is due.
    returned_amount: Decimal | None
    institution_code: str = ""
    subject_name: str = ""
    measures: list[str] = field(default_factory=list)
    basis_amount: Decimal | None = None
    fine_amount: Decimal | None = None
    suspension_from: date | None = None
    suspension_to: date | None = None
    terminates_agreement: bool = False
    serious_dishonesty: bool = False
    summary: str = ""
    # The case number of the founded report the decision comes from, if any.
    report_case_number: str = ""


def _subject(session: Session, fields: PenaltyFields) -> tuple[Institution | None, str]:
    """Return the directory's institution (if named by code) and the name the decision is against."""
    code = fields.institution_code.strip()
    name = fields.subject_name.strip()
    if fields.subject_kind is SubjectKind.INDIVIDUAL:
        # Individuals are never directory entries (docs/domain.md §8).
        if code:
            raise PenaltyError("penalty_individual_code")
        if not name:
            raise PenaltyError("penalty_subject_name")
        return None, name
    institution = None
    if code:
        institution = get_institution_by_code(session, code)
        if institution is None:
            raise PenaltyError("penalty_institution", value=code)
    # A free-text name stands for an institution not in the directory; with a code, the
    # directory's current name is the default.
    name = name or (institution.name if institution is not None else "")
    if not name:
        raise PenaltyError("penalty_subject_name")
    return institution, name


def _check(session: Session, fields: PenaltyFields, actor: StaffUser, today: date) -> None:
    # The decision's region is the deciding office's: within the approver's (docs/domain.md §1).
    if not in_jurisdiction(actor, fields.region):
        raise PenaltyError("penalty_region")
    if fields.decided_on > today:
        raise PenaltyError("penalty_future")
    if not fields.deciding_office.strip() or not fields.decision_number.strip():
        raise PenaltyError("penalty_office")
    if fields.returned_amount is None or fields.returned_amount < 0:
        raise PenaltyError("penalty_returned")
    if set(fields.measures) - MEASURE_CODES:
        raise PenaltyError("penalty_measures")
    check_decision(
        fields.article,
        subject=fields.subject_kind,
        basis=fields.basis_amount,
        fine=fields.fine_amount,
        suspension_from=fields.suspension_from,
        suspension_to=fields.suspension_to,
        terminates=fields.terminates_agreement,
    )
    same = session.scalar(
        select(Penalty.id).where(
            Penalty.deciding_office == fields.deciding_office.strip(),
            Penalty.decision_number == fields.decision_number.strip(),
            Penalty.status != PenaltyStatus.WITHDRAWN,
        )
    )
    if same is not None:
        raise PenaltyError("penalty_duplicate", number=fields.decision_number.strip())


def _report(session: Session, fields: PenaltyFields, actor: StaffUser) -> Report | None:
    if not fields.report_case_number.strip():
        return None
    # A report elsewhere is refused exactly like one that does not exist (docs/domain.md §1).
    report = get_founded_report(session, fields.report_case_number, actor)
    if report is None:
        raise PenaltyError("penalty_report")
    return report


def agreement_effect(penalty: Penalty) -> tuple[AgreementStatus, date, date | None] | None:
    """Return the agreement status a decision puts its institution in, with its dates, if any.

    A termination (解除服务协议) takes effect on the decision date and prevails over a
    suspension in the same decision; a suspension runs for its own dates, both included.
    """
    if penalty.terminates_agreement:
        return AgreementStatus.TERMINATED, penalty.decided_on, None
    if penalty.suspension_from is not None and penalty.suspension_to is not None:
        return AgreementStatus.SUSPENDED, penalty.suspension_from, penalty.suspension_to
    return None


def _agreement_record(institution: Institution) -> dict[str, str]:
    return {
        "status": institution.agreement_status.value,
        "from": institution.agreement_from.isoformat() if institution.agreement_from else "",
        "to": institution.agreement_to.isoformat() if institution.agreement_to else "",
    }


def _set_agreement(
    session: Session,
    institution: Institution,
    state: tuple[AgreementStatus, date | None, date | None],
    *,
    penalty: Penalty,
    actor: StaffUser,
) -> None:
    before = _agreement_record(institution)
    institution.agreement_status, institution.agreement_from, institution.agreement_to = state
    audit.record(
        session,
        "institution.agreement_changed",
        actor=f"staff:{actor.id}",
        subject=f"institution:{institution.code}",
        details={"penalty": penalty.id, "before": before, "after": _agreement_record(institution)},
    )


def _apply_to_agreement(session: Session, penalty: Penalty, actor: StaffUser) -> None:
    """Bring the institution's agreement status up to date with a decision (docs/domain.md §8, §9)."""
    institution, effect = penalty.institution, agreement_effect(penalty)
    if institution is None or effect is None:
        return
    # A terminated agreement is never turned back into a suspension by a later decision.
    if (
        effect[0] is AgreementStatus.SUSPENDED
        and institution.agreement_status is AgreementStatus.TERMINATED
    ):
        return
    _set_agreement(session, institution, effect, penalty=penalty, actor=actor)


def _undo_agreement(session: Session, penalty: Penalty, actor: StaffUser) -> None:
    """Put the agreement back in force if it still shows exactly what the withdrawn decision set."""
    institution, effect = penalty.institution, agreement_effect(penalty)
    if institution is None or effect is None:
        return
    current = (institution.agreement_status, institution.agreement_from, institution.agreement_to)
    if current == effect:
        _set_agreement(
            session,
            institution,
            (AgreementStatus.IN_FORCE, None, None),
            penalty=penalty,
            actor=actor,
        )


def audit_step(
    session: Session, what: str, penalty: Penalty, actor: StaffUser, **details: str
) -> None:
    """Flush a step taken on `penalty` and record it in the audit log as "penalty.<what>"."""
    session.flush()
    audit.record(
        session,
        f"penalty.{what}",
        actor=f"staff:{actor.id}",
        subject=f"penalty:{penalty.id}",
        details=details or None,
    )
    log.info("penalty %s %s by staff %s", penalty.id, what, actor.id)


def _report_event(session: Session, penalty: Penalty, kind: str, actor: StaffUser) -> None:
    report = session.get(Report, penalty.report_id) if penalty.report_id is not None else None
    if report is not None:
        # Internal: the reporter hears of the outcome through the feedback, not from here.
        append_event(
            session,
            report,
            kind,
            by=ActorKind.STAFF,
            public=False,
            staff=actor,
            detail=str(penalty.id),
            audited=True,
        )


def record_penalty(session: Session, fields: PenaltyFields, *, actor: StaffUser) -> Penalty:
    """Record a decision within its article's ranges, by an approver of its region."""
    today = today_in_china()
    step = check_step("record", None, actor, today)
    report = _report(session, fields, actor)
    institution, name = _subject(session, fields)
    _check(session, fields, actor, today)
    penalty = Penalty(
        status=step.target,
        region=fields.region,
        subject_kind=fields.subject_kind,
        institution=institution,
        subject_name=name,
        report_id=report.id if report is not None else None,
        article=fields.article,
        measures=",".join(c.code for c in MEASURES if c.code in set(fields.measures)),
        basis_amount=fields.basis_amount,
        returned_amount=fields.returned_amount,
        fine_amount=fields.fine_amount,
        suspension_from=fields.suspension_from,
        suspension_to=fields.suspension_to,
        terminates_agreement=fields.terminates_agreement,
        serious_dishonesty=fields.serious_dishonesty,
        deciding_office=fields.deciding_office.strip(),
        decision_number=fields.decision_number.strip(),
        decided_on=fields.decided_on,
        summary=fields.summary.strip(),
        recorded_by_id=actor.id,
        recorded_at=utcnow(),
    )
    session.add(penalty)
    audit_step(
        session,
        "recorded",
        penalty,
        actor,
        article=str(penalty.article),
        **({"report": report.case_number} if report is not None else {}),
    )
    _apply_to_agreement(session, penalty, actor)
    _report_event(session, penalty, "penalty_recorded", actor)
    return penalty


def withdraw_penalty(session: Session, penalty: Penalty, *, reason: str, actor: StaffUser) -> None:
    """Withdraw a decision recorded in error, before it is published; the record stays for staff."""
    step = check_step("withdraw", penalty, actor, today_in_china())
    if not reason.strip():
        raise PenaltyError("reason")
    penalty.status = step.target
    penalty.withdrawn_reason = reason.strip()
    audit_step(session, "withdrawn", penalty, actor)
    _undo_agreement(session, penalty, actor)
    _report_event(session, penalty, "penalty_withdrawn", actor)
