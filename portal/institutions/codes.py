"""National institution codes (docs/domain.md §8): `H`/`P`, a GB/T 2260 region, a 5-digit serial.

`H64010400012`: a designated medical institution (`H`) registered in 兴庆区 (640104),
serial 00012; a retail pharmacy starts with `P`. The code is kept exactly as given: the
letter must already be upper-case, and nothing is padded or trimmed inside it.

The region part must be a node of our jurisdiction tree, and it must be the
institution's own region or lie below it: the institution's region is the office that
supervises it, and the code says where it was registered, which has to be within that
office's area (a county office does not supervise an institution the city registered).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from portal.errors import OperationError
from portal.institutions.models import CODE_PATTERN
from portal.jurisdictions.models import Region, get_region_by_code


class InstitutionError(OperationError):
    """A change to the directory was refused; `code` says why (words: `institutions/messages.py`)."""


def region_part(code: str) -> str:
    """Return the 6-digit region part of a well-formed code."""
    return code[1:7]


def code_is_well_formed(code: str) -> bool:
    """Return whether `code` has the shape H/P + 6 digits + 5 digits (upper-case letter)."""
    return CODE_PATTERN.fullmatch(code) is not None


def region_of_code(
    session: Session, code: str, regions: Mapping[str, Region] | None = None
) -> Region:
    """Return the region a code names, or raise InstitutionError saying what is wrong.

    `regions` (every region by its code) spares a query per row of a long import.
    """
    if not code_is_well_formed(code):
        raise InstitutionError("institution_code_shape", value=code)
    part = region_part(code)
    region = regions.get(part) if regions is not None else get_region_by_code(session, part)
    if region is None:
        raise InstitutionError("institution_code_region", value=code, region=part)
    return region


def code_fits_region(code_region: Region, region: Region) -> bool:
    """Return whether the code's region is the institution's region or below it."""
    return any(node.id == region.id for node in code_region.ancestors_and_self())
