"""What a staff member's digest counts (docs/domain.md §10): one registry of items.

An item is a label, a count for one person and the page where the work waits. Features
add theirs with one line in their `init_app`:

    register_digest_items(app, DigestItem(_l("Reviews due"), reviews_due_count, "office.list_queue_view", {"review": "due"}))

Counts come from the pages' own queries (the queue's clauses, the identity requests a
custodian may decide), each within the person's jurisdiction, so a digest never says more
than the linked page shows. A count is a number and a link is a page: nothing from
inside a report ever reaches the digest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

from flask import Flask, current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from intake.catalog import REWARD_QUEUE_LABELS
from intake.identity.access import list_decidable_requests
from intake.models import Report
from intake.office.queue import QUEUE_ROLES
from intake.office.queue_clauses import (
    REWARD_QUEUES,
    count_in_queue,
    due_soon_clause,
    overdue_clause,
)
from intake.office.workflow import TRANSITIONS
from intake.rewards.lifecycle import REWARD_STEPS
from portal.accounts.models import StaffUser
from portal.accounts.policies import Policy
from portal.timeutil import today_in_china

EXTENSION = "intake.digest_items"

Count = Callable[[Session, StaffUser], int]


@dataclass(frozen=True)
class DigestItem:
    """One line of the digest: what awaits, how many for this person, and where."""

    label: LazyString | str
    count: Count
    endpoint: str
    values: Mapping[str, str] = field(default_factory=dict)
    # Only holders of one of these roles (or custodians, with `custodians`) are counted;
    # neither given: everyone, and the count alone decides.
    roles: frozenset[str] = frozenset()
    custodians: bool = False

    def concerns(self, user: StaffUser) -> bool:
        """Return whether this line is for `user` at all (their roles and rights)."""
        return Policy("staff", self.roles, self.custodians).allows(user)


def register_digest_items(app: Flask, *items: DigestItem) -> None:
    """Add lines to the staff digest, in the order they are to appear."""
    app.extensions.setdefault(EXTENSION, []).extend(items)


def digest_items(app: Flask | None = None) -> list[DigestItem]:
    """Return the registered lines of the digest."""
    return list((app or current_app).extensions.get(EXTENSION, []))


def _due_soon_days() -> int:
    return int(current_app.config["DUE_SOON_DAYS"])


def count_overdue(session: Session, user: StaffUser) -> int:
    """Reports of the user's jurisdiction past their running deadline (the queue's count)."""
    return count_in_queue(session, user, overdue_clause(today_in_china()))


def count_due_soon(session: Session, user: StaffUser) -> int:
    """Reports of the user's jurisdiction due within DUE_SOON_DAYS (the queue's count)."""
    return count_in_queue(session, user, due_soon_clause(today_in_china(), _due_soon_days()))


def count_notices_owed(session: Session, user: StaffUser) -> int:
    """Decisions owed to real-name reporters in the user's jurisdiction (docs/domain.md §3)."""
    # The hybrid's class-level side is the SQL condition the queue lists them by.
    owed = cast("ColumnElement[bool]", Report.notice_owed)
    return count_in_queue(session, user, owed)


def _reward_count(queue: str) -> Count:
    def count(session: Session, user: StaffUser) -> int:
        return count_in_queue(session, user, REWARD_QUEUES[queue]())

    return count


def count_identity_requests(session: Session, user: StaffUser) -> int:
    """Identity requests this custodian may decide (docs/domain.md §7)."""
    return len(list_decidable_requests(session, user))


def standard_items() -> list[DigestItem]:
    """Return intake's own lines: the queue's deadlines, notices, rewards and identity requests."""
    queue = "office.list_queue_view"
    rewards = {c.code: c.label for c in REWARD_QUEUE_LABELS}
    # Who acts next on a reward in each queue: the step that leaves it (docs/domain.md §4).
    reward_step = {"to_propose": "propose", "proposed": "approve", "claimed": "pay"}
    return [
        DigestItem(
            _l("Overdue reports"), count_overdue, queue, {"overdue": "y"}, frozenset(QUEUE_ROLES)
        ),
        DigestItem(
            _l("Reports due soon"),
            count_due_soon,
            queue,
            {"due_soon": "y"},
            frozenset(QUEUE_ROLES),
        ),
        DigestItem(
            _l("Decisions owed to real-name reporters"),
            count_notices_owed,
            queue,
            {"_anchor": "notices-title"},
            TRANSITIONS["record_notice"].roles,
        ),
        *(
            DigestItem(
                rewards[code],
                _reward_count(code),
                queue,
                {"reward": code},
                REWARD_STEPS[step].roles,
            )
            for code, step in reward_step.items()
        ),
        DigestItem(
            _l("Identity requests awaiting your decision"),
            count_identity_requests,
            "identity.list_identity_requests",
            custodians=True,
        ),
    ]
