"""What the appraisal pages show: the supervisors of a year, and one supervisor's year.

`supervisor_year` is the one place a supervisor's year is assembled (docs/domain.md §14):
each part of the work is one field of `SupervisorYear`, drawn by its own partial of
templates/intake/appraisal/supervisor.html. Counts only: never a clue's facts or number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.appraisal.models import AppraisalResult, SupervisorAppraisal
from intake.inspections.queries import InspectionCounts, inspection_counts_of
from intake.opinions.queries import OpinionCounts, opinion_counts_of
from intake.queries import ClueCounts, count_clues_of
from portal.accounts.models import StaffRole, StaffUser
from portal.accounts.supervisors import SUPERVISOR, profile_of
from portal.jurisdictions.tree import in_jurisdiction, subtree_ids
from portal.timeutil import CHINA


@dataclass(frozen=True)
class Supervisor:
    """A supervisor as the appraisal pages name them."""

    id: int
    name: str
    region_label: str
    affiliation: str | None
    organisation: str
    term_start: date | None
    term_end: date | None


@dataclass(frozen=True)
class AppraisalRecord:
    """The result recorded for a year."""

    result: AppraisalResult
    note: str
    renewed_until: date | None
    term_ended_on: date | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class SupervisorYear:
    """A supervisor's year as the administrator appraising it sees it (docs/domain.md §14).

    One field per part of the work, each filled in `supervisor_year` and drawn by its own
    partial on the page: opinions given and how they were answered, clues filed and where
    they stand, inspections joined and the accounts filed of them.
    """

    supervisor: Supervisor
    year: int
    # Whether the term ran on any day of the year: only then is there a year to appraise.
    served: bool
    opinions: OpinionCounts
    clues: ClueCounts
    inspections: InspectionCounts
    appraisal: AppraisalRecord | None


@dataclass(frozen=True)
class YearRow:
    """One supervisor on the list of a year, with the result if it was recorded."""

    supervisor: Supervisor
    result: AppraisalResult | None


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """Return the first instant of `year` and of the next, in China's time."""
    return datetime(year, 1, 1, tzinfo=CHINA), datetime(year + 1, 1, 1, tzinfo=CHINA)


def served_in(user: StaffUser, year: int) -> bool:
    """Return whether the supervisor's term ran on any day of `year`."""
    if user.term_start is None or user.term_end is None:
        return False
    return user.term_start <= date(year, 12, 31) and user.term_end >= date(year, 1, 1)


def _supervisor(session: Session, user: StaffUser, language: str) -> Supervisor:
    profile = profile_of(session, user)
    return Supervisor(
        id=user.id,
        name=user.display_name,
        region_label=user.region.label(language),
        affiliation=profile.affiliation.value if profile else None,
        organisation=profile.organisation if profile else "",
        term_start=user.term_start,
        term_end=user.term_end,
    )


def get_appraisal(session: Session, user: StaffUser, year: int) -> SupervisorAppraisal | None:
    """Return the result recorded for the supervisor's year, if any."""
    return session.scalar(
        select(SupervisorAppraisal).where(
            SupervisorAppraisal.supervisor_id == user.id, SupervisorAppraisal.year == year
        )
    )


def get_supervisor_within(session: Session, actor: StaffUser, user_id: int) -> StaffUser | None:
    """Return a supervisor appointed by the actor's region or below, else None (like none)."""
    user = session.get(StaffUser, user_id)
    if user is None or not user.has_role(SUPERVISOR) or not in_jurisdiction(actor, user.region):
        return None
    return user


def supervisor_year(session: Session, user: StaffUser, year: int, language: str) -> SupervisorYear:
    """Assemble a supervisor's year: who they are, their work, and the result if recorded."""
    start, end = year_bounds(year)
    recorded = get_appraisal(session, user, year)
    return SupervisorYear(
        supervisor=_supervisor(session, user, language),
        year=year,
        served=served_in(user, year),
        opinions=opinion_counts_of(session, user.id, year),
        clues=count_clues_of(session, user, start, end),
        inspections=inspection_counts_of(session, user.id, year),
        appraisal=None
        if recorded is None
        else AppraisalRecord(
            result=recorded.result,
            note=recorded.note,
            renewed_until=recorded.renewed_until,
            term_ended_on=recorded.term_ended_on,
            recorded_by=recorded.recorded_by.display_name,
            recorded_at=recorded.recorded_at,
        ),
    )


def list_year(session: Session, actor: StaffUser, year: int, language: str) -> list[YearRow]:
    """Return the supervisors of the actor's region and below who served in `year`."""
    users = session.scalars(
        select(StaffUser)
        .join(StaffRole, (StaffRole.user_id == StaffUser.id) & (StaffRole.role == SUPERVISOR))
        .where(
            StaffUser.region_id.in_(subtree_ids(session, actor.region_id)),
            StaffUser.term_start <= date(year, 12, 31),
            StaffUser.term_end >= date(year, 1, 1),
        )
        .order_by(StaffUser.display_name, StaffUser.id)
    ).all()
    results = dict(
        session.execute(
            select(SupervisorAppraisal.supervisor_id, SupervisorAppraisal.result).where(
                SupervisorAppraisal.year == year,
                SupervisorAppraisal.supervisor_id.in_([u.id for u in users]),
            )
        ).all()
    )
    return [YearRow(_supervisor(session, u, language), results.get(u.id)) for u in users]
