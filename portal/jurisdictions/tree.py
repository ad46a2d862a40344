"""Reading and growing the jurisdiction tree: who acts where (分级办理, docs/domain.md §1)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.errors import OperationError
from portal.jurisdictions.models import Region, RegionLevel, get_region_by_code

if TYPE_CHECKING:
    from portal.accounts.models import StaffUser

_CODE = re.compile(r"^\d{6}$")


_CHILD_LEVEL = {RegionLevel.PROVINCE: RegionLevel.CITY, RegionLevel.CITY: RegionLevel.COUNTY}


def in_jurisdiction(user: StaffUser, region: Region) -> bool:
    """Return whether `region` is the user's home node or below it (分级办理, docs/domain.md §1)."""
    return any(r.id == user.region_id for r in region.ancestors_and_self())


def subtree_ids(session: Session, root_id: int) -> list[int]:
    """Return the ids of `root_id` and every region below it."""
    pairs = session.execute(select(Region.id, Region.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for rid, parent in pairs:
        children.setdefault(parent, []).append(rid)
    found, todo = [], [root_id]
    while todo:
        rid = todo.pop()
        found.append(rid)
        todo.extend(children.get(rid, []))
    return found


def regions_within(session: Session, root: Region) -> list[Region]:
    """Return `root` and every region below it, ordered by code (subtrees stay together)."""
    ids = subtree_ids(session, root.id)
    return list(session.scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.code)))


class JurisdictionError(OperationError):
    """A change to the tree was refused."""


def add_region(
    session: Session, *, code: str, name_zh: str, name_en: str, parent: Region | None, actor: str
) -> Region:
    """Add a province (no parent), a city under a province, or a county under a city."""
    if not _CODE.match(code):
        raise JurisdictionError("region_code")
    if get_region_by_code(session, code) is not None:
        raise JurisdictionError("region_taken")
    if parent is None:
        level = RegionLevel.PROVINCE
    elif parent.level in _CHILD_LEVEL:
        level = _CHILD_LEVEL[parent.level]
    else:
        raise JurisdictionError("region_depth")
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
