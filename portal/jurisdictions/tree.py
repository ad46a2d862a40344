"""Reading and growing the jurisdiction tree: who acts where (分级办理, docs/domain.md §1)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import event, select
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


# The tree's shape, read once per transaction: a page asks for a subtree more than once (its
# filter's choices, then its query). A flush forgets it, so a region added in the same unit
# of work is seen, and so does the transaction's end, so a long-lived session sees others'.
_CHILDREN = "region_children"


@event.listens_for(Session, "after_flush")
def _forget_tree_after_flush(session: Session, _context: object) -> None:
    session.info.pop(_CHILDREN, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_tree_after_transaction(session: Session, _transaction: object) -> None:
    session.info.pop(_CHILDREN, None)


def _children(session: Session) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] | None = session.info.get(_CHILDREN)
    if children is None:
        children = {}
        for rid, parent in session.execute(select(Region.id, Region.parent_id)):
            children.setdefault(parent, []).append(rid)
        session.info[_CHILDREN] = children
    return children


def subtree_ids(session: Session, root_id: int) -> list[int]:
    """Return the ids of `root_id` and every region below it."""
    children = _children(session)
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
