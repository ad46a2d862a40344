"""What other parts read of transfers: a report's transfer, and the transfers due (docs/domain.md §12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from intake.catalog import TRANSFER_BODIES, TRANSFER_OUTCOMES, label_of
from intake.models import Report, Stage
from intake.transfers.models import Transfer
from portal.accounts.models import StaffUser
from portal.jurisdictions.tree import subtree_ids
from portal.timeutil import today_in_china

# Who follows transfers up: the intake officers who send them (intake/office/workflow.py).
FOLLOW_UP_ROLES = frozenset({"intake_officer"})


@dataclass(frozen=True)
class TransferLine:
    """A transfer as staff see it: the reference and note are theirs, not the reporter's."""

    body_label: object
    sent_on: date
    reference: str
    outcome_due_on: date
    received_on: date | None
    outcome: str | None
    outcome_label: object | None
    outcome_on: date | None
    due: bool


def get_transfer(session: Session, report: Report) -> Transfer | None:
    """Return the report's transfer record, or None (none before one was sent)."""
    return session.get(Transfer, report.id)


def transfer_line(session: Session, report: Report, today: date) -> TransferLine | None:
    """Return the report's transfer as the staff page shows it, or None."""
    transfer = get_transfer(session, report)
    if transfer is None:
        return None
    return TransferLine(
        body_label=label_of(TRANSFER_BODIES, transfer.body),
        sent_on=transfer.sent_on,
        reference=transfer.reference,
        outcome_due_on=transfer.outcome_due_on,
        received_on=transfer.received_on,
        outcome=transfer.outcome,
        outcome_label=label_of(TRANSFER_OUTCOMES, transfer.outcome) if transfer.outcome else None,
        outcome_on=transfer.outcome_on,
        due=transfer.outcome is None and transfer.outcome_due_on <= today,
    )


def transfer_due_clause(today: date) -> ColumnElement[bool]:
    """Return the condition of transferred reports with no outcome TRANSFER_OUTCOME_DAYS after
    they were sent: calendar days, holidays not skipped (docs/domain.md §12)."""
    return and_(
        Report.stage == Stage.TRANSFERRED,
        Report.id.in_(
            select(Transfer.report_id).where(
                Transfer.outcome.is_(None), Transfer.outcome_due_on <= today
            )
        ),
    )


def transfers_due_count(session: Session, user: StaffUser, today: date | None = None) -> int:
    """Return how many transfers of `user`'s jurisdiction await their outcome past the day due.

    Zero for a user who does not follow transfers up (the staff digest counts it per person).
    """
    if not user.has_role(*FOLLOW_UP_ROLES):
        return 0
    when = today or today_in_china()
    return (
        session.scalar(
            select(func.count())
            .select_from(Report)
            .where(
                Report.region_id.in_(subtree_ids(session, user.region_id)),
                transfer_due_clause(when),
            )
        )
        or 0
    )


def transfers_due_path() -> str:
    """Return the path of the queue filtered to the transfers due (for the staff digest)."""
    # Built from the URL map, so it works outside a request too (the digest runs on a clock).
    return current_app.url_map.bind("localhost").build(
        "office.list_queue_view", {"transfers_due": "y"}
    )
