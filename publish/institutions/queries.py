"""Reading the directory for the public: the list with its filters, and one institution's page.

Only the directory and what was published about an institution are read — typical cases
and penalties on the public list — never a report, a count of reports or anything a
reporter wrote (docs/domain.md §7, §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session, selectinload

from intake.penalties.models import Penalty
from portal.institutions.models import Institution, InstitutionKind
from portal.institutions.search import institutions_matching
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids
from publish.penalties.queries import PenaltyFilters, list_listed


@dataclass(frozen=True)
class DirectoryFilters:
    """Filters of the public directory."""

    query: str = ""
    region: Region | None = None
    kind: InstitutionKind | None = None


def _where(session: Session, filters: DirectoryFilters) -> list[Any]:
    where: list[Any] = []
    if filters.region is not None:
        where.append(Institution.region_id.in_(subtree_ids(session, filters.region.id)))
    if filters.kind is not None:
        where.append(Institution.kind == filters.kind)
    if filters.query.strip():
        # The one match of the directory (names folded, former names, code prefixes).
        matching = institutions_matching(filters.query)
        where.append(Institution.id.in_(matching) if matching is not None else false())
    return where


def list_directory(
    session: Session, filters: DirectoryFilters, *, page: int = 1, per_page: int = 30
) -> tuple[list[Institution], int]:
    """Return one page of institutions, by region then name, and how many match."""
    where = _where(session, filters)
    total = session.scalar(select(func.count()).select_from(Institution).where(*where)) or 0
    rows = session.scalars(
        select(Institution)
        .where(*where)
        .options(selectinload(Institution.region))
        .order_by(Institution.region_id, Institution.name, Institution.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def listed_penalties(session: Session, institution: Institution, today: date) -> list[Penalty]:
    """Return the institution's penalties on the public list today, newest first."""
    rows, _ = list_listed(
        session,
        PenaltyFilters(institution_id=institution.id),
        today=today,
        per_page=100,
        with_total=False,
    )
    return rows
