"""Finding an institution of the directory by part of its name, a former name or its code.

One place says what "matches" means (docs/domain.md §8), so the report form's chooser,
its suggestions, the staff's linking and the work queue's search agree: the text typed is
folded with `name_key` (full-width to half-width, case, spaces and punctuation gone) and
looked for in the folded current and former names; a text shaped like the start of a code
(`H` or `P`, then digits) is also compared with the codes, as a prefix.

Matches come best first: the exact code, codes that start with the text, current names
that start with it, current names that contain it, then former names the same way (an
institution found by a current name is never listed again for a former one).

The names are compared with LIKE on the folded columns. The directory is small beside
the reports (thousands of rows per province, not hundreds of thousands), so reading it
costs a few milliseconds; the queue's search reads it once per page through a subquery
(`institutions_matching`), never once per report (bench/results.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.institutions.models import (
    CODE_PATTERN,
    Institution,
    InstitutionKind,
    InstitutionName,
    name_key,
)
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids

# `name_key` casefolds, so a code typed as "ｈ６４０１" arrives here as "h6401".
_CODE_START = re.compile(r"[hp]\d{1,11}")
MAX_LIMIT = 50


@dataclass(frozen=True)
class InstitutionMatch:
    """One institution found: what a chooser lists, and only public directory facts."""

    id: int
    code: str
    name: str
    # The former name the text matched, when it matched no current name or code.
    former_name: str
    kind: InstitutionKind
    region_code: str
    region_label_zh: str
    region_label_en: str
    address: str

    @property
    def party_kind(self) -> str:
        """Return the report form's party kind for this institution (docs/domain.md §2)."""
        return "pharmacy" if self.kind is InstitutionKind.PHARMACY else "hospital"

    def region_label(self, locale: str) -> str:
        """Return the institution's region with its ancestors, in `locale`."""
        return self.region_label_en if locale.startswith("en") else self.region_label_zh


def search_key(text: str) -> str:
    """Return the folded form of `text` that searches compare ('' when nothing is left)."""
    return name_key(text or "")[:200]


def code_prefix(key: str) -> str | None:
    """Return the code prefix a folded search text stands for, or None if it is no code."""
    return key.upper() if _CODE_START.fullmatch(key) else None


def _names_or_code(key: str) -> ColumnElement[bool]:
    code = code_prefix(key)
    by_name = Institution.name_key.contains(key, autoescape=True)
    return or_(by_name, Institution.code.startswith(code, autoescape=True)) if code else by_name


def institutions_matching(text: str) -> Select[int] | None:
    """Return a query of the ids of institutions matching `text`, or None if it folds to nothing."""
    key = search_key(text)
    if not key:
        return None
    former = select(InstitutionName.institution_id).where(
        InstitutionName.name_key.contains(key, autoescape=True)
    )
    return select(Institution.id).where(or_(_names_or_code(key), Institution.id.in_(former)))


def get_institution(session: Session, code: str) -> Institution | None:
    """Return the institution with this national code (typed in any case), if any."""
    wanted = (code or "").strip().upper()
    if not CODE_PATTERN.match(wanted):
        return None
    return session.scalar(select(Institution).where(Institution.code == wanted))


def as_match(institution: Institution, former_name: str = "") -> InstitutionMatch:
    """Return what a chooser shows of `institution`."""
    region = institution.region
    return InstitutionMatch(
        id=institution.id,
        code=institution.code,
        name=institution.name,
        former_name=former_name,
        kind=institution.kind,
        region_code=region.code,
        region_label_zh=region.label("zh"),
        region_label_en=region.label("en"),
        address=institution.address,
    )


def search_institutions(
    session: Session, text: str, *, region: Region | None = None, limit: int = 20
) -> list[InstitutionMatch]:
    """Return up to `limit` institutions matching `text`, best first (module docstring)."""
    key = search_key(text)
    limit = max(1, min(limit, MAX_LIMIT))
    if not key:
        return []
    within: list[ColumnElement[bool]] = []
    if region is not None:
        within.append(Institution.region_id.in_(subtree_ids(session, region.id)))
    code = code_prefix(key)
    whens: list[tuple[ColumnElement[bool], int]] = []
    if code:
        whens += [(Institution.code == code, 0), (Institution.code.startswith(code), 1)]
    whens.append((Institution.name_key.startswith(key, autoescape=True), 2))
    rank = case(*whens, else_=3)
    current = session.execute(
        select(Institution)
        .where(_names_or_code(key), *within)
        .options(selectinload(Institution.region))
        .order_by(rank, func.length(Institution.name), Institution.name, Institution.code)
        .limit(limit)
    ).scalars()
    found = [as_match(i) for i in current]
    if len(found) == limit:
        return found
    seen = {m.id for m in found}
    starts = InstitutionName.name_key.startswith(key, autoescape=True)
    former_rank = case((starts, 0), else_=1)
    rows = session.execute(
        select(Institution, InstitutionName.name)
        .join(InstitutionName, InstitutionName.institution_id == Institution.id)
        .where(
            InstitutionName.name_key.contains(key, autoescape=True),
            Institution.id.not_in(seen),
            *within,
        )
        .options(selectinload(Institution.region))
        .order_by(
            former_rank,
            func.length(InstitutionName.name),
            InstitutionName.until.desc(),
            Institution.code,
        )
        .limit(limit * 3)  # an institution may have several matching former names
    ).all()
    for institution, former in rows:
        if institution.id not in seen and len(found) < limit:
            seen.add(institution.id)
            found.append(as_match(institution, former))
    return found
