"""Linking a report's party to an institution of the directory, or changing or removing the link
(docs/domain.md §8).

A reporter may have typed the party as free text, or the report came by hotline or letter:
case staff settle later which institution it is. The party's name stays as the reporter
gave it (and its folded `party_key` with it); only the link changes, with an internal,
audited event naming the codes before and after.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake.catalog import PERSON_PARTY_KINDS
from intake.models import Report
from intake.office.workflow import WorkflowError, check, staff_event
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.institutions.models import Institution


def link_institution(
    session: Session,
    report: Report,
    *,
    institution: Institution | None,
    actor: StaffUser,
    note: str,
    cipher: DataCipher,
    expected_version: int | None = None,
) -> None:
    """Link the report's party to `institution`, or remove the link when it is None."""
    check("link_institution", report, actor, expected_version)
    old = report.institution
    if institution is not None and report.party_kind in PERSON_PARTY_KINDS:
        # The directory lists institutions, never people (docs/domain.md §8).
        raise WorkflowError("party_is_a_person")
    if (old.id if old else None) == (institution.id if institution else None):
        raise WorkflowError("exists")
    report.institution = institution
    if old is None:
        assert institution is not None
        kind, detail = "institution_linked", institution.code
    elif institution is None:
        kind, detail = "institution_unlinked", old.code
    else:
        kind, detail = "institution_relinked", f"{old.code}→{institution.code}"
    staff_event(session, report, kind, actor, public=False, note=note, detail=detail, cipher=cipher)
