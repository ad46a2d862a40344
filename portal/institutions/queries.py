"""What the administrators' directory pages read: a page of institutions, one institution.

Only institutions of the administrator's subtree are listed or opened (docs/domain.md §1).
The search is a plain one for the administration page: part of a name (current or former,
compared folded with `name_key`) or of a code. The reporters' chooser and staff linking
have their own search.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.institutions.models import Institution, InstitutionKind, InstitutionName, name_key
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids

PER_PAGE = 25


@dataclass(frozen=True)
class InstitutionFilters:
    """The list's search box and filters; empty means all."""

    text: str = ""
    region: Region | None = None
    kind: InstitutionKind | None = None


@dataclass(frozen=True)
class InstitutionPage:
    """One page of the list and the totals the page shows."""

    institutions: list[Institution]
    total: int
    page: int
    pages: int


def list_institutions(
    session: Session,
    home: Region,
    filters: InstitutionFilters,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> InstitutionPage:
    """Return a page of the institutions of `home`'s subtree matching the filters, by code."""
    root = filters.region if filters.region is not None else home
    query = select(Institution).where(Institution.region_id.in_(subtree_ids(session, root.id)))
    if filters.kind is not None:
        query = query.where(Institution.kind == filters.kind)
    text = filters.text.strip()
    if text:
        key = name_key(text)
        matches = [Institution.code.contains(text.upper(), autoescape=True)]
        if key:
            former = select(InstitutionName.institution_id).where(
                InstitutionName.name_key.contains(key, autoescape=True)
            )
            matches += [
                Institution.name_key.contains(key, autoescape=True),
                Institution.id.in_(former),
            ]
        query = query.where(or_(*matches))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    institutions = list(
        session.scalars(
            query.options(selectinload(Institution.former_names), selectinload(Institution.region))
            .order_by(Institution.code)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return InstitutionPage(institutions, total, page, pages)


def get_institution_within(
    session: Session, home: Region, institution_id: int
) -> Institution | None:
    """Return the institution if it belongs to `home`'s subtree, else None (it looks missing)."""
    institution = session.get(Institution, institution_id)
    if institution is None or not any(
        node.id == home.id for node in institution.region.ancestors_and_self()
    ):
        return None
    return institution
