"""What other features may read of intake: the facts of closed cases, counts, a supervisor's clues.

Publishing reads reports only through these functions, never through intake's tables or
storage formats, so intake can change how it stores a report without breaking a page.
Nothing here returns anything that could identify a reporter (docs/domain.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from intake.catalog import VIOLATION_GROUPS
from intake.filing.receipts import normalize_case_number
from intake.models import Report, ReportEvent, ReportViolation, Stage
from intake.penalties.models import Penalty, PenaltyStatus, SubjectKind
from intake.review.models import Rating, Review, ReviewStatus
from intake.rewards.models import Reward, RewardStatus
from portal.accounts.models import StaffUser
from portal.institutions.models import Institution, InstitutionKind
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import china_date, china_days_between


@dataclass(frozen=True)
class CaseFacts:
    """The non-identifying facts of a report, as a typical case may be drafted from them."""

    report_id: int
    case_number: str
    # Only a closed report whose case was founded may become a typical case.
    publishable: bool
    region: Region
    party_kind: str
    party_name: str
    violation_codes: list[str]
    conduct_from: date | None
    conduct_to: date | None
    recovered_amount: Decimal | None
    fine_amount: Decimal | None
    measures: list[str]
    # The directory's code of the institution the report is about, when it is linked.
    institution_code: str = ""


def case_facts(session: Session, case_number: str, actor: StaffUser) -> CaseFacts | None:
    """Return the facts of a report of the actor's jurisdiction, or None.

    A report of another jurisdiction answers None exactly like a case number that does
    not exist, so nobody learns that it exists (docs/domain.md §1).
    """
    number = normalize_case_number(case_number)
    report = session.scalar(select(Report).where(Report.case_number == number)) if number else None
    if report is None or not in_jurisdiction(actor, report.region):
        return None
    return CaseFacts(
        report_id=report.id,
        case_number=report.case_number,
        publishable=report.stage is Stage.CLOSED
        and report.outcome == "founded"
        and report.merged_into_id is None,
        region=report.region,
        party_kind=report.party_kind,
        party_name=report.party_name,
        violation_codes=report.violation_codes,
        conduct_from=report.conduct_from,
        conduct_to=report.conduct_to,
        recovered_amount=report.recovered_amount,
        fine_amount=report.fine_amount,
        measures=report.measure_codes,
        institution_code=report.institution.code if report.institution else "",
    )


def list_clues_of(session: Session, supervisor: StaffUser) -> list[Report]:
    """Return the clues a social supervisor filed, newest first (never anyone else's)."""
    return list(
        session.scalars(
            select(Report)
            .where(Report.filed_by_staff_id == supervisor.id)
            .order_by(Report.received_at.desc())
        )
    )


@dataclass(frozen=True)
class ClueCounts:
    """Where the clues a supervisor filed in a period stand: counts only (docs/domain.md §14)."""

    filed: int = 0
    open: int = 0
    founded: int = 0
    unfounded: int = 0
    declined: int = 0
    # Transferred to another body, or merged into a report received earlier.
    elsewhere: int = 0


def count_clues_of(
    session: Session, supervisor: StaffUser, start: datetime, end: datetime
) -> ClueCounts:
    """Count the clues `supervisor` filed in [start, end) by where they stand today."""
    standing = case(
        (Report.outcome == "founded", "founded"),
        (Report.outcome == "unfounded", "unfounded"),
        (Report.stage == Stage.DECLINED, "declined"),
        (Report.stage == Stage.TRANSFERRED, "elsewhere"),
        (Report.merged_into_id.is_not(None), "elsewhere"),
        else_="open",
    )
    rows = session.execute(
        select(standing, func.count())
        .where(
            Report.filed_by_staff_id == supervisor.id,
            Report.received_at >= start,
            Report.received_at < end,
        )
        .group_by(standing)
    ).all()
    counts = {name: int(n) for name, n in rows}
    return ClueCounts(filed=sum(counts.values()), **counts)


# --- counts for public statistics (aggregates only) -------------------------------------


def count_reports_by_region(
    session: Session, start: datetime, end: datetime, *, by: Literal["received", "closed"]
) -> list[tuple[int, int]]:
    """Return (region id, reports) for reports received (or closed) in [start, end)."""
    column = Report.received_at if by == "received" else Report.closed_at
    rows = session.execute(
        select(Report.region_id, func.count())
        .where(column >= start, column < end)
        .group_by(Report.region_id)
    ).all()
    return [(region_id, count) for region_id, count in rows]


def count_closed_by_days(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, int, int]]:
    """Return (region id, days from receipt to closing, reports) for reports closed in the period.

    Days are counted between dates in China, as deadlines are.
    """
    taken = china_days_between(Report.closed_at, Report.received_at)
    rows = session.execute(
        select(Report.region_id, taken, func.count())
        .where(Report.closed_at >= start, Report.closed_at < end)
        .group_by(Report.region_id, taken)
    ).all()
    return [(region_id, days, count) for region_id, days, count in rows]


def count_decisions(
    session: Session, start: datetime, end: datetime
) -> list[tuple[str, int, int, int, int]]:
    """Return (decision, region id, days waited, decisions, on time) for the period.

    A decision is an acceptance, a decline or a transfer; "on time" means on or before
    the acceptance deadline (docs/domain.md §3).
    """
    waited = china_days_between(ReportEvent.created_at, Report.received_at)
    timely = case((china_date(ReportEvent.created_at) <= Report.accept_due_on, 1), else_=0)
    rows = session.execute(
        select(ReportEvent.kind, Report.region_id, waited, func.count(), func.sum(timely))
        .select_from(ReportEvent)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(
            ReportEvent.kind.in_(("accepted", "declined", "transferred")),
            ReportEvent.created_at >= start,
            ReportEvent.created_at < end,
        )
        .group_by(ReportEvent.kind, Report.region_id, waited)
    ).all()
    return [
        (kind, region, days, count, int(on_time or 0))
        for kind, region, days, count, on_time in rows
    ]


def list_handling_decisions(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, Decimal | None, bool]]:
    """Return (region id, amount to recover, decided in time) for each handling decision."""
    in_time = case(
        (
            and_(
                Report.handle_due_on.is_not(None),
                china_date(ReportEvent.created_at) <= Report.handle_due_on,
            ),
            1,
        ),
        else_=0,
    )
    rows = session.execute(
        select(Report.region_id, Report.recovered_amount, in_time)
        .select_from(ReportEvent)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(
            ReportEvent.kind == "handling_decided",
            ReportEvent.created_at >= start,
            ReportEvent.created_at < end,
        )
    ).all()
    return [(region_id, recovered, bool(on_time)) for region_id, recovered, on_time in rows]


def list_rewards_paid(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, Decimal]]:
    """Return (region id, amount) of each reward paid in the period."""
    rows = session.execute(
        select(Report.region_id, Reward.amount)
        .join(Report, Report.id == Reward.report_id)
        .where(Reward.status == RewardStatus.PAID, Reward.paid_at >= start, Reward.paid_at < end)
    ).all()
    return [(region_id, amount) for region_id, amount in rows]


def count_ratings(session: Session, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
    """Return (satisfaction, region id, ratings) of the ratings given in the period (§11).

    A rating counts in the period it was last given or changed: one per report.
    """
    rows = session.execute(
        select(Rating.satisfaction, Report.region_id, func.count())
        .select_from(Rating)
        .join(Report, Report.id == Rating.report_id)
        .where(Rating.rated_at >= start, Rating.rated_at < end)
        .group_by(Rating.satisfaction, Report.region_id)
    ).all()
    return [(satisfaction.value, region, count) for satisfaction, region, count in rows]


def count_reviews(session: Session, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
    """Return ("requested" | "upheld" | "sent_back", region id, reviews) for the period (§11).

    A review counts as asked in the period of its request, and as upheld or sent back in
    the period of its answer.
    """
    asked = session.execute(
        select(Report.region_id, func.count())
        .select_from(Review)
        .join(Report, Report.id == Review.report_id)
        .where(Review.requested_at >= start, Review.requested_at < end)
        .group_by(Report.region_id)
    ).all()
    answered = session.execute(
        select(Review.status, Report.region_id, func.count())
        .select_from(Review)
        .join(Report, Report.id == Review.report_id)
        .where(
            Review.status != ReviewStatus.REQUESTED,
            Review.answered_at >= start,
            Review.answered_at < end,
        )
        .group_by(Review.status, Report.region_id)
    ).all()
    return [("requested", region, count) for region, count in asked] + [
        (status.value, region, count) for status, region, count in answered
    ]


def count_by_party_kind(
    session: Session, start: datetime, end: datetime
) -> list[tuple[str, int, str, int]]:
    """Return (metric, region id, kind of party, count) of [start, end): "reports" received
    and cases "founded", per report's region.

    A case is founded when its handling decision is recorded (the "handling_decided"
    event) in the period.
    """
    received = (
        select(Report.region_id, Report.party_kind, func.count())
        .where(Report.received_at >= start, Report.received_at < end)
        .group_by(Report.region_id, Report.party_kind)
    )
    founded = (
        select(Report.region_id, Report.party_kind, func.count())
        .select_from(ReportEvent)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(
            ReportEvent.kind == "handling_decided",
            ReportEvent.created_at >= start,
            ReportEvent.created_at < end,
        )
        .group_by(Report.region_id, Report.party_kind)
    )
    return [
        (metric, region_id, kind, count)
        for metric, query in (("reports", received), ("founded", founded))
        for region_id, kind, count in session.execute(query).all()
    ]


# The directory's kinds, in the party kinds of reports (docs/domain.md §8).
_PARTY_OF_INSTITUTION = {
    InstitutionKind.HOSPITAL: "hospital",
    InstitutionKind.PRIMARY_CARE: "hospital",
    InstitutionKind.PHARMACY: "pharmacy",
    InstitutionKind.OTHER: "other",
}


def count_penalties_by_party_kind(
    session: Session, first: date, end: date
) -> list[tuple[int, str, int]]:
    """Return (region id, kind of party, count) of published penalties decided in [first, end).

    A penalty counts under the kind of its institution in the directory, one against an
    individual under "insured_person" (art. 41 is about the insured's own conduct), one
    against an unlisted institution under "other".
    """
    query = (
        select(Penalty.region_id, Penalty.subject_kind, Institution.kind, func.count())
        .select_from(Penalty)
        .outerjoin(Institution, Institution.id == Penalty.institution_id)
        .where(
            Penalty.status == PenaltyStatus.PUBLISHED,
            Penalty.decided_on >= first,
            Penalty.decided_on < end,
        )
        .group_by(Penalty.region_id, Penalty.subject_kind, Institution.kind)
    )
    counts: dict[tuple[int, str], int] = {}
    for region_id, subject, kind, count in session.execute(query).all():
        if subject == SubjectKind.INDIVIDUAL:
            party = "insured_person"
        else:
            party = _PARTY_OF_INSTITUTION.get(kind, "other") if kind else "other"
        counts[region_id, party] = counts.get((region_id, party), 0) + count
    return [(region_id, party, count) for (region_id, party), count in counts.items()]


def count_received_by_source(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, str, int]]:
    """Return (region id, channel, reports) for reports received in [start, end).

    The channel is the report's source: "web", a channel an intake officer registered it
    by (catalog.CHANNEL_LABELS), or "supervisor" for a social supervisor's clue.
    """
    rows = session.execute(
        select(Report.region_id, Report.source, func.count())
        .where(Report.received_at >= start, Report.received_at < end)
        .group_by(Report.region_id, Report.source)
    ).all()
    return [(region_id, source, count) for region_id, source, count in rows]


# A report naming no violation type is to be classified (docs/domain.md §2).
UNCLASSIFIED = "unclassified"


def count_received_by_violation_group(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, str, int]]:
    """Return (region id, violation group, reports) for reports received in [start, end).

    A report naming types of several groups counts once in each group it touches, never
    twice in one; a report naming none counts under UNCLASSIFIED.
    """
    group = case(
        {t.code: g.code for g in VIOLATION_GROUPS for t in g.types},
        value=ReportViolation.code,
        else_=None,
    )
    in_period = and_(Report.received_at >= start, Report.received_at < end)
    grouped = session.execute(
        select(Report.region_id, group, func.count(func.distinct(Report.id)))
        .select_from(Report)
        .join(ReportViolation, ReportViolation.report_id == Report.id)
        .where(in_period)
        .group_by(Report.region_id, group)
    ).all()
    named = select(ReportViolation.report_id).where(ReportViolation.report_id == Report.id)
    unclassified = session.execute(
        select(Report.region_id, func.count())
        .where(in_period, ~named.exists())
        .group_by(Report.region_id)
    ).all()
    return [(region_id, code, count) for region_id, code, count in grouped if code is not None] + [
        (region_id, UNCLASSIFIED, count) for region_id, count in unclassified
    ]
