"""Changing the jurisdiction tree (an administrator's task, domain.md §1)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.auth import subtree_ids
from portal.models import Region, RegionLevel, get_region_by_code

_CODE = re.compile(r"^\d{6}$")
_CHILD_LEVEL = {RegionLevel.PROVINCE: RegionLevel.CITY, RegionLevel.CITY: RegionLevel.COUNTY}


class JurisdictionError(ValueError):
    """A change to the tree was refused; the message is a code for the view."""


def add_region(
    session: Session, *, code: str, name_zh: str, name_en: str, parent: Region | None, actor: str
) -> Region:
    """Add a province (no parent), a city under a province, or a county under a city."""
    if not _CODE.match(code):
        raise JurisdictionError("code")
    if get_region_by_code(session, code) is not None:
        raise JurisdictionError("taken")
    if parent is None:
        level = RegionLevel.PROVINCE
    elif parent.level in _CHILD_LEVEL:
        level = _CHILD_LEVEL[parent.level]
    else:
        raise JurisdictionError("depth")
    region = Region(
        code=code, name_zh=name_zh.strip(), name_en=name_en.strip(), level=level, parent=parent
    )
    session.add(region)
    session.flush()
    audit.record(
        session,
        "jurisdiction.added",
        actor=actor,
        subject=f"region:{code}",
        details={"parent": parent.code if parent else None, "level": level.value},
    )
    return region


def regions_within(session: Session, root: Region) -> list[Region]:
    """Return `root` and every region below it, ordered by code (subtrees stay together)."""
    ids = subtree_ids(session, root.id)
    return list(session.scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.code)))
