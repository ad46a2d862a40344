"""Institutions of the directory for tests, made directly with the models (not the directory's
operations, which are tested on their own)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from portal.institutions.models import Institution, InstitutionKind, InstitutionName, name_key
from portal.jurisdictions.models import get_region_by_code


def add_institution(
    session: Session,
    code: str,
    name: str,
    *,
    region_code: str = "640104",
    kind: InstitutionKind = InstitutionKind.HOSPITAL,
    former: tuple[str, ...] = (),
    address: str = "",
) -> Institution:
    """Add an institution (with former names, oldest last) and flush it."""
    region = get_region_by_code(session, region_code)
    assert region is not None
    institution = Institution(
        code=code,
        name=name,
        name_key=name_key(name),
        kind=kind,
        region=region,
        address=address,
        former_names=[
            InstitutionName(name=old, name_key=name_key(old), until=date(2024 - n, 1, 1))
            for n, old in enumerate(former)
        ],
    )
    session.add(institution)
    session.flush()
    return institution
