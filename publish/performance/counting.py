"""What is counted per region for the offices compared (docs/domain.md §15), all of it in SQL.

Each counter asks intake (or the penalty list) for counts grouped by region and returns
them as `Tally` lines under the names publish/performance/metrics.py reads. Every event
counts in the period it happened in, by China's time (docs/domain.md §15). A new figure
(for instance the opinions of social supervisors, docs/domain.md §14) is one more
counter in COUNTERS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from intake.opinions.queries import count_opinion_replies
from intake.queries import (
    count_closed_by_days,
    count_decisions,
    count_ratings,
    count_received_by_source,
    count_received_by_violation_group,
    count_reports_by_region,
    count_reviews,
    list_handling_decisions,
)
from publish.penalties.queries import count_published_by_region
from publish.performance.metrics import CHANNEL_CODES


@dataclass(frozen=True)
class Tally:
    """Part of a region's figure: `value` added to `name` (or, with `days`, to a distribution)."""

    region_id: int
    name: str
    value: int | Decimal
    days: int | None = None


Counter = Callable[[Session, datetime, datetime], Iterable[Tally]]


def _received(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    for region_id, count in count_reports_by_region(session, start, end, by="received"):
        yield Tally(region_id, "received", count)


def _closed(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    # Days from receipt to closing, between dates in China, as deadlines are counted.
    for region_id, days, count in count_closed_by_days(session, start, end):
        yield Tally(region_id, "closed", count)
        yield Tally(region_id, "close_days", count, days)


def _decisions(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    # Accepted, declined or transferred; on time by the acceptance deadline (docs/domain.md §3).
    for kind, region_id, _days, count, on_time in count_decisions(session, start, end):
        yield Tally(region_id, "decided", count)
        yield Tally(region_id, "decided_on_time", on_time)
        if kind == "transferred":
            yield Tally(region_id, "transferred", count)


def _handling(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    # One line per handling decision: amounts add up exactly, as Decimals (publish/stats alike).
    for region_id, recovered, on_time in list_handling_decisions(session, start, end):
        yield Tally(region_id, "handled", 1)
        yield Tally(region_id, "handled_on_time", int(on_time))
        yield Tally(region_id, "returned_amount", recovered or Decimal(0))


def _reviews(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    for kind, region_id, count in count_reviews(session, start, end):
        if kind in ("requested", "sent_back"):
            yield Tally(region_id, f"reviews_{kind}", count)


def _ratings(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    # 满意 and 基本满意 together make the share of content reporters (docs/domain.md §11).
    for satisfaction, region_id, count in count_ratings(session, start, end):
        yield Tally(region_id, "rated", count)
        if satisfaction in ("satisfied", "mostly"):
            yield Tally(region_id, "rated_content", count)


def _penalties(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    for region_id, count in count_published_by_region(session, start, end):
        yield Tally(region_id, "penalties_published", count)


def _opinions(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    for region_id, _received, answered, on_time in count_opinion_replies(session, start, end):
        yield Tally(region_id, "opinions_answered", answered)
        yield Tally(region_id, "opinions_on_time", on_time)


def _channels(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    for region_id, source, count in count_received_by_source(session, start, end):
        channel = source if source in CHANNEL_CODES else "other"
        yield Tally(region_id, f"channel:{channel}", count)


def _groups(session: Session, start: datetime, end: datetime) -> Iterator[Tally]:
    for region_id, group, count in count_received_by_violation_group(session, start, end):
        yield Tally(region_id, f"group:{group}", count)


COUNTERS: tuple[Counter, ...] = (
    _received,
    _closed,
    _decisions,
    _handling,
    _reviews,
    _ratings,
    _opinions,
    _penalties,
    _channels,
    _groups,
)
