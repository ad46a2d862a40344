"""The figures of docs/domain.md §15 recomputed in plain Python from ORM rows, for comparison.

Written from the rules, not from publish/performance: every event counted by its day in
China's time, each row over its set of regions.
"""

from __future__ import annotations

import statistics
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.catalog import VIOLATION_GROUPS
from intake.models import Report, ReportEvent
from intake.opinions.models import Opinion
from intake.penalties.models import Penalty, PenaltyStatus
from intake.review.models import Rating, Review, ReviewStatus
from portal.timeutil import CHINA

CHANNELS = ("web", "hotline", "letter", "visit", "media", "department", "supervisor", "other")
GROUP_OF = {t.code: g.code for g in VIOLATION_GROUPS for t in g.types}
GROUPS = (*(g.code for g in VIOLATION_GROUPS), "unclassified")


def _in(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _day(moment: datetime) -> Any:
    return moment.astimezone(CHINA).date()


def recompute(db: Session, region_ids: set[int], start: datetime, end: datetime) -> dict[str, Any]:
    """Return every figure of one row: the reports, events and decisions of `region_ids`."""
    reports = [r for r in db.scalars(select(Report)) if r.region_id in region_ids]
    ids = {r.id for r in reports}
    events = [
        e
        for e in db.scalars(select(ReportEvent))
        if e.report_id in ids and _in(e.created_at, start, end)
    ]
    received = [r for r in reports if _in(r.received_at, start, end)]
    decisions = [e for e in events if e.kind in ("accepted", "declined", "transferred")]
    handling = [e for e in events if e.kind == "handling_decided"]
    closed = [r for r in reports if _in(r.closed_at, start, end)]
    ratings = [
        x for x in db.scalars(select(Rating)) if x.report_id in ids and _in(x.rated_at, start, end)
    ]
    reviews = [x for x in db.scalars(select(Review)) if x.report_id in ids]
    penalties = [
        p
        for p in db.scalars(select(Penalty))
        if p.region_id in region_ids
        and p.status is PenaltyStatus.PUBLISHED
        and _in(p.published_at, start, end)
    ]

    answered = [
        o
        for o in db.scalars(select(Opinion))
        if o.office_region_id in region_ids and _in(o.answered_at, start, end)
    ]

    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    decided_on_time = sum(_day(e.created_at) <= e.report.accept_due_on for e in decisions)
    handled_on_time = sum(
        e.report.handle_due_on is not None and _day(e.created_at) <= e.report.handle_due_on
        for e in handling
    )
    content = sum(x.satisfaction.value in ("satisfied", "mostly") for x in ratings)
    days = [(_day(r.closed_at) - _day(r.received_at)).days for r in closed if r.closed_at]
    figures: dict[str, Any] = {
        "received": len(received),
        "decided": len(decisions),
        "decided_on_time_rate": share(decided_on_time, len(decisions)),
        "handled": len(handling),
        "handled_on_time_rate": share(handled_on_time, len(handling)),
        "closed": len(closed),
        "median_days_to_close": statistics.median(days) if days else None,
        "transferred": sum(e.kind == "transferred" for e in decisions),
        "reviews_requested": sum(_in(x.requested_at, start, end) for x in reviews),
        "reviews_sent_back": sum(
            x.status is ReviewStatus.SENT_BACK and _in(x.answered_at, start, end) for x in reviews
        ),
        "rated": len(ratings),
        "satisfied_rate": share(content, len(ratings)),
        "opinions_answered": len(answered),
        "opinions_on_time_rate": share(
            sum(
                o.answered_at is not None and _day(o.answered_at) <= o.reply_due_on
                for o in answered
            ),
            len(answered),
        ),
        "penalties_published": len(penalties),
        "returned_amount": sum(
            (e.report.recovered_amount or Decimal(0) for e in handling), Decimal(0)
        ).quantize(Decimal("0.01")),
    }
    for channel in CHANNELS:
        figures[f"channel:{channel}"] = sum(
            (r.source if r.source in CHANNELS else "other") == channel for r in received
        )
    for group in GROUPS:
        figures[f"group:{group}"] = sum(
            (group in {GROUP_OF[c] for c in r.violation_codes})
            if group != "unclassified"
            else not r.violation_codes
            for r in received
        )
    return figures
