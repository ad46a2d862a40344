"""The pages of inspections with supervisors (docs/domain.md §14): who reaches an inspection,
what a supervisor reads before and after the date, and forms that keep what was typed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.inspections.models import Inspection, InspectionKind, InspectionSignup, SignupStatus
from intake.inspections.operations import (
    InspectionFields,
    announce_inspection,
    confirm_participant,
    link_penalty,
    record_results,
)
from intake.inspections.participation import sign_up
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from tests.penalty_factories import make_institution, recorded

TODAY = today_in_china()
DAY = TODAY + timedelta(days=10)
TERM = {"term_start": date(2020, 1, 1), "term_end": date(2099, 12, 31)}
TARGET = "H64010400012"
INSTRUCTIONS = "暗访口令：青松"


@pytest.fixture
def office(make_staff: Any) -> Any:
    return make_staff("investigator", region_code="640100")


@pytest.fixture
def supervisor(make_staff: Any) -> Any:
    return make_staff("social_supervisor", region_code="640104", **TERM)


def announce(db: Session, office: Any, **overrides: Any) -> Inspection:
    make_institution(db, code=TARGET, name="银川某某医院")
    values: dict[str, Any] = {
        "kind": InspectionKind.FLYING,
        "inspection_date": DAY,
        "inspected_region": get_region_by_code(db, "640104"),
        "places": 2,
        "summary": "检查住院病历。",
        "instructions": INSTRUCTIONS,
        "target_codes": [TARGET],
    }
    office_code = overrides.pop("office_code", "640100")
    values.update(overrides)
    inspection = announce_inspection(
        db, InspectionFields(**values), office=get_region_by_code(db, office_code), actor=office
    )
    db.commit()
    return inspection


def move_date(db: Session, inspection: Inspection, day: date) -> None:
    """Put the inspection's date elsewhere, as time passing would."""
    inspection.inspection_date = day
    db.commit()


def page_of(client: FlaskClient, inspection: Inspection) -> str:
    response = client.get(f"/staff/my-inspections/{inspection.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- secrecy ----------------------------------------------------------------------------


def test_a_supervisor_reads_no_target_before_the_date(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    body = page_of(login_as(supervisor), inspection)
    assert TARGET not in body and INSTRUCTIONS not in body
    assert "检查住院病历。" in body


def test_a_supervisor_reads_targets_shown_early(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office, show_targets_early=True)
    body = page_of(login_as(supervisor), inspection)
    assert TARGET in body and INSTRUCTIONS in body


def test_a_supervisor_reads_the_targets_on_the_date(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    move_date(db, inspection, TODAY)
    assert TARGET in page_of(login_as(supervisor), inspection)


def test_an_undercover_visit_stays_secret_after_its_date_until_done(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office, kind=InspectionKind.UNDERCOVER)
    move_date(db, inspection, TODAY - timedelta(days=3))
    client = login_as(supervisor)
    body = page_of(client, inspection)
    assert TARGET not in body and INSTRUCTIONS not in body
    record_results(db, inspection, results="完成", inspected_codes=[TARGET], actor=office)
    db.commit()
    assert TARGET in page_of(client, inspection)


def test_a_supervisor_never_reads_the_penalties_of_an_inspection(
    db: Session, office: Any, supervisor: Any, make_staff: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    move_date(db, inspection, TODAY)
    record_results(db, inspection, results="发现问题", inspected_codes=[], actor=office)
    penalty = recorded(db, make_staff("approver", region_code="640100"))
    link_penalty(db, inspection, penalty.id, actor=office)
    db.commit()
    body = page_of(login_as(supervisor), inspection)
    assert penalty.decision_number not in body and "发现问题" not in body


# --- who reaches an inspection ------------------------------------------------------------


@pytest.mark.parametrize("region_code", ["640100", "640106"])
def test_an_inspection_not_announced_to_a_supervisor_answers_like_a_missing_one(
    db: Session, office: Any, make_staff: Any, login_as: Any, region_code: str
) -> None:
    # Announced by the county 640104: the city above it and a sibling county are not told.
    inspection = announce(db, office, office_code="640104")
    client = login_as(make_staff("social_supervisor", region_code=region_code, **TERM))
    missing = client.get("/staff/my-inspections/999999")
    response = client.get(f"/staff/my-inspections/{inspection.id}")
    assert response.status_code == missing.status_code == 404
    # The same page but for the address asked for.
    shown = response.get_data(as_text=True).replace(f"/{inspection.id}", "/N")
    assert shown == missing.get_data(as_text=True).replace("/999999", "/N")
    assert client.post(f"/staff/my-inspections/{inspection.id}/sign-up").status_code == 404
    listed = client.get("/staff/my-inspections/").get_data(as_text=True)
    assert f"/staff/my-inspections/{inspection.id}" not in listed


def test_a_supervisor_of_a_county_below_sees_the_citys_inspection_in_the_list(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    body = login_as(supervisor).get("/staff/my-inspections/").get_data(as_text=True)
    assert f"/staff/my-inspections/{inspection.id}" in body


def test_an_office_of_another_branch_gets_404(
    db: Session, office: Any, make_staff: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    client = login_as(make_staff("approver", region_code="640104"))
    assert client.get(f"/staff/inspections/{inspection.id}").status_code == 404


# --- the steps through the pages ----------------------------------------------------------


def test_a_supervisor_signs_up_and_the_office_confirms(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    response = login_as(supervisor).post(f"/staff/my-inspections/{inspection.id}/sign-up")
    assert response.status_code == 303
    signup = db.scalars(select(InspectionSignup)).one()
    confirmed = login_as(office).post(
        f"/staff/inspections/{inspection.id}/signups/{signup.id}/confirm"
    )
    assert confirmed.status_code == 303
    db.refresh(signup)
    assert signup.status is SignupStatus.CONFIRMED
    assert 'data-status="confirmed"' in page_of(login_as(supervisor), inspection)


def test_a_confirmation_beyond_the_places_is_refused_on_the_page(
    db: Session, office: Any, make_staff: Any, login_as: Any
) -> None:
    inspection = announce(db, office, places=1)
    first, second = (
        sign_up(db, inspection, actor=make_staff("social_supervisor", region_code="640104", **TERM))
        for _ in range(2)
    )
    confirm_participant(db, inspection, first.id, actor=office)
    db.commit()
    response = login_as(office).post(
        f"/staff/inspections/{inspection.id}/signups/{second.id}/confirm"
    )
    assert response.status_code == 409
    assert 'id="refusal"' in response.get_data(as_text=True)


def test_a_late_sign_up_is_refused_on_the_page(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    move_date(db, inspection, TODAY)
    response = login_as(supervisor).post(f"/staff/my-inspections/{inspection.id}/sign-up")
    assert response.status_code == 409
    assert 'id="refusal"' in response.get_data(as_text=True)


def test_a_participant_files_an_account_after_the_date(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    confirm_participant(db, inspection, sign_up(db, inspection, actor=supervisor).id, actor=office)
    move_date(db, inspection, TODAY - timedelta(days=1))
    client = login_as(supervisor)
    response = client.post(
        f"/staff/my-inspections/{inspection.id}/account", data={"account": "病房空床较多。"}
    )
    assert response.status_code == 303
    office_page = login_as(office).get(f"/staff/inspections/{inspection.id}")
    assert "病房空床较多。" in office_page.get_data(as_text=True)


def test_an_account_too_long_comes_back_with_what_was_typed(
    db: Session, office: Any, supervisor: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    confirm_participant(db, inspection, sign_up(db, inspection, actor=supervisor).id, actor=office)
    move_date(db, inspection, TODAY)
    text = "长" * 3001
    response = login_as(supervisor).post(
        f"/staff/my-inspections/{inspection.id}/account", data={"account": text}
    )
    assert response.status_code == 422
    assert text in response.get_data(as_text=True)


ANNOUNCE = {
    "office": "640100",
    "kind": "flying",
    "inspection_date": DAY.isoformat(),
    "inspected_region": "640104",
    "places": "3",
    "summary": "对定点医院开展飞行检查。",
    "targets": TARGET,
    "instructions": "八点集合",
}


def test_the_office_announces_through_the_form(db: Session, office: Any, login_as: Any) -> None:
    make_institution(db, code=TARGET)
    db.commit()
    response = login_as(office).post("/staff/inspections/new", data=ANNOUNCE)
    assert response.status_code == 303
    inspection = db.scalars(select(Inspection)).one()
    assert (inspection.places, inspection.summary) == (3, "对定点医院开展飞行检查。")


def test_a_refused_announcement_keeps_what_was_typed(
    db: Session, office: Any, login_as: Any
) -> None:
    data = {**ANNOUNCE, "kind": "undercover", "show_targets_early": "y", "places": "60"}
    response = login_as(office).post("/staff/inspections/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "对定点医院开展飞行检查。" in body and TARGET in body and "八点集合" in body


def test_an_unknown_code_is_refused_with_the_code_named(
    db: Session, office: Any, login_as: Any
) -> None:
    response = login_as(office).post("/staff/inspections/new", data=ANNOUNCE)
    assert response.status_code == 409
    assert "对定点医院开展飞行检查。" in response.get_data(as_text=True)
    assert response.get_data(as_text=True).count(TARGET) >= 2  # in the words and the box


def test_a_search_lists_matches_and_keeps_the_form(db: Session, office: Any, login_as: Any) -> None:
    make_institution(db, code=TARGET, name="银川康宁医院")
    db.commit()
    data = {**ANNOUNCE, "targets": "", "institution_query": "康宁", "find": "y"}
    response = login_as(office).post("/staff/inspections/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="{TARGET}"' in body and "对定点医院开展飞行检查。" in body
    assert db.scalars(select(Inspection)).first() is None


def test_ticked_matches_join_the_targets(db: Session, office: Any, login_as: Any) -> None:
    make_institution(db, code=TARGET)
    db.commit()
    data = {**ANNOUNCE, "targets": "", "found": [TARGET]}
    assert login_as(office).post("/staff/inspections/new", data=data).status_code == 303
    response = login_as(office).get(f"/staff/inspections/{db.scalars(select(Inspection)).one().id}")
    assert TARGET in response.get_data(as_text=True)


def test_the_office_records_results_and_links_a_penalty(
    db: Session, office: Any, make_staff: Any, login_as: Any
) -> None:
    inspection = announce(db, office)
    move_date(db, inspection, TODAY)
    client = login_as(office)
    form = client.get(f"/staff/inspections/{inspection.id}/results")
    assert TARGET in form.get_data(as_text=True)  # the targets offered as inspected
    done = client.post(
        f"/staff/inspections/{inspection.id}/results",
        data={"results": "两家医院存在挂床。", "inspected": TARGET},
    )
    assert done.status_code == 303
    penalty = recorded(db, make_staff("approver", region_code="640100"))
    linked = client.post(
        f"/staff/inspections/{inspection.id}/penalties", data={"penalty": str(penalty.id)}
    )
    assert linked.status_code == 303
    assert penalty.decision_number in client.get(f"/staff/inspections/{inspection.id}").get_data(
        as_text=True
    )
