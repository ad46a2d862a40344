"""What pages and other parts read of supervisors' opinions (docs/domain.md §14).

Who sees an opinion: its author, and the intake officers and approvers of the office it
was sent to or of an office above it. To anyone else it answers None, exactly like an
opinion that does not exist (docs/domain.md §1). Other parts read only the counts below:
`count_opinion_replies` (statistics, office performance) and `opinion_counts_of` (a
supervisor's year, for the appraisal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from intake.opinions.models import Opinion, Side
from portal.accounts.models import StaffUser
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction, subtree_ids
from portal.timeutil import CHINA, china_date, today_in_china

# Who answers an opinion: the office's intake officers and approvers (docs/domain.md §14).
OPINION_ROLES = frozenset({"intake_officer", "approver"})
SUPERVISOR_ROLE = "social_supervisor"

# The office's list narrowed to the opinions past their reply deadline: its endpoint and
# query string, for the queue's line and the staff digest.
OVERDUE_ENDPOINT = "opinions.list_office_opinions_view"
OVERDUE_ARGS: dict[str, Any] = {"overdue": "y"}

PER_PAGE = 200


def office_choices(user: StaffUser) -> list[Region]:
    """Return the offices a supervisor may write to: their own region's and those above it."""
    return list(reversed(user.region.ancestors_and_self()))


def may_answer(user: StaffUser, opinion: Opinion) -> bool:
    """Return whether `user` answers for the office the opinion was sent to (or one above it)."""
    return user.has_role(*OPINION_ROLES) and in_jurisdiction(user, opinion.office_region)


def is_author(user: StaffUser, opinion: Opinion) -> bool:
    """Return whether `user` is the supervisor who sent the opinion."""
    return opinion.author_id == user.id and user.has_role(SUPERVISOR_ROLE)


def get_opinion_for(session: Session, opinion_id: int, user: StaffUser) -> Opinion | None:
    """Return the opinion if `user` may read its thread; None otherwise, as if it did not exist."""
    opinion = session.get(Opinion, opinion_id)
    if opinion is None or not (is_author(user, opinion) or may_answer(user, opinion)):
        return None
    return opinion


def answered_day(opinion: Opinion) -> date | None:
    """Return the day in China the office first replied, or None before it."""
    return opinion.answered_at.astimezone(CHINA).date() if opinion.answered_at else None


def opinion_state(opinion: Opinion, today: date) -> str:
    """Return "open", "overdue", "on_time" or "late": where the office's reply stands."""
    answered = answered_day(opinion)
    if answered is not None:
        return "on_time" if answered <= opinion.reply_due_on else "late"
    return "overdue" if opinion.reply_due_on < today else "open"


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Return the condition of opinions still unanswered after their reply deadline."""
    return and_(Opinion.answered_at.is_(None), Opinion.reply_due_on < today)


def opinions_overdue_count(session: Session, user: StaffUser, today: date | None = None) -> int:
    """Return how many opinions sent to `user`'s office or below await a reply past their day.

    Zero for anyone who does not answer opinions (the queue and the digest count it per person).
    """
    if not user.has_role(*OPINION_ROLES):
        return 0
    when = today or today_in_china()
    count = session.scalar(
        select(func.count())
        .select_from(Opinion)
        .where(
            Opinion.office_region_id.in_(subtree_ids(session, user.region_id)),
            overdue_clause(when),
        )
    )
    return count or 0


@dataclass(frozen=True)
class OpinionLine:
    """An opinion as a list shows it: never its text."""

    id: int
    subject: str
    office: str
    author: str
    received_at: datetime
    reply_due_on: date
    estimated: bool
    answered_at: datetime | None
    state: str


def _line(opinion: Opinion, today: date, language: str) -> OpinionLine:
    return OpinionLine(
        id=opinion.id,
        subject=opinion.subject,
        office=opinion.office_region.label(language),
        author=opinion.author.display_name,
        received_at=opinion.received_at,
        reply_due_on=opinion.reply_due_on,
        estimated=opinion.reply_due_estimated,
        answered_at=opinion.answered_at,
        state=opinion_state(opinion, today),
    )


def list_supervisor_opinions(
    session: Session, user: StaffUser, *, today: date, language: str
) -> list[OpinionLine]:
    """Return the opinions `user` sent, newest first; never another supervisor's."""
    opinions = session.scalars(
        select(Opinion)
        .where(Opinion.author_id == user.id)
        .options(selectinload(Opinion.office_region), selectinload(Opinion.author))
        .order_by(Opinion.received_at.desc(), Opinion.id.desc())
        .limit(PER_PAGE)
    )
    return [_line(o, today, language) for o in opinions]


def list_office_opinions(
    session: Session, user: StaffUser, *, today: date, language: str, overdue_only: bool = False
) -> list[OpinionLine]:
    """Return the opinions sent to `user`'s office and those below it: awaiting a reply
    first, nearest deadline first, then the answered ones, latest first."""
    where: list[ColumnElement[bool]] = [
        Opinion.office_region_id.in_(subtree_ids(session, user.region_id))
    ]
    if overdue_only:
        where.append(overdue_clause(today))
    opinions = session.scalars(
        select(Opinion)
        .where(*where)
        .options(selectinload(Opinion.office_region), selectinload(Opinion.author))
        .order_by(
            Opinion.answered_at.is_not(None),
            case((Opinion.answered_at.is_(None), Opinion.reply_due_on)),
            Opinion.answered_at.desc(),
            Opinion.id,
        )
        .limit(PER_PAGE)
    )
    return [_line(o, today, language) for o in opinions]


@dataclass(frozen=True)
class ThreadMessage:
    """One message of the thread: which side wrote it, who, when, what."""

    side: Side
    author: str
    at: datetime
    body: str


@dataclass(frozen=True)
class OpinionThread:
    """The whole thread as both sides see it, and whether the viewer may write now."""

    line: OpinionLine
    messages: list[ThreadMessage]
    # The viewer is the supervisor who sent it (else: the office answering).
    viewer_is_author: bool
    may_write: bool


def opinion_thread(
    opinion: Opinion, user: StaffUser, *, today: date, language: str
) -> OpinionThread:
    """Return the opinion and every message after it, oldest first, for its author or office.

    The office writes under its own name: the officer who wrote is not shown to the supervisor.
    """
    line = _line(opinion, today, language)
    office = opinion.office_region.name_in(language)
    messages = [ThreadMessage(Side.SUPERVISOR, line.author, opinion.received_at, opinion.body)]
    messages += [
        ThreadMessage(
            m.side, line.author if m.side is Side.SUPERVISOR else office, m.sent_at, m.body
        )
        for m in opinion.messages
    ]
    author = is_author(user, opinion)
    return OpinionThread(
        line=line,
        messages=messages,
        viewer_is_author=author,
        # The supervisor writes again once the office has replied (docs/domain.md §14).
        may_write=opinion.answered_at is not None if author else may_answer(user, opinion),
    )


def count_opinion_replies(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, int, int, int]]:
    """Return (region id, received, answered, answered on time) per receiving office's own node.

    An opinion counts as received in the period it arrived, and as answered (on time or
    not) in the period of the office's first reply. Not rolled up the tree; `start` and
    `end` are aware datetimes, `end` excluded.
    """
    rows: dict[int, list[int]] = {}
    received = session.execute(
        select(Opinion.office_region_id, func.count())
        .where(Opinion.received_at >= start, Opinion.received_at < end)
        .group_by(Opinion.office_region_id)
    )
    for region_id, count in received:
        rows.setdefault(region_id, [0, 0, 0])[0] += count
    on_time = case((china_date(Opinion.answered_at) <= Opinion.reply_due_on, 1), else_=0)
    answered = session.execute(
        select(Opinion.office_region_id, func.count(), func.sum(on_time))
        .where(Opinion.answered_at >= start, Opinion.answered_at < end)
        .group_by(Opinion.office_region_id)
    )
    for region_id, count, timely in answered:
        row = rows.setdefault(region_id, [0, 0, 0])
        row[1] += count
        row[2] += int(timely or 0)
    return [(region_id, c[0], c[1], c[2]) for region_id, c in sorted(rows.items())]


@dataclass(frozen=True)
class OpinionCounts:
    """One supervisor's opinions of a year: given, answered so far, answered on time."""

    given: int
    answered: int
    answered_on_time: int


def opinion_counts_of(session: Session, user_id: int, year: int) -> OpinionCounts:
    """Return the counts of the opinions `user_id` sent in `year` (China time), for the appraisal."""
    start = datetime.combine(date(year, 1, 1), time(), CHINA)
    end = datetime.combine(date(year + 1, 1, 1), time(), CHINA)
    on_time = case(
        (
            and_(
                Opinion.answered_at.is_not(None),
                china_date(Opinion.answered_at) <= Opinion.reply_due_on,
            ),
            1,
        ),
        else_=0,
    )
    given, answered, timely = session.execute(
        select(func.count(), func.count(Opinion.answered_at), func.sum(on_time)).where(
            Opinion.author_id == user_id, Opinion.received_at >= start, Opinion.received_at < end
        )
    ).one()
    return OpinionCounts(int(given or 0), int(answered or 0), int(timely or 0))
