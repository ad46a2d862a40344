"""The steps of an inspection with supervisors (docs/domain.md §14): one table, read by the checks and the pages.

`INSPECTION_STEPS` says for each step who takes it (the office's investigators and
approvers, or a supervisor), from which status, and in which window of days around the
inspection's date. Operations call `check_step`; pages offer exactly the steps
`allowed_steps` returns. An inspection a user may not know of is refused as not found
(404), exactly like one that does not exist (docs/domain.md §1, §14).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from intake.inspections.models import Inspection, InspectionKind, InspectionStatus
from portal.accounts.models import StaffUser
from portal.errors import OperationError
from portal.jurisdictions.tree import in_jurisdiction


class InspectionError(OperationError):
    """A step on an inspection was refused; `code` says why (words: intake/inspections/messages.py)."""


class InspectionNotFound(InspectionError):
    """The inspection is not one the user may know of: answered like a missing one."""

    status = 404


# Who announces and runs inspections: the office's case staff who check facts and decide.
OFFICE_ROLES = frozenset({"investigator", "approver"})
SUPERVISOR_ROLES = frozenset({"social_supervisor"})
# Places for supervisors, and the length of an account (docs/domain.md §14: "a short account").
MIN_PLACES, MAX_PLACES = 1, 50
ACCOUNT_MAX = 3000


def before_date(inspection: Inspection, today: date) -> bool:
    """Until the day before the date: sign-ups, withdrawals and edits."""
    return today < inspection.inspection_date


def on_or_after_date(inspection: Inspection, today: date) -> bool:
    """From the date on: the inspection has taken place (accounts, results)."""
    return today >= inspection.inspection_date


def any_day(_inspection: Inspection, _today: date) -> bool:
    """No window: the step is open whatever the day."""
    return True


@dataclass(frozen=True)
class InspectionStep:
    """Who takes a step, from which status, within which window of days."""

    roles: frozenset[str]
    sources: frozenset[InspectionStatus]
    window: Callable[[Inspection, date], bool]
    # The refusal when the window is closed.
    closed: str


A, D = InspectionStatus.ANNOUNCED, InspectionStatus.DONE

# The one table of an inspection's steps (announcing is checked by `check_announce`).
INSPECTION_STEPS: dict[str, InspectionStep] = {
    "edit": InspectionStep(OFFICE_ROLES, frozenset({A}), before_date, "inspection_date_passed"),
    "cancel": InspectionStep(OFFICE_ROLES, frozenset({A}), any_day, "inspection_status"),
    "confirm": InspectionStep(OFFICE_ROLES, frozenset({A}), any_day, "inspection_status"),
    "record_results": InspectionStep(
        OFFICE_ROLES, frozenset({A}), on_or_after_date, "inspection_not_yet"
    ),
    "link_penalty": InspectionStep(OFFICE_ROLES, frozenset({D}), any_day, "inspection_status"),
    # Sign-ups until the day before the date (docs/domain.md §14), and so are withdrawals.
    "sign_up": InspectionStep(
        SUPERVISOR_ROLES, frozenset({A}), before_date, "inspection_signup_closed"
    ),
    "withdraw": InspectionStep(
        SUPERVISOR_ROLES, frozenset({A}), before_date, "inspection_signup_closed"
    ),
    # After the date, editable until the office records the results.
    "file_account": InspectionStep(
        SUPERVISOR_ROLES, frozenset({A}), on_or_after_date, "inspection_account_not_yet"
    ),
}


def announced_to(inspection: Inspection, user: StaffUser) -> bool:
    """Return whether `user`'s region is the announcing office's or one below it."""
    return any(r.id == inspection.region_id for r in user.region.ancestors_and_self())


def knows_of(inspection: Inspection, user: StaffUser) -> bool:
    """Return whether `user` may know of `inspection` at all: its office, or a supervisor told."""
    if user.has_role(*OFFICE_ROLES) and in_jurisdiction(user, inspection.region):
        return True
    return user.has_role(*SUPERVISOR_ROLES) and announced_to(inspection, user)


def targets_revealed(inspection: Inspection, today: date) -> bool:
    """Return whether supervisors may read the targets and instructions on `today`.

    An undercover visit stays secret until the office records it done; otherwise from
    the date on, or before it when the office chose to show them (docs/domain.md §14).
    """
    if inspection.status is InspectionStatus.DONE:
        return True
    if inspection.kind is InspectionKind.UNDERCOVER:
        return False
    return inspection.show_targets_early or on_or_after_date(inspection, today)


def _acts_for(step: InspectionStep, inspection: Inspection, actor: StaffUser) -> bool:
    if step.roles == OFFICE_ROLES:
        return in_jurisdiction(actor, inspection.region)
    return announced_to(inspection, actor)


def check_step(name: str, inspection: Inspection, actor: StaffUser, today: date) -> InspectionStep:
    """Return step `name` if `actor` may take it on `inspection` today, else raise."""
    step = INSPECTION_STEPS[name]
    if not knows_of(inspection, actor):
        raise InspectionNotFound("not_found")
    if not actor.has_role(*step.roles) or not _acts_for(step, inspection, actor):
        raise InspectionError("role")
    if inspection.status not in step.sources:
        raise InspectionError("inspection_status")
    if not step.window(inspection, today):
        raise InspectionError(step.closed)
    return step


def allowed_steps(inspection: Inspection, user: StaffUser, today: date) -> frozenset[str]:
    """Return the steps `user` may take on `inspection` today (the page offers these)."""
    return frozenset(
        name
        for name, step in INSPECTION_STEPS.items()
        if user.has_role(*step.roles)
        and _acts_for(step, inspection, user)
        and inspection.status in step.sources
        and step.window(inspection, today)
    )
