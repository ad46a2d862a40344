"""Adding and correcting institutions of the directory (docs/domain.md §8), always audited.

Administrators act only within their own jurisdiction subtree (docs/domain.md §1): the
institution's region, before and after a change, must be their node or below it. An
operator's command acts without that bound (`actor=None`). The rules of one
institution's fields (`field_problems`) serve the form, the import and the operations
alike; a rename keeps the name it replaces (`InstitutionName`), so an old name still
finds the institution.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.institutions.agreement import agreement_problem
from portal.institutions.codes import InstitutionError, code_fits_region, region_of_code
from portal.institutions.models import (
    AgreementStatus,
    Institution,
    InstitutionKind,
    InstitutionLevel,
    InstitutionName,
    Ownership,
    name_key,
)
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import today_in_china

if TYPE_CHECKING:
    from portal.accounts.models import StaffUser

log = logging.getLogger(__name__)

NAME_MAX = 200
ADDRESS_MAX = 300
NOTE_MAX = 500


@dataclass(frozen=True)
class InstitutionFields:
    """What an administrator or a row of the official list says about one institution."""

    code: str
    name: str
    kind: InstitutionKind
    region: Region
    level: InstitutionLevel | None = None
    ownership: Ownership | None = None
    address: str = ""
    agreement_status: AgreementStatus = AgreementStatus.IN_FORCE
    agreement_from: date | None = None
    agreement_to: date | None = None


@dataclass(frozen=True)
class FieldProblem:
    """One rule a field breaks: the field, a refusal code and the code's parameters."""

    field: str
    code: str
    params: dict[str, str]


def field_problems(
    session: Session,
    fields: InstitutionFields,
    *,
    actor: StaffUser | None,
    current: Institution | None,
    regions: Mapping[str, Region] | None = None,
) -> list[FieldProblem]:
    """Return every rule `fields` break for a new institution (`current` None) or a correction.

    `regions` (every region by its code) spares a query per row of a long import.
    """
    found: list[FieldProblem] = []

    def bad(field: str, code: str, **params: str) -> None:
        found.append(FieldProblem(field, code, params))

    if not fields.name.strip():
        bad("name", "institution_name")
    elif len(fields.name.strip()) > NAME_MAX:
        bad("name", "institution_too_long", max=str(NAME_MAX))
    if len(fields.address.strip()) > ADDRESS_MAX:
        bad("address", "institution_too_long", max=str(ADDRESS_MAX))
    problem = agreement_problem(fields.agreement_status, fields.agreement_from, fields.agreement_to)
    if problem is not None:
        bad(*problem)
    if actor is not None and not in_jurisdiction(actor, fields.region):
        bad("region", "institution_outside_jurisdiction")
    if actor is not None and current is not None and not in_jurisdiction(actor, current.region):
        bad("region", "institution_outside_jurisdiction")
    try:
        code_region = region_of_code(session, fields.code, regions)
    except InstitutionError as error:
        bad("code", error.code, **error.params)
        return found
    if not code_fits_region(code_region, fields.region):
        bad(
            "code",
            "institution_code_outside_region",
            value=fields.code,
            region=fields.region.code,
        )
    if current is None or current.code != fields.code:
        holder = session.scalar(select(Institution.id).where(Institution.code == fields.code))
        if holder is not None:
            bad("code", "institution_code_taken", value=fields.code)
    return found


def snapshot(institution: Institution) -> dict[str, Any]:
    """Return what the audit log keeps of an institution's fields (codes and ISO dates)."""
    return {
        "code": institution.code,
        "name": institution.name,
        "kind": institution.kind.value,
        "level": institution.level.value if institution.level else None,
        "ownership": institution.ownership.value if institution.ownership else None,
        "region": institution.region.code,
        "address": institution.address,
        "agreement_status": institution.agreement_status.value,
        "agreement_from": institution.agreement_from.isoformat()
        if institution.agreement_from
        else None,
        "agreement_to": institution.agreement_to.isoformat() if institution.agreement_to else None,
    }


def apply_fields(institution: Institution, fields: InstitutionFields, *, note: str) -> bool:
    """Give `institution` these fields; return whether it was renamed (the former name kept)."""
    name = fields.name.strip()
    renamed = bool(institution.name) and name_key(name) != institution.name_key
    if renamed:
        institution.former_names.append(
            InstitutionName(
                name=institution.name,
                name_key=institution.name_key,
                until=today_in_china(),
                note=note[:NOTE_MAX],
            )
        )
    institution.code = fields.code
    institution.name = name
    institution.name_key = name_key(name)
    institution.kind = fields.kind
    institution.level = fields.level
    institution.ownership = fields.ownership
    institution.region = fields.region
    institution.address = fields.address.strip()
    institution.agreement_status = fields.agreement_status
    institution.agreement_from = fields.agreement_from
    institution.agreement_to = fields.agreement_to
    return renamed


def _actor_name(actor: StaffUser | None) -> str:
    return f"staff:{actor.id}" if actor is not None else "cli"


def _refuse_any(problems: list[FieldProblem]) -> None:
    if problems:
        first = problems[0]
        raise InstitutionError(first.code, **first.params)


def add_institution(
    session: Session, fields: InstitutionFields, *, actor: StaffUser | None
) -> Institution:
    """Add an institution by hand (an administrator, within their subtree), audited."""
    _refuse_any(field_problems(session, fields, actor=actor, current=None))
    institution = Institution(name="", name_key="")
    apply_fields(institution, fields, note="")
    session.add(institution)
    session.flush()
    audit.record(
        session,
        "institution.added",
        actor=_actor_name(actor),
        subject=f"institution:{institution.id}",
        details={"after": snapshot(institution)},
    )
    log.info("institution %s added by %s", institution.code, _actor_name(actor))
    return institution


def correct_institution(
    session: Session,
    institution: Institution,
    fields: InstitutionFields,
    *,
    actor: StaffUser | None,
    expected_version: int | None,
    note: str = "",
) -> bool:
    """Correct an institution by hand, audited before and after; return whether it was renamed.

    `expected_version` is the version the form was drawn from: a page drawn before
    someone else's change cannot overwrite it ("stale").
    """
    if expected_version is not None and institution.version != expected_version:
        raise InstitutionError("stale")
    _refuse_any(field_problems(session, fields, actor=actor, current=institution))
    before = snapshot(institution)
    renamed = apply_fields(institution, fields, note=note.strip())
    after = snapshot(institution)
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        return False
    session.flush()
    audit.record(
        session,
        "institution.corrected",
        actor=_actor_name(actor),
        subject=f"institution:{institution.id}",
        details={
            "before": {k: before[k] for k in changed},
            "after": {k: after[k] for k in changed},
            "renamed": renamed,
            "note": note.strip()[:NOTE_MAX],
        },
    )
    log.info("institution %s corrected by %s", institution.code, _actor_name(actor))
    return renamed
