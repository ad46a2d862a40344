"""A published penalty found in an inspection with social supervisors says so on its public page,
with the inspection's kind and date and nothing more (docs/domain.md §14)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from intake.inspections.models import InspectionKind
from intake.inspections.operations import (
    InspectionFields,
    announce_inspection,
    link_penalty,
    record_results,
)
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from tests.penalty_factories import make_institution, published

DAY = today_in_china() + timedelta(days=3)


def found_in_inspection(db: Session, make_staff: Any) -> Any:
    """A published decision and a done undercover visit its office links it to (not yet)."""
    office = make_staff("approver", region_code="640100")
    make_institution(db)
    penalty = published(db, office, make_staff("publisher", region_code="640100"))
    inspection = announce_inspection(
        db,
        InspectionFields(
            kind=InspectionKind.UNDERCOVER,
            inspection_date=DAY,
            inspected_region=get_region_by_code(db, "640104"),
            places=2,
            summary="暗访说明-不公开",
            instructions="内部指令-不公开",
        ),
        office=get_region_by_code(db, "640100"),
        actor=office,
    )
    record_results(
        db, inspection, results="检查结果-不公开", inspected_codes=[], actor=office, today=DAY
    )
    db.commit()
    return office, inspection, penalty


def test_a_penalty_found_in_an_inspection_says_its_kind_and_date(
    db: Session, client: FlaskClient, make_staff: Any
) -> None:
    office, inspection, penalty = found_in_inspection(db, make_staff)
    link_penalty(db, inspection, penalty.id, actor=office)
    db.commit()
    body = client.get(f"/penalties/{penalty.id}").get_data(as_text=True)
    assert 'id="found-in-inspection"' in body
    assert "明察暗访" in body and f"{DAY.year}年{DAY.month}月{DAY.day}日" in body


def test_the_line_says_nothing_more_of_the_inspection(
    db: Session, client: FlaskClient, make_staff: Any
) -> None:
    office, inspection, penalty = found_in_inspection(db, make_staff)
    link_penalty(db, inspection, penalty.id, actor=office)
    db.commit()
    body = client.get(f"/penalties/{penalty.id}").get_data(as_text=True)
    assert "不公开" not in body


def test_a_penalty_not_found_in_an_inspection_has_no_such_line(
    db: Session, client: FlaskClient, make_staff: Any
) -> None:
    _, _, penalty = found_in_inspection(db, make_staff)
    body = client.get(f"/penalties/{penalty.id}").get_data(as_text=True)
    assert 'id="found-in-inspection"' not in body


def test_linking_refreshes_a_cached_public_page(
    db: Session, client: FlaskClient, make_staff: Any
) -> None:
    office, inspection, penalty = found_in_inspection(db, make_staff)
    client.get(f"/penalties/{penalty.id}")  # kept in the page cache
    link_penalty(db, inspection, penalty.id, actor=office)
    db.commit()
    body = client.get(f"/penalties/{penalty.id}").get_data(as_text=True)
    assert 'id="found-in-inspection"' in body
