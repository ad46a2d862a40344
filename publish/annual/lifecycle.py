"""The life of an annual report (docs/domain.md §15): one table of steps, read by the checks and the page.

A publisher prepares a region's report for a year (its figures frozen then); preparing
again replaces a draft nobody has published. Another publisher or an approver, never the
one who prepared it, publishes it, as with typical cases (§5); a version published later
supersedes the one before, with a note saying what changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.accounts.models import StaffUser
from portal.errors import OperationError
from publish.annual.models import AnnualReport, AnnualStatus


@dataclass(frozen=True)
class AnnualStep:
    """Where a step may start (None: no draft yet), where it leads, and who may take it."""

    sources: frozenset[AnnualStatus | None]
    target: AnnualStatus
    roles: frozenset[str]


D, P = AnnualStatus.DRAFT, AnnualStatus.PUBLISHED

# The one table of an annual report's steps. Every operation consults it.
ANNUAL_STEPS: dict[str, AnnualStep] = {
    "prepare": AnnualStep(frozenset({None, D}), D, frozenset({"publisher"})),
    "publish": AnnualStep(frozenset({D}), P, frozenset({"publisher", "approver"})),
}

ANNUAL_DONE: dict[str, LazyString] = {
    "prepare": _l(
        "Prepared: the figures are frozen as of now. Another publisher or an approver publishes it."
    ),
    "publish": _l("Published: the report, its PDF and a feed entry are public."),
}


class AnnualError(OperationError):
    """A step on an annual report was refused; `code` says why (words: publish/messages.py)."""


def _precondition(name: str, report: AnnualReport | None, actor: StaffUser) -> str | None:
    # Two people: whoever prepared a report never publishes it (docs/domain.md §15, §5).
    if name == "publish" and report is not None and report.prepared_by_id == actor.id:
        return "own_annual_report"
    return None


def check_step(name: str, report: AnnualReport | None, actor: StaffUser) -> AnnualStep:
    """Return step `name` if `actor` may take it on `report` now (None: no draft), else raise."""
    step = ANNUAL_STEPS[name]
    if not actor.has_role(*step.roles):
        raise AnnualError("role")
    if (report.status if report is not None else None) not in step.sources:
        raise AnnualError("annual_status")
    problem = _precondition(name, report, actor)
    if problem:
        raise AnnualError(problem)
    return step


def may_take(name: str, report: AnnualReport | None, user: StaffUser) -> bool:
    """Return whether `user` may take step `name` on `report` now."""
    step = ANNUAL_STEPS[name]
    return (
        (report.status if report is not None else None) in step.sources
        and user.has_role(*step.roles)
        and _precondition(name, report, user) is None
    )
