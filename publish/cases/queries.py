"""Reading typical cases: the public lists and feeds, the office's list, and the one public shape of a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from portal.accounts.models import StaffUser
from portal.institutions.models import Institution
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction, subtree_ids
from publish.cases.models import CaseCorrection, CaseStatus, TypicalCase


@dataclass(frozen=True)
class CaseFilters:
    """Filters of the public list and the feeds."""

    region: Region | None = None
    violation: str | None = None
    subject_kind: str | None = None
    year: int | None = None
    query: str = ""
    institution_id: int | None = None


def _where(session: Session, filters: CaseFilters) -> list[Any]:
    where: list[Any] = [TypicalCase.status == CaseStatus.PUBLISHED]
    if filters.region is not None:
        where.append(TypicalCase.region_id.in_(subtree_ids(session, filters.region.id)))
    if filters.violation:
        where.append(
            or_(
                TypicalCase.violation_codes == filters.violation,
                TypicalCase.violation_codes.like(f"{filters.violation},%"),
                TypicalCase.violation_codes.like(f"%,{filters.violation},%"),
                TypicalCase.violation_codes.like(f"%,{filters.violation}"),
            )
        )
    if filters.subject_kind:
        where.append(TypicalCase.subject_kind == filters.subject_kind)
    if filters.institution_id is not None:
        where.append(TypicalCase.institution_id == filters.institution_id)
    if filters.year:
        where.append(TypicalCase.published_on >= date(filters.year, 1, 1))
        where.append(TypicalCase.published_on <= date(filters.year, 12, 31))
    for word in filters.query.split()[:5]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            or_(
                TypicalCase.title.like(pattern, escape="\\"),
                TypicalCase.body.like(pattern, escape="\\"),
            )
        )
    return where


def list_published(
    session: Session,
    filters: CaseFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    with_total: bool = True,
) -> tuple[list[TypicalCase], int]:
    """Return one page of published cases, newest first, and the total (0 unless asked)."""
    where = _where(session, filters)
    total = 0
    if with_total:
        total = session.scalar(select(func.count()).select_from(TypicalCase).where(*where)) or 0
    rows = session.scalars(
        select(TypicalCase)
        .where(*where)
        .options(selectinload(TypicalCase.region))
        .order_by(TypicalCase.published_at.desc(), TypicalCase.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def case_summary(case: TypicalCase) -> dict[str, Any]:
    """Return the public fields of a case (never `from_report_id` or who drafted it)."""
    data = {
        "id": case.id,
        "title": case.title,
        "batch": case.batch,
        "region_code": case.region.code,
        "subject_kind": case.subject_kind,
        "subject_name": case.subject_name,
        "discovery": case.discovery,
        "violation_types": case.violations,
        "conduct_from": case.conduct_from.isoformat() if case.conduct_from else None,
        "conduct_to": case.conduct_to.isoformat() if case.conduct_to else None,
        "amount": None if case.amount is None else str(case.amount),
        "fine_amount": None if case.fine_amount is None else str(case.fine_amount),
        "legal_basis": case.legal_basis,
        "measures": case.measures,
        "fully_recovered": case.fully_recovered,
        "source_url": case.source_url,
        "published_on": case.published_on.isoformat() if case.published_on else None,
        "corrections": [{"at": c.created_at.isoformat(), "note": c.note} for c in case.corrections],
    }
    return data


# Everything the public shape of a case reads, in the one statement that loads it: its
# region up to the province (the region's label names its ancestors), its institution and
# its corrections. Loaded one by one on first use, they were four more round trips for
# every page rendered (bench/README.md).
_PUBLIC_CASE_LOADS = (
    joinedload(TypicalCase.region).joinedload(Region.parent).joinedload(Region.parent),
    joinedload(TypicalCase.institution),
    joinedload(TypicalCase.corrections),
)


def get_public_case(session: Session, case_id: int) -> TypicalCase | None:
    """Return a published or withdrawn case (a draft is nobody's business but the office's)."""
    case = session.get(TypicalCase, case_id, options=_PUBLIC_CASE_LOADS)
    return None if case is None or case.status is CaseStatus.DRAFT else case


# The public page's read of a case as plain rows, without ORM objects: building and
# identity-mapping the case, its three regions, its institution and its corrections cost
# more CPU than everything else the page does (bench/README.md, "National scale"). One row
# per correction (one row when there is none), in their order; the region's parent and
# grandparent because the tree has three levels (docs/domain.md §1) and a region's label
# names its ancestors.
_REGION, _PARENT, _GRANDPARENT = aliased(Region), aliased(Region), aliased(Region)
PUBLIC_CASE_COLUMNS = (
    TypicalCase.id,
    TypicalCase.status,
    TypicalCase.title,
    TypicalCase.batch,
    TypicalCase.subject_kind,
    TypicalCase.subject_name,
    TypicalCase.discovery,
    TypicalCase.violation_codes,
    TypicalCase.conduct_from,
    TypicalCase.conduct_to,
    TypicalCase.amount,
    TypicalCase.fine_amount,
    TypicalCase.fully_recovered,
    TypicalCase.legal_basis_html,
    TypicalCase.measures_html,
    TypicalCase.body_html,
    TypicalCase.source_url,
    TypicalCase.published_on,
    TypicalCase.withdrawn_at,
    TypicalCase.withdrawn_reason,
)
_PUBLIC_CASE = (
    select(
        *PUBLIC_CASE_COLUMNS,
        _REGION.name_zh.label("region_zh"),
        _REGION.name_en.label("region_en"),
        _PARENT.name_zh.label("parent_zh"),
        _PARENT.name_en.label("parent_en"),
        _GRANDPARENT.name_zh.label("grandparent_zh"),
        _GRANDPARENT.name_en.label("grandparent_en"),
        Institution.code.label("institution_code"),
        Institution.name.label("institution_name"),
        CaseCorrection.created_at.label("correction_at"),
        CaseCorrection.note.label("correction_note"),
    )
    .join(_REGION, _REGION.id == TypicalCase.region_id)
    .outerjoin(_PARENT, _PARENT.id == _REGION.parent_id)
    .outerjoin(_GRANDPARENT, _GRANDPARENT.id == _PARENT.parent_id)
    .outerjoin(Institution, Institution.id == TypicalCase.institution_id)
    .outerjoin(CaseCorrection, CaseCorrection.case_id == TypicalCase.id)
    .where(TypicalCase.id == bindparam("case_id"), TypicalCase.status != CaseStatus.DRAFT)
    .order_by(CaseCorrection.id)
)


def read_public_case(session: Session, case_id: int) -> list[Row[Any]]:
    """Return a published or withdrawn case as rows of `_PUBLIC_CASE`; none for a draft or no case."""
    return list(session.connection().execute(_PUBLIC_CASE, {"case_id": case_id}))


def get_office_case(session: Session, case_id: int, user: StaffUser) -> TypicalCase | None:
    """Return a case of `user`'s jurisdiction; one elsewhere answers None like a missing one."""
    case = session.get(TypicalCase, case_id)
    return case if case is not None and in_jurisdiction(user, case.region) else None


def list_office_cases(session: Session, user: StaffUser, limit: int = 200) -> list[TypicalCase]:
    """Return the cases of `user`'s jurisdiction in every status, most recently changed first."""
    return list(
        session.scalars(
            select(TypicalCase)
            .where(TypicalCase.region_id.in_(subtree_ids(session, user.region_id)))
            .order_by(TypicalCase.updated_at.desc())
            .limit(limit)
        )
    )
