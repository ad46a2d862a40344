"""Recording a supervisor's appraisal (考核, docs/domain.md §14)."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.appraisal.models import AppraisalResult, SupervisorAppraisal
from intake.appraisal.queries import get_appraisal, served_in
from portal import audit
from portal.accounts.models import StaffUser
from portal.accounts.supervisors import SUPERVISOR, end_term, renew_term
from portal.errors import OperationError
from portal.jurisdictions.tree import in_jurisdiction

log = logging.getLogger(__name__)

# Only a supervisor found excellent or competent may be renewed (docs/domain.md §14).
RENEWABLE = frozenset({AppraisalResult.EXCELLENT, AppraisalResult.COMPETENT})
MAX_NOTE = 1000


class AppraisalError(OperationError):
    """An appraisal was refused; `code` says why (words: intake/appraisal/messages.py)."""


def _check(
    supervisor: StaffUser,
    *,
    year: int,
    result: AppraisalResult,
    note: str,
    renew_until: date | None,
    actor: StaffUser,
    today: date,
) -> None:
    if not actor.has_role("administrator") or not in_jurisdiction(actor, supervisor.region):
        raise AppraisalError("not_found")
    if not supervisor.has_role(SUPERVISOR):
        raise AppraisalError("not_found")
    if actor.id == supervisor.id:
        # Nobody changes their own term (docs/domain.md §1).
        raise AppraisalError("self_change")
    if year >= today.year:
        raise AppraisalError("appraisal_year_open", year=year)
    if not served_in(supervisor, year):
        raise AppraisalError("appraisal_not_served", year=year)
    if not note.strip() or len(note.strip()) > MAX_NOTE:
        raise AppraisalError("appraisal_note")
    if renew_until is not None:
        if result not in RENEWABLE:
            raise AppraisalError("appraisal_no_renewal")
        current = supervisor.term_end or today
        if renew_until <= max(current, today):
            raise AppraisalError("appraisal_renewal_end", day=max(current, today))


def record_appraisal(
    session: Session,
    supervisor: StaffUser,
    *,
    year: int,
    result: AppraisalResult,
    note: str,
    renew_until: date | None,
    actor: StaffUser,
    today: date,
) -> SupervisorAppraisal:
    """Record the one result of a supervisor's year; renew or end the term with it.

    An administrator of the appointing region or above, for a year that is over and in
    which the term ran; once recorded it is never changed (docs/domain.md §14). Not
    competent ends the term today (no sign-in, sessions ended); a renewal moves its end.
    """
    _check(
        supervisor,
        year=year,
        result=result,
        note=note,
        renew_until=renew_until,
        actor=actor,
        today=today,
    )
    if get_appraisal(session, supervisor, year) is not None:
        raise AppraisalError("appraisal_exists", year=year)
    appraisal = SupervisorAppraisal(
        supervisor_id=supervisor.id,
        year=year,
        result=result,
        note=note.strip(),
        renewed_until=renew_until,
        term_ended_on=today if result is AppraisalResult.NOT_COMPETENT else None,
        recorded_by_id=actor.id,
    )
    try:
        # Entering the savepoint flushes what came before; only this row is inside it.
        with session.begin_nested():
            session.add(appraisal)
    except IntegrityError:
        # Another administrator recorded the same year a moment earlier.
        raise AppraisalError("appraisal_exists", year=year) from None
    by = f"staff:{actor.id}"
    if result is AppraisalResult.NOT_COMPETENT:
        end_term(session, supervisor, today, actor=by)
    elif renew_until is not None:
        renew_term(session, supervisor, renew_until, actor=by)
    audit.record(
        session,
        "supervisor.appraised",
        actor=by,
        subject=f"staff:{supervisor.id}",
        details={
            "year": year,
            "result": result.value,
            "renewed_until": str(renew_until) if renew_until else None,
        },
    )
    log.info("supervisor %s appraised for %s by %s", supervisor.id, year, actor.id)
    return appraisal
