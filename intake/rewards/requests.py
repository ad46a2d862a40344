"""A reporter who did not ask for a reward when filing asks for one later, on their page.

A reward is only for a reporter who wants one (docs/domain.md §4), and whether one may be
due is settled when feedback is sent: then the report goes on to the reward stage or
closes (intake/office/handling.py). So the wish can be added on /track until feedback is
sent; an anonymous reporter gives a verifiable identity only when claiming.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from intake.events import append_event
from intake.models import ActorKind, Report, Stage
from intake.office.workflow import WorkflowError

log = logging.getLogger(__name__)

# The stages before feedback is sent (docs/domain.md §3).
BEFORE_FEEDBACK = frozenset({Stage.RECEIVED, Stage.CHECKING, Stage.HANDLING, Stage.FEEDBACK})


def reward_request_open(report: Report) -> bool:
    """Return whether the reporter may still ask for a reward on this report."""
    return (
        not report.wants_reward
        and report.stage in BEFORE_FEEDBACK
        and report.merged_into_id is None
        # Social supervisors are excluded from rewards (docs/domain.md §4).
        and report.source != "supervisor"
    )


def request_reward(session: Session, report: Report) -> None:
    """Record that the reporter wants a reward after all, with a public event."""
    if report.wants_reward:
        raise WorkflowError("exists")
    if not reward_request_open(report):
        raise WorkflowError("stage")
    report.wants_reward = True
    append_event(session, report, "reward_requested", by=ActorKind.REPORTER, public=True)
    session.flush()
    # The case number only: nothing of the reporter (house style).
    log.info("report %s: the reporter asked for a reward", report.case_number)
