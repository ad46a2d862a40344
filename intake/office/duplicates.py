"""Other reports about the same party, for the staff page's duplicates panel (docs/domain.md §8).

Two reports are about the same party when they are linked to the same institution of the
directory or, for a party given as free text, when their folded names (`party_key`) are
equal; a free-text party also meets the reports linked to the institution that bears its
name, now or formerly. Reports linked to two different institutions are never the same
party, whatever their names. Of those, the panel lists the ones that may be the same clue:
their periods of conduct overlap, or they name a violation type in common. Only reports of
the officer's jurisdiction are read, and merging stays the workflow's (`merge_reports`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from intake.catalog import STAGE_LABELS, label_of
from intake.models import Report, Stage
from intake.office.workflow import ACTIVE
from portal.accounts.models import StaffUser
from portal.institutions.models import Institution, InstitutionName
from portal.jurisdictions.tree import subtree_ids

# The newest reports about the party are compared; a party reported more often than this
# is a case for the queue's search, not for a panel.
CANDIDATES = 200
SHOWN = 20


@dataclass(frozen=True)
class DuplicateLine:
    """Another report about the same party that may be the same clue."""

    case_number: str
    stage: Stage
    stage_label: object
    received_at: datetime
    # True: linked to the same institution; False: the same party given as free text.
    same_institution: bool
    # The days both periods of conduct cover (an open end stays open), or None.
    period: tuple[date | None, date | None] | None
    shared_violations: tuple[str, ...]
    # Still being handled and not merged: the merge form may be offered for it.
    active: bool


def _same_party(report: Report) -> ColumnElement[bool] | None:
    if report.institution is not None:
        institution = report.institution
        names = {institution.name_key, report.party_key}
        names.update(n.name_key for n in institution.former_names)
        names.discard("")
        return or_(
            Report.institution_id == institution.id,
            and_(Report.institution_id.is_(None), Report.party_key.in_(names)),
        )
    key = report.party_key
    if not key:
        return None
    return or_(
        Report.party_key == key,
        Report.institution_id.in_(select(Institution.id).where(Institution.name_key == key)),
        Report.institution_id.in_(
            select(InstitutionName.institution_id).where(InstitutionName.name_key == key)
        ),
    )


def period_overlap(one: Report, other: Report) -> tuple[date | None, date | None] | None:
    """Return the days both reports' periods of conduct cover, or None if either has none."""
    if not (one.conduct_from or one.conduct_to) or not (other.conduct_from or other.conduct_to):
        return None
    start = max((d for d in (one.conduct_from, other.conduct_from) if d), default=None)
    end = min((d for d in (one.conduct_to, other.conduct_to) if d), default=None)
    if start is not None and end is not None and start > end:
        return None
    return start, end


def list_duplicates(session: Session, report: Report, user: StaffUser) -> list[DuplicateLine]:
    """Return the reports of `user`'s jurisdiction that may be the same clue as `report`."""
    same_party = _same_party(report)
    if same_party is None:
        return []
    others = session.scalars(
        select(Report)
        .where(
            same_party,
            Report.id != report.id,
            Report.merged_into_id.is_(None),
            Report.region_id.in_(subtree_ids(session, user.region_id)),
        )
        .options(selectinload(Report.violations))
        .order_by(Report.received_at.desc(), Report.id.desc())
        .limit(CANDIDATES)
    )
    codes = set(report.violation_codes)
    lines = []
    for other in others:
        period = period_overlap(report, other)
        shared = tuple(sorted(codes.intersection(other.violation_codes)))
        if period is None and not shared:
            continue
        lines.append(
            DuplicateLine(
                case_number=other.case_number,
                stage=other.stage,
                stage_label=label_of(STAGE_LABELS, other.stage.value),
                received_at=other.received_at,
                same_institution=report.institution_id is not None
                and other.institution_id == report.institution_id,
                period=period,
                shared_violations=shared,
                active=other.stage in ACTIVE,
            )
        )
    return lines[:SHOWN]
