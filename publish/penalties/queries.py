"""Reading the public list of penalty decisions (处理结果公示): what is on it today, and its one public shape.

An entry is on the list on a day when its decision is published, its publicity period
has not ended and no credit repair has taken it off (`Penalty.listed_on`, written here
once more as SQL). `penalty_record` is the only shape in which a decision leaves the
portal — pages, feeds, downloads and the API — so nothing of the report it came from
(case number, facts, report id) and nothing staff-only (the summary, who recorded it)
can reach the public, and an individual is always masked (docs/domain.md §9, §7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from intake.penalties.models import Penalty, PenaltyStatus, SubjectKind
from portal.institutions.models import Institution, InstitutionKind
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids
from portal.timeutil import CHINA
from publish.cases.operations import mask_individual

# The kinds of party the list is filtered by: the directory's kinds of institution, and
# individuals. An institution not in the directory counts as "other".
INDIVIDUAL = "individual"
PARTY_KIND_CODES = (*(k.value for k in InstitutionKind), INDIVIDUAL)


@dataclass(frozen=True)
class PenaltyFilters:
    """Filters of the public list, its downloads, feeds and the API."""

    region: Region | None = None
    article: int | None = None
    measure: str | None = None
    kind: str | None = None
    year: int | None = None
    # One institution of the directory (its page and its feed).
    institution_id: int | None = None


def listed_clause(today: date) -> list[Any]:
    """Return the SQL conditions of `Penalty.listed_on(today)`."""
    return [
        Penalty.status == PenaltyStatus.PUBLISHED,
        Penalty.public_until >= today,
        or_(Penalty.repaired_on.is_(None), Penalty.repaired_on > today),
    ]


def _kind_clause(kind: str) -> Any:
    if kind == INDIVIDUAL:
        return Penalty.subject_kind == SubjectKind.INDIVIDUAL
    clause = and_(
        Penalty.subject_kind == SubjectKind.INSTITUTION, Institution.kind == InstitutionKind(kind)
    )
    if kind == InstitutionKind.OTHER.value:
        not_listed = and_(
            Penalty.subject_kind == SubjectKind.INSTITUTION, Penalty.institution_id.is_(None)
        )
        clause = or_(clause, not_listed)
    return clause


def _filtered(session: Session, query: Select[Any], filters: PenaltyFilters, today: date) -> Any:
    where = listed_clause(today)
    if filters.region is not None:
        where.append(Penalty.region_id.in_(subtree_ids(session, filters.region.id)))
    if filters.article is not None:
        where.append(Penalty.article == filters.article)
    if filters.institution_id is not None:
        where.append(Penalty.institution_id == filters.institution_id)
    if filters.measure:
        code = filters.measure
        where.append(
            or_(
                Penalty.measures == code,
                Penalty.measures.like(f"{code},%"),
                Penalty.measures.like(f"%,{code},%"),
                Penalty.measures.like(f"%,{code}"),
            )
        )
    if filters.year:
        where.append(Penalty.decided_on >= date(filters.year, 1, 1))
        where.append(Penalty.decided_on <= date(filters.year, 12, 31))
    if filters.kind:
        query = query.outerjoin(Institution, Penalty.institution_id == Institution.id)
        where.append(_kind_clause(filters.kind))
    return query.where(*where)


def list_listed(
    session: Session,
    filters: PenaltyFilters,
    *,
    today: date,
    page: int = 1,
    per_page: int = 20,
    with_total: bool = True,
) -> tuple[list[Penalty], int]:
    """Return one page of entries on the list today, newest publication first, and the total."""
    total = 0
    if with_total:
        count = _filtered(session, select(func.count(Penalty.id)), filters, today)
        total = session.scalar(count) or 0
    rows = session.scalars(
        _filtered(session, select(Penalty), filters, today)
        .options(selectinload(Penalty.region), selectinload(Penalty.institution))
        .order_by(Penalty.published_at.desc(), Penalty.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def list_published_between(
    session: Session, region: Region, start: datetime, end: datetime, *, today: date
) -> list[Penalty]:
    """Return the entries of `region`'s subtree published in [start, end) and on the list `today`, oldest first.

    The annual report lists the year's publications (docs/domain.md §15); an entry that has
    already left the list is not named again (§9).
    """
    return list(
        session.scalars(
            select(Penalty)
            .where(
                *listed_clause(today),
                Penalty.region_id.in_(subtree_ids(session, region.id)),
                Penalty.published_at >= start,
                Penalty.published_at < end,
            )
            .options(selectinload(Penalty.region), selectinload(Penalty.institution))
            .order_by(Penalty.published_at, Penalty.id)
        )
    )


def get_published(session: Session, penalty_id: int) -> Penalty | None:
    """Return a published decision, on the list or off it; None for any other (never public)."""
    penalty = session.get(Penalty, penalty_id)
    return penalty if penalty is not None and penalty.status is PenaltyStatus.PUBLISHED else None


def public_name(penalty: Penalty) -> str:
    """Return the party's name as the public sees it: an individual as surname + 某/某某."""
    if penalty.subject_kind is SubjectKind.INDIVIDUAL:
        return mask_individual(penalty.subject_name)
    return penalty.subject_name


def party_kind(penalty: Penalty) -> str:
    """Return the kind of party the list files an entry under (see PARTY_KIND_CODES)."""
    if penalty.subject_kind is SubjectKind.INDIVIDUAL:
        return INDIVIDUAL
    institution = penalty.institution
    return institution.kind.value if institution is not None else InstitutionKind.OTHER.value


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def published_on(penalty: Penalty) -> date | None:
    """Return the day in China the decision was published."""
    at = penalty.published_at
    return None if at is None else at.astimezone(CHINA).date()


def penalty_record(penalty: Penalty) -> dict[str, Any]:
    """Return the public fields of a decision: what the list, feeds, downloads and API carry."""
    institution = penalty.institution
    return {
        "id": penalty.id,
        "region_code": penalty.region.code,
        "region": penalty.region.label("zh"),
        "party_kind": party_kind(penalty),
        "subject_name": public_name(penalty),
        "institution_code": institution.code if institution is not None else None,
        "article": penalty.article,
        "measures": [c for c in penalty.measures.split(",") if c],
        "basis_amount": _money(penalty.basis_amount),
        "returned_amount": _money(penalty.returned_amount),
        "fine_amount": _money(penalty.fine_amount),
        "suspension_from": _day(penalty.suspension_from),
        "suspension_to": _day(penalty.suspension_to),
        "terminates_agreement": penalty.terminates_agreement,
        "serious_dishonesty": penalty.serious_dishonesty,
        "deciding_office": penalty.deciding_office,
        "decision_number": penalty.decision_number,
        "decided_on": penalty.decided_on.isoformat(),
        "published_on": _day(published_on(penalty)),
        "public_until": _day(penalty.public_until),
    }


def count_published_by_region(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, int]]:
    """Return (region id, decisions) published in [start, end), by the region of the decision.

    Counted by the day of publication, whether or not the entry is still on the list (a
    credit repair or the end of its publicity does not undo having been published).
    """
    rows = session.execute(
        select(Penalty.region_id, func.count())
        .where(
            Penalty.status == PenaltyStatus.PUBLISHED,
            Penalty.published_at >= start,
            Penalty.published_at < end,
        )
        .group_by(Penalty.region_id)
    ).all()
    return [(region_id, count) for region_id, count in rows]
