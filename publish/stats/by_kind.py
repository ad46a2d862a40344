"""Public statistics by kind of reported party (docs/domain.md §5, §8): reports, founded cases, penalties.

Counted for a region's whole subtree (or everywhere) and a period; small counts are
hidden as in the per-region table, and where one hidden count in a column could be
worked out from the column's total (the region's own figures), the next smallest is
hidden too. A penalty counts under the kind of its institution in the directory
(`intake.queries.count_penalties_by_party_kind` says how), on the day it was decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from intake.catalog import PARTY_KINDS
from publish.stats.metrics import KIND_METRIC_NAMES
from publish.stats.rollups import KIND_PREFIX, KIND_ROLLUPS, Source, period_counts


@dataclass(frozen=True)
class KindRow:
    """One kind of party: each count, None when it is suppressed (named in `suppressed`)."""

    kind: str
    values: dict[str, int | None]
    suppressed: frozenset[str] = frozenset()


def count_by_kind(
    session: Session,
    start: datetime,
    end: datetime,
    region_ids: list[int] | None,
    source: Source = period_counts,
) -> dict[str, dict[str, int]]:
    """Return, per kind of party, reports received, cases founded and penalties published
    decided in [start, end) in `region_ids` (None: everywhere), from the rollups
    (publish/stats/rollups.py) unless `source` says otherwise (`rollups.raw_counts` for
    comparison)."""
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
    raw = {
        c.code: {metric: counts.get(c.code, {}).get(metric, 0) for metric in KIND_METRIC_NAMES}
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
