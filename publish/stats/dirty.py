"""Marking the days whose statistics a flush may move, in the flush's own transaction.

An `after_flush` listener (session state and attribute history still hold what the flush
wrote) reads each new, changed or deleted row the count queries read and inserts the days
in China of every timestamp those queries filter on, old and new, into `stats_dirty_days`.
A change to a column that figures of other days read (a report's region, receipt,
deadlines or recovered amount: the decisions, closing and handling counted on other days
read them through the join) marks every day of that report. A penalty is counted on the
day it was decided, under its institution's kind: a change of an institution's kind marks
the days of its penalties. Marks commit or roll back with the change itself, so the
rollups are never trusted for a day a committed change touched until the refresh has
recomputed it (publish/stats/rollups.py).

Writes that bypass the ORM (Core `insert`/`update`/`delete`, COPY) are not seen: whoever
writes so calls `mark_days` (or rebuilds: `flask --app portal stats-rollup --rebuild`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import CompoundSelect, event, insert, inspect, select, union_all
from sqlalchemy.orm import InstanceState, Session

from intake.models import Report, ReportEvent
from intake.opinions.models import Opinion
from intake.penalties.models import Penalty
from intake.review.models import Rating, Review
from intake.rewards.models import Reward
from portal.institutions.models import Institution
from portal.timeutil import CHINA
from publish.stats.rollups import DECISIONS, StatsDirtyDay

COUNTED_EVENTS = frozenset({*DECISIONS, "handling_decided"})

# For each row the count queries read: the timestamps they filter on, and every column
# (or relationship) whose change may move a figure of those timestamps' days.
WATCHED: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ReportEvent: (("created_at",), ("kind", "created_at", "report_id", "report")),
    Rating: (("rated_at",), ("satisfaction", "rated_at", "report_id", "report")),
    Review: (
        ("requested_at", "answered_at"),
        ("status", "requested_at", "answered_at", "report_id", "report"),
    ),
    Reward: (("paid_at",), ("status", "paid_at", "amount", "report_id", "report")),
    Opinion: (
        ("received_at", "answered_at"),
        ("received_at", "answered_at", "reply_due_on", "office_region_id", "office_region"),
    ),
    # Counted by its own region and the day it was decided (a date already in China).
    Penalty: (
        ("decided_on",),
        (
            "status",
            "decided_on",
            "region_id",
            "region",
            "subject_kind",
            "institution_id",
            "institution",
        ),
    ),
}
# Counted by their own region, never a report's: a report's wide change moves none of them.
OWN_REGION = (Opinion, Penalty)
REPORT_TIMES = ("received_at", "closed_at")
# Read by figures counted on other days than the report's own (decisions waited and on
# time, days to close, handling on time and its amount, every count's region).
REPORT_WIDE = (
    "region_id",
    "region",
    "received_at",
    "accept_due_on",
    "handle_due_on",
    "recovered_amount",
    # Counted by kind on the day received and the day the case was founded.
    "party_kind",
)


def china_day(moment: datetime | date) -> date:
    """Return the day in China of an aware timestamp (a date is one already)."""
    return moment.astimezone(CHINA).date() if isinstance(moment, datetime) else moment


def mark_days(session: Session, days: Iterable[date]) -> None:
    """Mark `days` as changed, in the session's transaction (for writes beside the ORM)."""
    rows = [{"day": day} for day in sorted(set(days))]
    if rows:
        session.connection().execute(insert(StatsDirtyDay), rows)


def _values(state: InstanceState[Any], key: str) -> list[Any]:
    """Return the attribute's current and former values this flush knows, never loading."""
    history = state.attrs[key].history
    values = [*history.added, *history.unchanged, *history.deleted]
    if not values and key not in state.dict and not state.deleted and state.key is not None:
        values = [getattr(state.obj(), key)]
    return [v for v in values if v is not None]


def _changed(state: InstanceState[Any], keys: Iterable[str]) -> bool:
    return any(state.attrs[key].history.has_changes() for key in keys if key in state.attrs)


def _days(state: InstanceState[Any], keys: Iterable[str]) -> set[date]:
    return {china_day(v) for key in keys for v in _values(state, key)}


def _changed_days(
    state: InstanceState[Any], times: tuple[str, ...], relevant: tuple[str, ...]
) -> set[date]:
    """Return the days a changed row moves: every timestamp's if a counted value changed,
    else the old and new days of the timestamps that changed."""
    if _changed(state, (key for key in relevant if key not in times)):
        return _days(state, times)
    return _days(state, (key for key in times if _changed(state, (key,))))


def counted_moments() -> list[Any]:
    """Every timestamp a count query filters on, as the columns of WATCHED and REPORT_TIMES."""
    return [getattr(Report, key) for key in REPORT_TIMES] + [
        getattr(cls, key) for cls, (times, _) in WATCHED.items() for key in times
    ]


def _report_days(session: Session, report_ids: set[int]) -> set[date]:
    """Return the days of every timestamp of these reports that a count query reads."""
    ids = sorted(report_ids)
    parts = [select(getattr(Report, key)).where(Report.id.in_(ids)) for key in REPORT_TIMES]
    for cls, (times, _) in WATCHED.items():
        if cls in OWN_REGION:
            continue
        kinds = [cls.kind.in_(sorted(COUNTED_EVENTS))] if cls is ReportEvent else []
        of_reports = getattr(cls, "report_id").in_(ids)  # noqa: B009 (any watched class)
        parts += [select(getattr(cls, key)).where(of_reports, *kinds) for key in times]
    moments: CompoundSelect[Any] = union_all(*parts)
    # On the connection: no autoflush inside a flush.
    rows = session.connection().execute(moments).scalars()
    return {china_day(_aware(at)) for at in rows if at is not None}


def _aware(value: datetime) -> datetime:
    # A union's column loses the UTC type decorator: SQLite's naive values are UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def days_moved_by_flush(session: Session) -> set[date]:
    """Return the days in China whose figures the flush in progress may move."""
    days: set[date] = set()
    wide: set[int] = set()
    reclassified: set[int] = set()
    written = [(obj, "new") for obj in session.new] + [(obj, "deleted") for obj in session.deleted]
    written += [(obj, "dirty") for obj in session.dirty]
    for obj, how in written:
        state = inspect(obj)
        if isinstance(obj, Report):
            if how != "dirty":
                days |= _days(state, REPORT_TIMES)
            elif _changed(state, REPORT_WIDE):
                # Every day of the report now, and the former days of its own timestamps.
                wide.add(obj.id)
                days |= _days(state, REPORT_TIMES)
            else:
                days |= _changed_days(state, REPORT_TIMES, REPORT_TIMES)
            continue
        if isinstance(obj, Institution):
            # Its penalties count under its kind, on the days they were decided.
            if how == "dirty" and _changed(state, ("kind",)):
                reclassified.add(obj.id)
            continue
        watched = WATCHED.get(type(obj))
        if watched is None:
            continue
        times, relevant = watched
        if isinstance(obj, ReportEvent) and not COUNTED_EVENTS.intersection(_values(state, "kind")):
            continue
        days |= _days(state, times) if how != "dirty" else _changed_days(state, times, relevant)
    if wide:
        days |= _report_days(session, wide)
    if reclassified:
        decided = select(Penalty.decided_on).where(Penalty.institution_id.in_(sorted(reclassified)))
        days |= set(session.connection().execute(decided).scalars())
    return days


def _after_flush(session: Session, _context: Any) -> None:
    mark_days(session, days_moved_by_flush(session))


def listen() -> None:
    """Mark changed days on every session's flush (once per process, whatever the apps)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
