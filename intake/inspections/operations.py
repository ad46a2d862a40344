"""The office's steps on an inspection with supervisors (docs/domain.md §14).

Announce, edit until the date, cancel with a reason, confirm who joins (never more than the
places), record it done with its results and the institutions inspected, then link the
penalties decided from it. Each step checks `rules.INSPECTION_STEPS`, changes the rows,
writes an audit entry and flushes; the request commits.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from intake.inspections.models import (
    Inspection,
    InspectionInstitution,
    InspectionKind,
    InspectionPenalty,
    InspectionSignup,
    InspectionStatus,
    InstitutionRole,
    SignupStatus,
)
from intake.inspections.rules import (
    MAX_PLACES,
    MIN_PLACES,
    OFFICE_ROLES,
    InspectionError,
    InspectionNotFound,
    check_step,
)
from intake.penalties.models import Penalty, PenaltyStatus
from portal import audit
from portal.accounts.models import StaffUser
from portal.db import utcnow
from portal.institutions.models import Institution
from portal.institutions.search import get_institution
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import today_in_china

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InspectionFields:
    """What an office says of an inspection when announcing or editing it."""

    kind: InspectionKind
    inspection_date: date
    inspected_region: Region
    places: int
    summary: str
    instructions: str = ""
    show_targets_early: bool = False
    target_codes: Sequence[str] = ()


def _within(region: Region, root: Region) -> bool:
    return any(r.id == root.id for r in region.ancestors_and_self())


def _institutions(session: Session, codes: Sequence[str], within: Region) -> list[Institution]:
    """Return the directory's institutions of `codes`, each of the region `within` or below it."""
    found: list[Institution] = []
    unknown: list[str] = []
    outside: list[str] = []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        institution = get_institution(session, code)
        if institution is None:
            unknown.append(code)
        elif not _within(institution.region, within):
            outside.append(code)
        else:
            found.append(institution)
    if unknown:
        raise InspectionError("inspection_unknown_codes", codes="、".join(unknown))
    if outside:
        raise InspectionError("inspection_codes_outside", codes="、".join(outside))
    return found


def _check_fields(
    session: Session, fields: InspectionFields, office: Region, today: date
) -> list[Institution]:
    if not _within(fields.inspected_region, office):
        raise InspectionError("inspection_region")
    if fields.inspection_date < today:
        raise InspectionError("inspection_past")
    if not MIN_PLACES <= fields.places <= MAX_PLACES:
        raise InspectionError("inspection_places", low=MIN_PLACES, high=MAX_PLACES)
    if not fields.summary.strip():
        raise InspectionError("inspection_summary")
    # An undercover visit stays secret until it is done (docs/domain.md §14).
    if fields.kind is InspectionKind.UNDERCOVER and fields.show_targets_early:
        raise InspectionError("inspection_undercover_shown")
    return _institutions(session, fields.target_codes, fields.inspected_region)


def _set_institutions(
    session: Session, inspection: Inspection, role: InstitutionRole, chosen: list[Institution]
) -> list[str]:
    session.execute(
        delete(InspectionInstitution).where(
            InspectionInstitution.inspection_id == inspection.id,
            InspectionInstitution.role == role,
        )
    )
    for institution in chosen:
        session.add(
            InspectionInstitution(
                inspection_id=inspection.id, institution_id=institution.id, role=role
            )
        )
    return sorted(i.code for i in chosen)


def _audit(
    session: Session, what: str, inspection: Inspection, actor: StaffUser, **details: Any
) -> None:
    audit.record(
        session,
        f"inspection.{what}",
        actor=f"staff:{actor.id}",
        subject=f"inspection:{inspection.id}",
        details=details or None,
    )
    log.info("inspection %s %s by staff %s", inspection.id, what, actor.id)


def _record(fields: InspectionFields) -> dict[str, Any]:
    return {
        "kind": fields.kind.value,
        "date": fields.inspection_date.isoformat(),
        "region": fields.inspected_region.code,
        "places": fields.places,
        "show_targets_early": fields.show_targets_early,
    }


def announce_inspection(
    session: Session,
    fields: InspectionFields,
    *,
    office: Region,
    actor: StaffUser,
    today: date | None = None,
) -> Inspection:
    """Announce an inspection for `office` (the actor's region or one below it)."""
    if not actor.has_role(*OFFICE_ROLES):
        raise InspectionError("role")
    if not in_jurisdiction(actor, office):
        raise InspectionError("inspection_office")
    targets = _check_fields(session, fields, office, today or today_in_china())
    inspection = Inspection(
        region=office,
        inspected_region=fields.inspected_region,
        kind=fields.kind,
        status=InspectionStatus.ANNOUNCED,
        inspection_date=fields.inspection_date,
        places=fields.places,
        summary=fields.summary.strip(),
        instructions=fields.instructions.strip(),
        show_targets_early=fields.show_targets_early,
        announced_by_id=actor.id,
    )
    session.add(inspection)
    session.flush()
    codes = _set_institutions(session, inspection, InstitutionRole.TARGET, targets)
    _audit(
        session,
        "announced",
        inspection,
        actor,
        office=office.code,
        targets=codes,
        **_record(fields),
    )
    return inspection


def confirmed_count(session: Session, inspection: Inspection) -> int:
    """Return how many supervisors the office confirmed for `inspection`."""
    return (
        session.scalar(
            select(func.count(InspectionSignup.id)).where(
                InspectionSignup.inspection_id == inspection.id,
                InspectionSignup.status == SignupStatus.CONFIRMED,
            )
        )
        or 0
    )


def edit_inspection(
    session: Session,
    inspection: Inspection,
    fields: InspectionFields,
    *,
    actor: StaffUser,
    expected_version: int | None = None,
    today: date | None = None,
) -> None:
    """Change an announced inspection until its date; never fewer places than confirmed."""
    day = today or today_in_china()
    check_step("edit", inspection, actor, day)
    # Another officer changed it since this form was drawn: theirs is not overwritten.
    if expected_version is not None and expected_version != inspection.version:
        raise InspectionError("stale")
    targets = _check_fields(session, fields, inspection.region, day)
    taken = confirmed_count(session, inspection)
    if fields.places < taken:
        raise InspectionError("inspection_places_taken", count=taken)
    inspection.kind = fields.kind
    inspection.inspection_date = fields.inspection_date
    inspection.inspected_region = fields.inspected_region
    inspection.places = fields.places
    inspection.summary = fields.summary.strip()
    inspection.instructions = fields.instructions.strip()
    inspection.show_targets_early = fields.show_targets_early
    codes = _set_institutions(session, inspection, InstitutionRole.TARGET, targets)
    session.flush()
    _audit(session, "edited", inspection, actor, targets=codes, **_record(fields))


def cancel_inspection(
    session: Session,
    inspection: Inspection,
    *,
    reason: str,
    actor: StaffUser,
    today: date | None = None,
) -> None:
    """Cancel an announced inspection, with a reason."""
    check_step("cancel", inspection, actor, today or today_in_china())
    if not reason.strip():
        raise InspectionError("reason")
    inspection.status = InspectionStatus.CANCELLED
    inspection.cancel_reason = reason.strip()
    inspection.cancelled_at = utcnow()
    session.flush()
    _audit(session, "cancelled", inspection, actor)


def confirm_participant(
    session: Session,
    inspection: Inspection,
    signup_id: int,
    *,
    actor: StaffUser,
    today: date | None = None,
) -> InspectionSignup:
    """Confirm that a supervisor who signed up joins; never more than the places."""
    check_step("confirm", inspection, actor, today or today_in_china())
    signup = session.get(InspectionSignup, signup_id)
    if signup is None or signup.inspection_id != inspection.id:
        raise InspectionNotFound("not_found")
    if signup.status is not SignupStatus.SIGNED_UP:
        raise InspectionError("inspection_signup_status")
    # Two officers confirming at once wait for each other on PostgreSQL (SQLite writes one
    # transaction at a time), so the count below cannot let both fill the last place.
    session.execute(select(Inspection.id).where(Inspection.id == inspection.id).with_for_update())
    if confirmed_count(session, inspection) >= inspection.places:
        raise InspectionError("inspection_full", places=inspection.places)
    signup.status = SignupStatus.CONFIRMED
    signup.confirmed_by_id = actor.id
    signup.confirmed_at = utcnow()
    session.flush()
    _audit(session, "confirmed", inspection, actor, supervisor=signup.supervisor_id)
    return signup


def record_results(
    session: Session,
    inspection: Inspection,
    *,
    results: str,
    inspected_codes: Sequence[str],
    actor: StaffUser,
    today: date | None = None,
) -> None:
    """Record the inspection done: its results and the institutions actually inspected."""
    check_step("record_results", inspection, actor, today or today_in_china())
    if not results.strip():
        raise InspectionError("inspection_results")
    inspected = _institutions(session, inspected_codes, inspection.inspected_region)
    inspection.status = InspectionStatus.DONE
    inspection.results = results.strip()
    inspection.done_by_id = actor.id
    inspection.done_at = utcnow()
    codes = _set_institutions(session, inspection, InstitutionRole.INSPECTED, inspected)
    session.flush()
    _audit(session, "done", inspection, actor, inspected=codes)


def link_penalty(
    session: Session,
    inspection: Inspection,
    penalty_id: int,
    *,
    actor: StaffUser,
    today: date | None = None,
) -> InspectionPenalty:
    """Link a penalty decided from a done inspection; its public entry then says so."""
    check_step("link_penalty", inspection, actor, today or today_in_china())
    penalty = session.get(Penalty, penalty_id)
    # A decision of the office's jurisdiction and the user's; any other is not known here.
    if (
        penalty is None
        or not in_jurisdiction(actor, penalty.region)
        or not _within(penalty.region, inspection.region)
    ):
        raise InspectionError("inspection_penalty_unknown")
    if penalty.status is PenaltyStatus.WITHDRAWN:
        raise InspectionError("inspection_penalty_withdrawn")
    if session.get(InspectionPenalty, penalty.id) is not None:
        raise InspectionError("inspection_penalty_linked")
    link = InspectionPenalty(
        penalty_id=penalty.id, inspection_id=inspection.id, linked_by_id=actor.id
    )
    session.add(link)
    session.flush()
    _audit(session, "penalty_linked", inspection, actor, penalty=penalty.id)
    return link
