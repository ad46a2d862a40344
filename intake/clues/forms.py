"""A social supervisor's clue: the report form without reward or identity."""

from __future__ import annotations

from dataclasses import replace

from intake.filing.forms import ReportForm, facts_draft
from intake.filing.operations import ReportDraft
from portal.accounts.models import StaffUser


class ClueForm(ReportForm):
    """The report form without the reporter's identity: the supervisor is known to the office."""

    identity_mode = None
    real_name = None
    id_number = None
    phone = None
    address = None
    email = None
    contact = None  # the supervisor follows their clues on their own pages
    wants_reward = None  # supervisors are excluded from rewards (docs/domain.md §4)
    is_insider = None
    situation = None  # supervisors name the legal types (docs/domain.md §6)


def clue_draft(form: ClueForm, supervisor: StaffUser) -> ReportDraft:
    """Return the draft of a clue: a report marked as filed by this supervisor."""
    return replace(facts_draft(form), source="supervisor", filed_by_staff_id=supervisor.id)
