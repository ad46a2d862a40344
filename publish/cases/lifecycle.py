"""The life of a typical case (docs/domain.md §5): one table of steps, read by the checks and the page.

`CASE_STEPS` says from which status each step may start (None: the case does not exist
yet), where it leads and who may take it. A publisher drafts a case, by hand or from a
closed report, and edits the draft; another publisher or an approver, never the
drafter, publishes it; a published case is corrected with a note readers see, or
withdrawn with a reason that takes its place on the public page. `check_step` holds
every operation to the table, and the office's case page offers exactly the steps
`allowed_steps` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.accounts.models import StaffUser
from portal.errors import OperationError
from publish.cases.models import CaseStatus, TypicalCase


@dataclass(frozen=True)
class CaseStep:
    """Where a step may start (None: no case yet), where it leads, and who may take it."""

    sources: frozenset[CaseStatus | None]
    target: CaseStatus
    roles: frozenset[str]


D, P, W = CaseStatus.DRAFT, CaseStatus.PUBLISHED, CaseStatus.WITHDRAWN
PUBLISHERS = frozenset({"publisher"})
DECIDERS = frozenset({"publisher", "approver"})

# The one table of a typical case's steps. A test walks it; every operation consults it.
CASE_STEPS: dict[str, CaseStep] = {
    "draft": CaseStep(frozenset({None}), D, PUBLISHERS),
    "edit": CaseStep(frozenset({D}), D, PUBLISHERS),
    "publish": CaseStep(frozenset({D}), P, DECIDERS),
    "correct": CaseStep(frozenset({P}), P, DECIDERS),
    "withdraw": CaseStep(frozenset({P}), W, DECIDERS),
}


class CaseError(OperationError):
    """A step on a typical case was refused; `code` says why (words: publish/messages.py)."""


# What the publisher reads once a step is done: one message per step, beside the table,
# so a new step cannot lack one (a test checks every step has its own).
CASE_DONE: dict[str, LazyString] = {
    "draft": _l("Draft saved. Another publisher or an approver publishes it."),
    "draft_from_report": _l(
        "Draft made from the report. Write the text of the case and check every field "
        "before it is published."
    ),
    "edit": _l("Draft saved. Check the preview before it is published."),
    "publish": _l("Published: the case is on the public list and in the feeds."),
    "correct": _l("Correction saved: readers see the note on the case."),
    "withdraw": _l("Withdrawn. The case page now shows the reason."),
}


def _precondition(name: str, case: TypicalCase | None, actor: StaffUser) -> str | None:
    if name == "publish" and case is not None:
        # Two people: whoever drafted a case never publishes it alone.
        if case.drafted_by_id == actor.id:
            return "own_draft"
        # A draft made from a report has no text yet: readers need more than its fields.
        if not (case.body or "").strip():
            return "case_body"
    return None


def check_step(name: str, case: TypicalCase | None, actor: StaffUser) -> CaseStep:
    """Return step `name` if `actor` may take it on `case` now (None: a new case), else raise."""
    step = CASE_STEPS[name]
    if not actor.has_role(*step.roles):
        raise CaseError("role")
    if (case.status if case is not None else None) not in step.sources:
        raise CaseError("case_status")
    problem = _precondition(name, case, actor)
    if problem:
        raise CaseError(problem)
    return step


def allowed_steps(case: TypicalCase, user: StaffUser) -> list[str]:
    """Return the steps `user` may take on `case` now, in table order."""
    return [
        name
        for name, step in CASE_STEPS.items()
        if case.status in step.sources
        and user.has_role(*step.roles)
        and _precondition(name, case, user) is None
    ]


def may_draft(user: StaffUser) -> bool:
    """Return whether `user` may draft new cases (the office's list offers it then)."""
    return user.has_role(*CASE_STEPS["draft"].roles)
