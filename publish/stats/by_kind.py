"""Public statistics by kind of reported party (docs/domain.md §5, §8): reports, founded cases, penalties.

Counted for a region's whole subtree (or everywhere) and a period; small counts are
hidden as in the per-region table, and where one hidden count in a column could be
worked out from the column's total (the region's own figures), the next smallest is
hidden too. A penalty counts under the kind of its institution in the directory, a
penalty against an individual under "insured person" (art. 41 is about the insured's
own conduct), one against an unlisted institution under "other".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.catalog import PARTY_KINDS
from intake.penalties.models import Penalty, PenaltyStatus, SubjectKind
from portal.institutions.models import Institution, InstitutionKind
from portal.timeutil import CHINA
from publish.stats.metrics import KIND_METRIC_NAMES
from publish.stats.rollups import KIND_PREFIX, KIND_ROLLUPS, Source, period_counts

# The directory's kinds, in the party kinds of reports.
_PARTY_OF_INSTITUTION = {
    InstitutionKind.HOSPITAL: "hospital",
    InstitutionKind.PRIMARY_CARE: "hospital",
    InstitutionKind.PHARMACY: "pharmacy",
    InstitutionKind.OTHER: "other",
}


@dataclass(frozen=True)
class KindRow:
    """One kind of party: each count, None when it is suppressed (named in `suppressed`)."""

    kind: str
    values: dict[str, int | None]
    suppressed: frozenset[str] = frozenset()


def _penalties_by_kind(
    session: Session, start: datetime, end: datetime, region_ids: list[int] | None
) -> dict[str, int]:
    query = (
        select(Penalty.subject_kind, Institution.kind, func.count())
        .select_from(Penalty)
        .outerjoin(Institution, Institution.id == Penalty.institution_id)
        .where(
            Penalty.status == PenaltyStatus.PUBLISHED,
            Penalty.decided_on >= start.astimezone(CHINA).date(),
            Penalty.decided_on < end.astimezone(CHINA).date(),
        )
        .group_by(Penalty.subject_kind, Institution.kind)
    )
    if region_ids is not None:
        query = query.where(Penalty.region_id.in_(region_ids))
    counts: dict[str, int] = {}
    for subject, kind, count in session.execute(query).all():
        if subject == SubjectKind.INDIVIDUAL:
            party = "insured_person"
        else:
            party = _PARTY_OF_INSTITUTION.get(kind, "other") if kind else "other"
        counts[party] = counts.get(party, 0) + count
    return counts


def count_by_kind(
    session: Session,
    start: datetime,
    end: datetime,
    region_ids: list[int] | None,
    source: Source = period_counts,
) -> dict[str, dict[str, int]]:
    """Return, per kind of party, reports received and cases founded in [start, end) in
    `region_ids` (None: everywhere), from the rollups (publish/stats/rollups.py) unless
    `source` says otherwise (`rollups.raw_counts` for comparison)."""
    wanted = None if region_ids is None else set(region_ids)
    counts: dict[str, dict[str, int]] = {}
    for (region_id, name, _bucket), cell in source(session, start, end, KIND_ROLLUPS).items():
        if wanted is None or region_id in wanted:
            metric, kind = name.removeprefix(KIND_PREFIX).split(":", 1)
            into = counts.setdefault(kind, {})
            into[metric] = into.get(metric, 0) + cell.count
    return counts


def kind_rows(
    session: Session,
    start: datetime,
    end: datetime,
    region_ids: list[int] | None,
    threshold: int,
    source: Source = period_counts,
) -> list[KindRow]:
    """Return one row per kind of party, small counts suppressed."""
    counts = count_by_kind(session, start, end, region_ids, source)
    penalties = _penalties_by_kind(session, start, end, region_ids)
    raw = {
        c.code: {
            "reports": counts.get(c.code, {}).get("reports", 0),
            "founded": counts.get(c.code, {}).get("founded", 0),
            "penalties": penalties.get(c.code, 0),
        }
        for c in PARTY_KINDS
    }
    hidden: dict[str, set[str]] = {metric: set() for metric in KIND_METRIC_NAMES}
    for metric in KIND_METRIC_NAMES:
        hidden[metric] = {k for k, v in raw.items() if 0 < v[metric] < threshold}
        if len(hidden[metric]) == 1:
            # The column adds up to a figure shown elsewhere: hide one more.
            others = sorted(
                (k for k, v in raw.items() if k not in hidden[metric] and v[metric] > 0),
                key=lambda k: (raw[k][metric], k),
            )
            if others:
                hidden[metric].add(others[0])
    return [
        KindRow(
            kind,
            {m: None if kind in hidden[m] else values[m] for m in KIND_METRIC_NAMES},
            frozenset(m for m in KIND_METRIC_NAMES if kind in hidden[m]),
        )
        for kind, values in raw.items()
    ]
