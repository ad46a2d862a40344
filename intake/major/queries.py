"""The major cases an office watches: those of the regions below its own (docs/domain.md §12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake.catalog import MAJOR_BASIS_LABELS, STAGE_LABELS, label_of
from intake.models import Report
from portal.accounts.models import StaffUser
from portal.jurisdictions.tree import subtree_ids

PER_PAGE = 200


@dataclass(frozen=True)
class MajorLine:
    """One major case as the list shows it: plain columns only, nothing of the case file."""

    case_number: str
    region_label: str
    party_name: str
    basis_label: object
    since: datetime
    stage_label: object


def list_major_cases(session: Session, user: StaffUser, language: str) -> list[MajorLine]:
    """Return the major cases of the regions below `user`'s own, newest first.

    A report of the user's own region is theirs to handle, not to watch from above: it is
    listed by the office above them.
    """
    below = [rid for rid in subtree_ids(session, user.region_id) if rid != user.region_id]
    reports = session.scalars(
        select(Report)
        .where(Report.region_id.in_(below), Report.major_since.is_not(None))
        .options(selectinload(Report.region))
        .order_by(Report.major_since.desc(), Report.id.desc())
        .limit(PER_PAGE)
    )
    return [
        MajorLine(
            case_number=r.case_number,
            region_label=r.region.label(language),
            party_name=r.party_name,
            basis_label=label_of(MAJOR_BASIS_LABELS, r.major_basis or ""),
            since=r.major_since,
            stage_label=label_of(STAGE_LABELS, r.stage.value),
        )
        for r in reports
        if r.major_since is not None
    ]
