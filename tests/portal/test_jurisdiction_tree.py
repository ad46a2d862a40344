"""The jurisdiction tree as pages read it: subtrees, within one unit of work."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.tree import add_region, subtree_ids


def test_a_region_added_in_the_same_unit_of_work_is_in_its_parents_subtree(db: Session) -> None:
    city = get_region_by_code(db, "640100")
    assert city is not None
    subtree_ids(db, city.id)  # the tree's shape is read, and kept for the transaction
    county = add_region(
        db, code="640199", name_zh="测试区", name_en="Test", parent=city, actor="test"
    )
    assert county.id in subtree_ids(db, city.id)


def test_a_subtree_holds_its_root_and_every_region_below(db: Session) -> None:
    city = get_region_by_code(db, "640100")
    county = get_region_by_code(db, "640104")
    assert city is not None and county is not None
    assert {city.id, county.id} <= set(subtree_ids(db, city.id))
