"""The service agreement's status and its dates (docs/domain.md §8), one rule for forms and imports.

In force: no dates. Suspended: from a first day to a last day, both included, the last
not before the first. Terminated: from a first day on, with no last day.
"""

from __future__ import annotations

from datetime import date

from portal.institutions.models import AgreementStatus


def agreement_problem(
    status: AgreementStatus, starts: date | None, ends: date | None
) -> tuple[str, str] | None:
    """Return (the field at fault, a refusal code) when the dates do not fit the status."""
    if status is AgreementStatus.IN_FORCE:
        if starts is not None:
            return "agreement_from", "institution_agreement_no_dates"
        if ends is not None:
            return "agreement_to", "institution_agreement_no_dates"
        return None
    if starts is None:
        return "agreement_from", "institution_agreement_from"
    if status is AgreementStatus.TERMINATED:
        return ("agreement_to", "institution_agreement_no_end") if ends is not None else None
    if ends is None:
        return "agreement_to", "institution_agreement_to"
    if ends < starts:
        return "agreement_to", "institution_agreement_order"
    return None
