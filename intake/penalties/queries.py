"""Reading penalty decisions for staff: the list of a jurisdiction, one decision, what a form starts from.

Staff see every decision of their node and below in every status, the whole history kept
(docs/domain.md §9); one elsewhere answers None exactly like one that does not exist
(docs/domain.md §1). The public list is publishing's (`publish/penalties/queries.py`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake.filing.receipts import normalize_case_number
from intake.models import Report
from intake.penalties.models import Penalty, SubjectKind
from portal.accounts.models import StaffUser
from portal.institutions.models import Institution
from portal.jurisdictions.tree import in_jurisdiction, subtree_ids


def list_office_penalties(session: Session, user: StaffUser, limit: int = 200) -> list[Penalty]:
    """Return the decisions of `user`'s jurisdiction in every status, most recently recorded first."""
    return list(
        session.scalars(
            select(Penalty)
            .where(Penalty.region_id.in_(subtree_ids(session, user.region_id)))
            .options(selectinload(Penalty.region))
            .order_by(Penalty.recorded_at.desc(), Penalty.id.desc())
            .limit(limit)
        )
    )


def get_office_penalty(session: Session, penalty_id: int, user: StaffUser) -> Penalty | None:
    """Return a decision of `user`'s jurisdiction; one elsewhere answers None like a missing one."""
    penalty = session.get(Penalty, penalty_id)
    return penalty if penalty is not None and in_jurisdiction(user, penalty.region) else None


def get_founded_report(session: Session, case_number: str, user: StaffUser) -> Report | None:
    """Return the report a decision may come from: in `user`'s jurisdiction, its case founded."""
    number = normalize_case_number(case_number)
    report = session.scalar(select(Report).where(Report.case_number == number)) if number else None
    if report is None or not in_jurisdiction(user, report.region):
        return None
    return report if report.outcome == "founded" else None


def get_institution_by_code(session: Session, code: str) -> Institution | None:
    """Return the directory's institution with national code `code`, if any."""
    return session.scalar(select(Institution).where(Institution.code == code.strip().upper()))


def list_penalties_of_report(session: Session, report: Report) -> list[Penalty]:
    """Return the decisions recorded from `report`, oldest first."""
    return list(
        session.scalars(select(Penalty).where(Penalty.report_id == report.id).order_by(Penalty.id))
    )


# Reported parties that are people: a decision about one is under article 41.
INDIVIDUAL_PARTIES = frozenset({"insured_person", "agency_staff", "medical_staff"})


def report_form_data(report: Report) -> dict[str, Any]:
    """Return what a decision from `report` starts with: its region, the kind of party, its institution.

    Nothing the reporter wrote is carried over: the approver names the party themselves
    unless the report is linked to the directory.
    """
    individual = report.party_kind in INDIVIDUAL_PARTIES
    data: dict[str, Any] = {
        "report": report.case_number,
        "region": report.region.code,
        "subject_kind": (SubjectKind.INDIVIDUAL if individual else SubjectKind.INSTITUTION).value,
    }
    if report.institution is not None and not individual:
        data["institution_code"] = report.institution.code
    return data
