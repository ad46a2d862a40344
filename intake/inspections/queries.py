"""Reading inspections with supervisors (docs/domain.md §14): lists, one inspection, and what others read.

An inspection is known to the office of its region and those above it (its investigators
and approvers) and to the supervisors appointed by its region or a region below it; to
anyone else it answers None exactly like one that does not exist. Other features read
`inspection_counts_of` (a supervisor's year, for the appraisal) and `inspection_found`
(the public line of a penalty found in an inspection) and nothing else of these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from intake.inspections.catalog import KIND_LABELS
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
from intake.inspections.rules import OFFICE_ROLES, SUPERVISOR_ROLES, announced_to
from intake.penalties.models import Penalty, PenaltyStatus
from portal.accounts.models import StaffUser
from portal.institutions.models import Institution
from portal.jurisdictions.tree import in_jurisdiction, subtree_ids


def list_office_inspections(
    session: Session, user: StaffUser, limit: int = 200
) -> list[Inspection]:
    """Return the inspections of `user`'s office and the offices below it, latest date first."""
    if not user.has_role(*OFFICE_ROLES):
        return []
    return list(
        session.scalars(
            select(Inspection)
            .where(Inspection.region_id.in_(subtree_ids(session, user.region_id)))
            .options(selectinload(Inspection.region), selectinload(Inspection.inspected_region))
            .order_by(Inspection.inspection_date.desc(), Inspection.id.desc())
            .limit(limit)
        )
    )


def list_announced_to(session: Session, user: StaffUser, limit: int = 200) -> list[Inspection]:
    """Return the inspections announced to supervisor `user`: by their region or one above it."""
    if not user.has_role(*SUPERVISOR_ROLES):
        return []
    above = [r.id for r in user.region.ancestors_and_self()]
    return list(
        session.scalars(
            select(Inspection)
            .where(Inspection.region_id.in_(above))
            .options(selectinload(Inspection.region), selectinload(Inspection.inspected_region))
            .order_by(Inspection.inspection_date.desc(), Inspection.id.desc())
            .limit(limit)
        )
    )


def get_office_inspection(
    session: Session, inspection_id: int, user: StaffUser
) -> Inspection | None:
    """Return an inspection of `user`'s office or below; None, like a missing one, otherwise."""
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or not user.has_role(*OFFICE_ROLES):
        return None
    return inspection if in_jurisdiction(user, inspection.region) else None


def get_announced_inspection(
    session: Session, inspection_id: int, user: StaffUser
) -> Inspection | None:
    """Return an inspection announced to supervisor `user`; None, like a missing one, otherwise."""
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or not user.has_role(*SUPERVISOR_ROLES):
        return None
    return inspection if announced_to(inspection, user) else None


def institutions_of(
    session: Session, inspection: Inspection, role: InstitutionRole
) -> list[Institution]:
    """Return the institutions `inspection` names as targets or as inspected, by code."""
    return list(
        session.scalars(
            select(Institution)
            .join(InspectionInstitution, InspectionInstitution.institution_id == Institution.id)
            .where(
                InspectionInstitution.inspection_id == inspection.id,
                InspectionInstitution.role == role,
            )
            .order_by(Institution.code)
        )
    )


def signups_of(session: Session, inspection: Inspection) -> list[InspectionSignup]:
    """Return every sign-up of `inspection` (withdrawn ones too), earliest first."""
    return list(
        session.scalars(
            select(InspectionSignup)
            .where(InspectionSignup.inspection_id == inspection.id)
            .options(selectinload(InspectionSignup.supervisor))
            .order_by(InspectionSignup.signed_up_at, InspectionSignup.id)
        )
    )


def penalties_of(session: Session, inspection: Inspection) -> list[Penalty]:
    """Return the penalty decisions linked to `inspection`."""
    return list(
        session.scalars(
            select(Penalty)
            .join(InspectionPenalty, InspectionPenalty.penalty_id == Penalty.id)
            .where(InspectionPenalty.inspection_id == inspection.id)
            .order_by(Penalty.decided_on, Penalty.id)
        )
    )


def linkable_penalties(session: Session, inspection: Inspection, limit: int = 200) -> list[Penalty]:
    """Return the decisions of the inspection's office and below that may still be linked to it."""
    linked = select(InspectionPenalty.penalty_id)
    return list(
        session.scalars(
            select(Penalty)
            .where(
                Penalty.region_id.in_(subtree_ids(session, inspection.region_id)),
                Penalty.status != PenaltyStatus.WITHDRAWN,
                Penalty.id.not_in(linked),
            )
            .order_by(Penalty.decided_on.desc(), Penalty.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class InspectionCounts:
    """A supervisor's inspections in a year: joined (confirmed participant), accounts filed."""

    joined: int
    accounts_filed: int


def inspection_counts_of(session: Session, user_id: int, year: int) -> InspectionCounts:
    """Return the inspections dated in `year` that supervisor `user_id` was confirmed for.

    A cancelled inspection was never joined. For the yearly appraisal (docs/domain.md §14).
    """
    row = session.execute(
        select(
            func.count(InspectionSignup.id),
            func.count(InspectionSignup.account_filed_at),
        )
        .join(Inspection, Inspection.id == InspectionSignup.inspection_id)
        .where(
            InspectionSignup.supervisor_id == user_id,
            InspectionSignup.status == SignupStatus.CONFIRMED,
            Inspection.status != InspectionStatus.CANCELLED,
            Inspection.inspection_date >= date(year, 1, 1),
            Inspection.inspection_date <= date(year, 12, 31),
        )
    ).one()
    return InspectionCounts(joined=int(row[0]), accounts_filed=int(row[1]))


@dataclass(frozen=True)
class InspectionFound:
    """What a public penalty entry says of the inspection it was found in: its kind and date."""

    kind: InspectionKind
    inspection_date: date


# The words of the kinds, for the public line of a penalty.
INSPECTION_KIND_LABELS = KIND_LABELS


def inspection_found(session: Session, penalty_id: int) -> InspectionFound | None:
    """Return the kind and date of the inspection a decision was found in, if any (nothing more)."""
    row = session.execute(
        select(Inspection.kind, Inspection.inspection_date)
        .join(InspectionPenalty, InspectionPenalty.inspection_id == Inspection.id)
        .where(InspectionPenalty.penalty_id == penalty_id)
    ).first()
    return None if row is None else InspectionFound(kind=row[0], inspection_date=row[1])
