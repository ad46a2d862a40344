"""The lifecycle of a report (docs/domain.md §3): the one table of allowed transitions.

`TRANSITIONS` names every operation, the stages it may start from and lead to, and who
may perform it; `check` holds an operation to it, and the report page draws its buttons
from it (`allowed_operations`). The operations themselves are plain functions in
`acceptance.py` (receiving, accepting, routing) and `handling.py` (checking, deciding,
telling the reporter): each checks the table, changes the report, appends an event and
flushes; the request or CLI command commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, object_session

from intake.calendar.deadlines import NOTICE_WORKING_DAYS, add_working_days
from intake.calendar.report_deadlines import set_notice_due
from intake.catalog import CHANNEL_LABELS, MAJOR_BY_AMOUNT
from intake.events import append_event
from intake.models import ActorKind, IdentityMode, Report, ReportEvent, Stage
from intake.review.queries import answer_problem
from intake.rewards.queries import SETTLED, get_reward
from intake.transfers.queries import get_transfer
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.errors import OperationError
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import today_in_china

ACTIVE = frozenset({Stage.RECEIVED, Stage.CHECKING, Stage.HANDLING, Stage.FEEDBACK, Stage.REWARD})


CASE_STAFF = frozenset({"intake_officer", "investigator", "approver"})


@dataclass(frozen=True)
class Transition:
    """Where an operation may start, where it may lead, and who may perform it."""

    sources: frozenset[Stage]
    targets: frozenset[Stage]  # empty: the stage does not change
    roles: frozenset[str]


def _t(sources: set[Stage], targets: set[Stage], roles: set[str]) -> Transition:
    return Transition(frozenset(sources), frozenset(targets), frozenset(roles))


R, C, H, F, W = Stage.RECEIVED, Stage.CHECKING, Stage.HANDLING, Stage.FEEDBACK, Stage.REWARD


# The one table of allowed transitions. A test walks it; every operation consults it.
TRANSITIONS: dict[str, Transition] = {
    # Registering creates a report received by hotline, letter or visit: it has no source stage.
    "register": _t(set(), {R}, {"intake_officer"}),
    "accept": _t({R}, {C}, {"intake_officer"}),
    "decline": _t({R}, {Stage.DECLINED}, {"intake_officer"}),
    "transfer_out": _t({R, C}, {Stage.TRANSFERRED}, {"intake_officer"}),
    "move": _t({R, C}, set(), {"intake_officer"}),
    "assign": _t({R, C, H, F}, set(), {"intake_officer", "approver"}),
    "record_findings": _t({C}, set(), {"investigator"}),
    "open_case": _t({C}, {H}, {"investigator"}),
    "close_unfounded": _t({C}, {F}, {"investigator"}),
    "record_handling": _t({H}, {F}, {"approver"}),
    # Feedback is the last duty unless a reward may be due; then the reward stage follows.
    "send_feedback": _t({F}, {W, Stage.CLOSED}, {"intake_officer", "investigator"}),
    "close": _t({W}, {Stage.CLOSED}, {"approver", "reward_officer"}),
    "merge": _t({R, C}, {Stage.CLOSED}, {"intake_officer"}),
    "extend": _t({R, C, H}, set(), {"approver"}),
    "send_message": _t(set(ACTIVE), set(), set(CASE_STAFF) | {"reward_officer"}),
    "record_notice": _t(
        {C, H, F, W, Stage.CLOSED, Stage.DECLINED, Stage.TRANSFERRED}, set(), {"intake_officer"}
    ),
    # Who the party is can be settled at any stage, a closed report's too (docs/domain.md §8).
    "link_institution": _t(set(Stage), set(), set(CASE_STAFF)),
    # The legal types are set or corrected while the report is judged, checked and handled;
    # the handling decision is taken on them, so it waits for them (docs/domain.md §2, §6).
    "classify": _t({R, C, H}, set(), set(CASE_STAFF)),
    # A major case is marked by case staff with a ground; only an approver withdraws a
    # marking, and never one made by the amount (docs/domain.md §12, intake/major/).
    "mark_major": _t(set(ACTIVE), set(), set(CASE_STAFF)),
    "unmark_major": _t(set(ACTIVE), set(), {"approver"}),
    # The receiving body's receipt and outcome, recorded when they come back (intake/transfers/).
    "record_transfer_receipt": _t({Stage.TRANSFERRED}, set(), {"intake_officer"}),
    "record_transfer_outcome": _t({Stage.TRANSFERRED}, set(), {"intake_officer"}),
    # A review (复查) is answered by an approver of the office above the one that handled the
    # report, or higher (docs/domain.md §11): the precondition names the office, since the
    # report's own office holds the report too. Sending back reopens the handling.
    "uphold_review": _t({W, Stage.CLOSED}, set(), {"approver"}),
    "send_back_review": _t({W, Stage.CLOSED}, {H}, {"approver"}),
}


class WorkflowError(OperationError):
    """A case operation was refused; `code` says why (words: `intake/messages.py`)."""


def require_text(text: str) -> None:
    """Refuse a step whose reason, note or reference is blank: every step says why (audit)."""
    if not text.strip():
        raise WorkflowError("reason")


def allowed_operations(report: Report, user: StaffUser) -> list[str]:
    """Return the operations `user` may perform on `report` now, in table order."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if report.stage in t.sources
        and user.has_role(*t.roles)
        and in_jurisdiction(user, report.region)
        and _precondition(name, report, user) is None
    ]


def _precondition(name: str, report: Report, user: StaffUser) -> str | None:
    if report.merged_into_id is not None:
        return "merged"
    if name == "close":
        return _reward_blocks_closing(report, user)
    if name == "extend" and (
        (report.stage is Stage.HANDLING and report.handle_extended)
        or (report.stage is not Stage.HANDLING and report.accept_extended)
    ):
        return "already_extended"
    if name == "record_notice" and not report.notice_owed:
        return "no_notice_due"
    if name == "record_handling" and not report.violations:
        return "unclassified"
    if name in {"mark_major", "unmark_major"}:
        return _major_blocks(name, report)
    if name in {"record_transfer_receipt", "record_transfer_outcome"}:
        return _transfer_blocks(name, report)
    if name in ("uphold_review", "send_back_review"):
        return answer_problem(report, user, sending_back=name == "send_back_review")
    return None


def _major_blocks(name: str, report: Report) -> str | None:
    if name == "mark_major":
        return "already_major" if report.major_since is not None else None
    if report.major_since is None:
        return "not_major"
    # The amount is a fact, not a judgement: a report major by it stays major (§12).
    return "major_by_amount" if report.major_basis == MAJOR_BY_AMOUNT else None


def _transfer_blocks(name: str, report: Report) -> str | None:
    session = object_session(report)
    transfer = get_transfer(session, report) if session is not None else None
    if transfer is None:
        return "no_transfer"
    done = transfer.received_on if name == "record_transfer_receipt" else transfer.outcome
    return "exists" if done is not None else None


def check(name: str, report: Report, actor: StaffUser, expected_version: int | None = None) -> None:
    """Raise WorkflowError unless `actor` may perform operation `name` on `report` now."""
    transition = TRANSITIONS[name]
    # Jurisdiction first: a report of another office must look exactly like a missing one.
    if not in_jurisdiction(actor, report.region):
        raise WorkflowError("not_found")
    if expected_version is not None and report.version != expected_version:
        raise WorkflowError("stale")
    if not actor.has_role(*transition.roles):
        raise WorkflowError("role")
    if report.stage not in transition.sources:
        raise WorkflowError("stage")
    problem = _precondition(name, report, actor)
    if problem:
        raise WorkflowError(problem)


def _reward_blocks_closing(report: Report, user: StaffUser) -> str | None:
    """Say why a report in the reward stage may not close yet, or None (docs/domain.md §4).

    A proposed, offered or claimed reward still awaits someone (the approver, the reporter,
    the payment), so the report stays open until it is paid, refused or lapsed. Before any
    proposal, closing would drop the reward the reporter asked for: only an approver may
    decide that no reward is due (an exclusion applies), with the reason.
    """
    session = object_session(report)
    reward = get_reward(session, report) if session is not None else None
    if reward is None:
        return None if user.has_role("approver") else "reward_not_proposed"
    if reward.status in SETTLED:
        return None
    return "reward_pending"


def owe_notice(session: Session, report: Report) -> None:
    # A real-name reporter is told the accept/decline decision within 5 working days (docs/domain.md §3).
    if report.identity_mode is IdentityMode.REAL_NAME:
        set_notice_due(report, add_working_days(session, today_in_china(), NOTICE_WORKING_DAYS))


def reward_possible(report: Report) -> bool:
    """Return whether a reward may be due: a founded report whose reporter wants one (docs/domain.md §4)."""
    return report.outcome == "founded" and report.wants_reward and report.merged_into_id is None


CHANNELS = tuple(c.code for c in CHANNEL_LABELS)


def staff_event(
    session: Session,
    report: Report,
    kind: str,
    actor: StaffUser,
    *,
    public: bool,
    note: str = "",
    detail: str = "",
    cipher: DataCipher | None = None,
) -> ReportEvent:
    """Append an audited event by a staff member (every workflow step records one)."""
    event = append_event(
        session,
        report,
        kind,
        by=ActorKind.STAFF,
        staff=actor,
        public=public,
        note=note,
        detail=detail,
        cipher=cipher,
        audited=True,
    )
    session.flush()
    return event
