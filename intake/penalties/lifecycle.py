"""The life of a penalty decision (docs/domain.md §9): one table of steps, read by the checks and the page.

`PENALTY_STEPS` says from which status each step may start (None: not recorded yet),
where it leads and who may take it. An approver records a decision, and withdraws one
recorded in error before it is published; a second person — a publisher or an approver,
never whoever recorded it — publishes it; a publisher or an approver records a credit
repair (信用修复) that ends a listing early. Recording and withdrawing are intake's
(`intake/penalties/operations.py`); publishing and repairs are publishing's
(`publish/penalties/operations.py`); both hold themselves to this table, and the staff
page offers exactly the steps `allowed_steps` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from intake.penalties.models import Penalty, PenaltyStatus
from portal.accounts.models import StaffUser
from portal.errors import OperationError
from portal.jurisdictions.tree import in_jurisdiction


class PenaltyError(OperationError):
    """A step on a penalty decision was refused; `code` says why (words: intake/penalties/messages.py)."""


@dataclass(frozen=True)
class PenaltyStep:
    """Where a step may start (None: no decision yet), where it leads, and who may take it."""

    sources: frozenset[PenaltyStatus | None]
    target: PenaltyStatus
    roles: frozenset[str]


R, P, W = PenaltyStatus.RECORDED, PenaltyStatus.PUBLISHED, PenaltyStatus.WITHDRAWN
APPROVERS = frozenset({"approver"})
PUBLISHERS = frozenset({"publisher", "approver"})

# The one table of a decision's steps. A test walks it; every operation consults it.
PENALTY_STEPS: dict[str, PenaltyStep] = {
    "record": PenaltyStep(frozenset({None}), R, APPROVERS),
    "withdraw": PenaltyStep(frozenset({R}), W, APPROVERS),
    "publish": PenaltyStep(frozenset({R}), P, PUBLISHERS),
    # A repair leaves the decision published (the history stays); it ends the listing.
    "repair": PenaltyStep(frozenset({P}), P, PUBLISHERS),
}

# Who may see the staff list and pages of decisions: whoever takes a step.
PENALTY_STAFF = frozenset(role for step in PENALTY_STEPS.values() for role in step.roles)


def _precondition(name: str, penalty: Penalty | None, actor: StaffUser, today: date) -> str | None:
    if penalty is None:
        return None
    # Two people: whoever recorded a decision never publishes it (docs/domain.md §9).
    if name == "publish" and penalty.recorded_by_id == actor.id:
        return "penalty_own_record"
    # A repair ends a listing; an entry off the list (ended or repaired) has none to end.
    if name == "repair" and not penalty.listed_on(today):
        return "penalty_not_listed"
    return None


def check_step(name: str, penalty: Penalty | None, actor: StaffUser, today: date) -> PenaltyStep:
    """Return step `name` if `actor` may take it on `penalty` now (None: a new one), else raise."""
    step = PENALTY_STEPS[name]
    if not actor.has_role(*step.roles):
        raise PenaltyError("role")
    # A decision elsewhere is refused like one that does not exist (docs/domain.md §1).
    if penalty is not None and not in_jurisdiction(actor, penalty.region):
        raise PenaltyError("not_found")
    if (penalty.status if penalty is not None else None) not in step.sources:
        raise PenaltyError("penalty_status")
    problem = _precondition(name, penalty, actor, today)
    if problem:
        raise PenaltyError(problem)
    return step


def allowed_steps(penalty: Penalty, user: StaffUser, today: date) -> list[str]:
    """Return the steps `user` may take on `penalty` now, in table order."""
    if not in_jurisdiction(user, penalty.region):
        return []
    return [
        name
        for name, step in PENALTY_STEPS.items()
        if penalty.status in step.sources
        and user.has_role(*step.roles)
        and _precondition(name, penalty, user, today) is None
    ]


def may_record(user: StaffUser) -> bool:
    """Return whether `user` may record new decisions (the staff list offers it then)."""
    return user.has_role(*PENALTY_STEPS["record"].roles)
