"""Inspections with social supervisors (docs/domain.md §14): announcing, secrecy, places, sign-ups,
accounts, results, penalties, and a supervisor's year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.inspections.models import (
    Inspection,
    InspectionKind,
    InspectionStatus,
    SignupStatus,
)
from intake.inspections.operations import (
    InspectionFields,
    announce_inspection,
    cancel_inspection,
    confirm_participant,
    edit_inspection,
    link_penalty,
    record_results,
)
from intake.inspections.participation import file_account, sign_up, withdraw_signup
from intake.inspections.queries import inspection_counts_of, inspection_found
from intake.inspections.rules import InspectionError, InspectionNotFound, targets_revealed
from intake.penalties.operations import withdraw_penalty
from portal.audit import AuditEntry
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from tests.penalty_factories import make_institution, recorded

TODAY = today_in_china()
DAY = TODAY + timedelta(days=10)
TERM = {"term_start": date(2020, 1, 1), "term_end": date(2099, 12, 31)}


def fields(db: Session, **overrides: Any) -> InspectionFields:
    values: dict[str, Any] = {
        "kind": InspectionKind.FLYING,
        "inspection_date": DAY,
        "inspected_region": get_region_by_code(db, overrides.pop("region_code", "640104")),
        "places": 2,
        "summary": "检查定点医院住院病历与费用清单。",
        "instructions": "上午九点在区医保局集合。",
    }
    values.update(overrides)
    return InspectionFields(**values)


@pytest.fixture
def office(make_staff: Any) -> Any:
    return make_staff("investigator", region_code="640100")


@pytest.fixture
def supervisor(make_staff: Any) -> Any:
    return make_staff("social_supervisor", region_code="640104", **TERM)


def announce(db: Session, office: Any, **overrides: Any) -> Inspection:
    region = get_region_by_code(db, overrides.pop("office_code", "640100"))
    inspection = announce_inspection(db, fields(db, **overrides), office=region, actor=office)
    db.commit()
    return inspection


def refusal(excinfo: pytest.ExceptionInfo[InspectionError]) -> str:
    return excinfo.value.code


# --- announcing -------------------------------------------------------------------------


def test_an_office_announces_for_a_region_below_its_own(db: Session, office: Any) -> None:
    inspection = announce(db, office, office_code="640104")
    assert inspection.status is InspectionStatus.ANNOUNCED
    assert inspection.region.code == "640104"


def test_an_office_cannot_announce_for_a_region_above_its_own(db: Session, office: Any) -> None:
    with pytest.raises(InspectionError) as excinfo:
        announce(db, office, office_code="640000")
    assert refusal(excinfo) == "inspection_office"


def test_the_region_inspected_lies_under_the_announcing_office(db: Session, office: Any) -> None:
    with pytest.raises(InspectionError) as excinfo:
        announce(db, office, office_code="640104", region_code="640106")
    assert refusal(excinfo) == "inspection_region"


@pytest.mark.parametrize("places", [0, 51])
def test_places_are_between_one_and_fifty(db: Session, office: Any, places: int) -> None:
    with pytest.raises(InspectionError) as excinfo:
        announce(db, office, places=places)
    assert refusal(excinfo) == "inspection_places"


def test_an_undercover_visit_never_shows_its_targets_early(db: Session, office: Any) -> None:
    with pytest.raises(InspectionError) as excinfo:
        announce(db, office, kind=InspectionKind.UNDERCOVER, show_targets_early=True)
    assert refusal(excinfo) == "inspection_undercover_shown"


def test_a_target_must_be_in_the_directory(db: Session, office: Any) -> None:
    with pytest.raises(InspectionError) as excinfo:
        announce(db, office, target_codes=["H64010499999"])
    assert refusal(excinfo) == "inspection_unknown_codes"
    assert excinfo.value.params["codes"] == "H64010499999"


def test_a_target_must_be_in_the_region_inspected(db: Session, office: Any) -> None:
    make_institution(db, code="H64010600001", region_code="640106")
    with pytest.raises(InspectionError) as excinfo:
        announce(db, office, target_codes=["H64010600001"])
    assert refusal(excinfo) == "inspection_codes_outside"


def test_a_publisher_cannot_announce(db: Session, make_staff: Any) -> None:
    with pytest.raises(InspectionError) as excinfo:
        announce(db, make_staff("publisher", region_code="640100"))
    assert refusal(excinfo) == "role"


def test_an_inspection_cannot_be_dated_in_the_past(db: Session, office: Any) -> None:
    with pytest.raises(InspectionError) as excinfo:
        announce(db, office, inspection_date=TODAY - timedelta(days=1))
    assert refusal(excinfo) == "inspection_past"


# --- secrecy ----------------------------------------------------------------------------

BEFORE, ON = DAY - timedelta(days=1), DAY


@pytest.mark.parametrize(
    ("kind", "early", "status", "today", "revealed"),
    [
        (InspectionKind.FLYING, False, InspectionStatus.ANNOUNCED, BEFORE, False),
        (InspectionKind.FLYING, True, InspectionStatus.ANNOUNCED, BEFORE, True),
        (InspectionKind.FLYING, False, InspectionStatus.ANNOUNCED, ON, True),
        (InspectionKind.RANDOM, False, InspectionStatus.ANNOUNCED, ON, True),
        (InspectionKind.UNDERCOVER, False, InspectionStatus.ANNOUNCED, BEFORE, False),
        (InspectionKind.UNDERCOVER, False, InspectionStatus.ANNOUNCED, ON + timedelta(30), False),
        (InspectionKind.UNDERCOVER, False, InspectionStatus.CANCELLED, ON + timedelta(30), False),
        (InspectionKind.UNDERCOVER, False, InspectionStatus.DONE, ON, True),
    ],
)
def test_targets_are_revealed_to_supervisors_only_when_the_rules_allow(
    kind: InspectionKind, early: bool, status: InspectionStatus, today: date, revealed: bool
) -> None:
    inspection = Inspection(kind=kind, show_targets_early=early, status=status, inspection_date=DAY)
    assert targets_revealed(inspection, today) is revealed


# --- who is told ------------------------------------------------------------------------


@pytest.mark.parametrize("region_code", ["640000", "640106"])
def test_a_supervisor_the_office_did_not_announce_to_is_refused_as_not_found(
    db: Session, office: Any, make_staff: Any, region_code: str
) -> None:
    inspection = announce(db, office, office_code="640104")
    elsewhere = make_staff("social_supervisor", region_code=region_code, **TERM)
    with pytest.raises(InspectionNotFound) as excinfo:
        sign_up(db, inspection, actor=elsewhere)
    assert excinfo.value.status == 404


def test_an_office_of_another_branch_is_refused_as_not_found(
    db: Session, office: Any, make_staff: Any, supervisor: Any
) -> None:
    inspection = announce(db, office, office_code="640104")
    sign_up(db, inspection, actor=supervisor)
    sibling = make_staff("investigator", region_code="640106")
    with pytest.raises(InspectionNotFound):
        cancel_inspection(db, inspection, reason="不去了", actor=sibling)


# --- sign-ups and places ----------------------------------------------------------------


def test_a_supervisor_signs_up_until_the_day_before(
    db: Session, office: Any, supervisor: Any
) -> None:
    inspection = announce(db, office)
    signup = sign_up(db, inspection, actor=supervisor, today=DAY - timedelta(days=1))
    assert signup.status is SignupStatus.SIGNED_UP


def test_sign_ups_close_on_the_date(db: Session, office: Any, supervisor: Any) -> None:
    inspection = announce(db, office)
    with pytest.raises(InspectionError) as excinfo:
        sign_up(db, inspection, actor=supervisor, today=DAY)
    assert refusal(excinfo) == "inspection_signup_closed"


def test_withdrawals_close_on_the_date(db: Session, office: Any, supervisor: Any) -> None:
    inspection = announce(db, office)
    sign_up(db, inspection, actor=supervisor)
    with pytest.raises(InspectionError) as excinfo:
        withdraw_signup(db, inspection, actor=supervisor, today=DAY)
    assert refusal(excinfo) == "inspection_signup_closed"


def test_a_supervisor_signs_up_once(db: Session, office: Any, supervisor: Any) -> None:
    inspection = announce(db, office)
    sign_up(db, inspection, actor=supervisor)
    with pytest.raises(InspectionError) as excinfo:
        sign_up(db, inspection, actor=supervisor)
    assert refusal(excinfo) == "inspection_signup_exists"


def test_a_supervisor_who_withdrew_may_sign_up_again(
    db: Session, office: Any, supervisor: Any
) -> None:
    inspection = announce(db, office)
    sign_up(db, inspection, actor=supervisor)
    withdraw_signup(db, inspection, actor=supervisor)
    assert sign_up(db, inspection, actor=supervisor).status is SignupStatus.SIGNED_UP


def test_the_office_never_confirms_more_than_the_places(
    db: Session, office: Any, make_staff: Any
) -> None:
    inspection = announce(db, office, places=1)
    first, second = (
        sign_up(db, inspection, actor=make_staff("social_supervisor", region_code="640104", **TERM))
        for _ in range(2)
    )
    confirm_participant(db, inspection, first.id, actor=office)
    with pytest.raises(InspectionError) as excinfo:
        confirm_participant(db, inspection, second.id, actor=office)
    assert refusal(excinfo) == "inspection_full"


def test_a_withdrawal_frees_a_confirmed_place(db: Session, office: Any, make_staff: Any) -> None:
    inspection = announce(db, office, places=1)
    one, other = (make_staff("social_supervisor", region_code="640104", **TERM) for _ in range(2))
    confirm_participant(db, inspection, sign_up(db, inspection, actor=one).id, actor=office)
    waiting = sign_up(db, inspection, actor=other)
    withdraw_signup(db, inspection, actor=one)
    assert confirm_participant(db, inspection, waiting.id, actor=office).status is (
        SignupStatus.CONFIRMED
    )


def test_places_cannot_be_cut_below_those_confirmed(
    db: Session, office: Any, make_staff: Any
) -> None:
    inspection = announce(db, office, places=2)
    for _ in range(2):
        person = make_staff("social_supervisor", region_code="640104", **TERM)
        confirm_participant(db, inspection, sign_up(db, inspection, actor=person).id, actor=office)
    with pytest.raises(InspectionError) as excinfo:
        edit_inspection(db, inspection, fields(db, places=1), actor=office)
    assert refusal(excinfo) == "inspection_places_taken"


def test_editing_stops_on_the_date(db: Session, office: Any) -> None:
    inspection = announce(db, office)
    with pytest.raises(InspectionError) as excinfo:
        edit_inspection(db, inspection, fields(db, places=3), actor=office, today=DAY)
    assert refusal(excinfo) == "inspection_date_passed"


def test_a_cancelled_inspection_takes_no_sign_up(db: Session, office: Any, supervisor: Any) -> None:
    inspection = announce(db, office)
    cancel_inspection(db, inspection, reason="检查计划调整", actor=office)
    with pytest.raises(InspectionError) as excinfo:
        sign_up(db, inspection, actor=supervisor)
    assert refusal(excinfo) == "inspection_status"


# --- accounts and results ---------------------------------------------------------------


def confirmed(db: Session, office: Any, supervisor: Any, **overrides: Any) -> Inspection:
    inspection = announce(db, office, **overrides)
    confirm_participant(db, inspection, sign_up(db, inspection, actor=supervisor).id, actor=office)
    db.commit()
    return inspection


def test_an_account_waits_for_the_date(db: Session, office: Any, supervisor: Any) -> None:
    inspection = confirmed(db, office, supervisor)
    with pytest.raises(InspectionError) as excinfo:
        file_account(db, inspection, text="看到了。", actor=supervisor, today=DAY - timedelta(1))
    assert refusal(excinfo) == "inspection_account_not_yet"


def test_only_a_confirmed_participant_files_an_account(
    db: Session, office: Any, supervisor: Any
) -> None:
    inspection = announce(db, office)
    sign_up(db, inspection, actor=supervisor)
    with pytest.raises(InspectionError) as excinfo:
        file_account(db, inspection, text="看到了。", actor=supervisor, today=DAY)
    assert refusal(excinfo) == "inspection_account_not_participant"


def test_an_account_is_filed_once_then_changed(db: Session, office: Any, supervisor: Any) -> None:
    inspection = confirmed(db, office, supervisor)
    first = file_account(db, inspection, text="初稿", actor=supervisor, today=DAY)
    filed_at = first.account_filed_at
    again = file_account(db, inspection, text="修改稿", actor=supervisor, today=DAY)
    assert (again.id, again.account, again.account_filed_at) == (first.id, "修改稿", filed_at)
    assert again.account_changed_at is not None


def test_an_account_closes_when_the_results_are_recorded(
    db: Session, office: Any, supervisor: Any
) -> None:
    inspection = confirmed(db, office, supervisor)
    file_account(db, inspection, text="初稿", actor=supervisor, today=DAY)
    record_results(db, inspection, results="发现问题", inspected_codes=[], actor=office, today=DAY)
    with pytest.raises(InspectionError) as excinfo:
        file_account(db, inspection, text="补充", actor=supervisor, today=DAY)
    assert refusal(excinfo) == "inspection_status"


def test_an_account_is_at_most_3000_characters(db: Session, office: Any, supervisor: Any) -> None:
    inspection = confirmed(db, office, supervisor)
    with pytest.raises(InspectionError) as excinfo:
        file_account(db, inspection, text="字" * 3001, actor=supervisor, today=DAY)
    assert refusal(excinfo) == "inspection_account_length"


def test_results_wait_for_the_date(db: Session, office: Any) -> None:
    inspection = announce(db, office)
    with pytest.raises(InspectionError) as excinfo:
        record_results(db, inspection, results="完成", inspected_codes=[], actor=office)
    assert refusal(excinfo) == "inspection_not_yet"


def test_results_name_the_institutions_inspected(db: Session, office: Any) -> None:
    make_institution(db, code="H64010400012")
    inspection = announce(db, office)
    record_results(
        db, inspection, results="完成", inspected_codes=["h64010400012"], actor=office, today=DAY
    )
    assert inspection.status is InspectionStatus.DONE
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "inspection.done")).one()
    assert "H64010400012" in entry.details_json


# --- penalties --------------------------------------------------------------------------


@pytest.fixture
def done(db: Session, office: Any) -> Inspection:
    make_institution(db, code="H64010400012")
    inspection = announce(db, office)
    record_results(db, inspection, results="完成", inspected_codes=[], actor=office, today=DAY)
    db.commit()
    return inspection


def test_a_linked_penalty_names_the_inspections_kind_and_date(
    db: Session, office: Any, make_staff: Any, done: Inspection
) -> None:
    penalty = recorded(db, make_staff("approver", region_code="640100"))
    link_penalty(db, done, penalty.id, actor=office)
    found = inspection_found(db, penalty.id)
    assert found is not None
    assert (found.kind, found.inspection_date) == (InspectionKind.FLYING, DAY)


def test_a_penalty_is_found_in_one_inspection_only(
    db: Session, office: Any, make_staff: Any, done: Inspection
) -> None:
    penalty = recorded(db, make_staff("approver", region_code="640100"))
    link_penalty(db, done, penalty.id, actor=office)
    with pytest.raises(InspectionError) as excinfo:
        link_penalty(db, done, penalty.id, actor=office)
    assert refusal(excinfo) == "inspection_penalty_linked"


def test_a_withdrawn_penalty_is_not_linked(
    db: Session, office: Any, make_staff: Any, done: Inspection
) -> None:
    approver = make_staff("approver", region_code="640100")
    penalty = recorded(db, approver)
    withdraw_penalty(db, penalty, reason="录入错误", actor=approver)
    with pytest.raises(InspectionError) as excinfo:
        link_penalty(db, done, penalty.id, actor=office)
    assert refusal(excinfo) == "inspection_penalty_withdrawn"


def test_a_penalty_outside_the_offices_region_is_not_linked(db: Session, make_staff: Any) -> None:
    county = make_staff("investigator", region_code="640104")
    inspection = announce(db, county, office_code="640104")
    record_results(db, inspection, results="完成", inspected_codes=[], actor=county, today=DAY)
    make_institution(db, code="H64010600001", region_code="640106")
    penalty = recorded(
        db,
        make_staff("approver", region_code="640100"),
        region_code="640106",
        institution_code="H64010600001",
    )
    with pytest.raises(InspectionError) as excinfo:
        link_penalty(db, inspection, penalty.id, actor=county)
    assert refusal(excinfo) == "inspection_penalty_unknown"


def test_penalties_are_linked_once_the_inspection_is_done(
    db: Session, office: Any, make_staff: Any
) -> None:
    make_institution(db, code="H64010400012")
    penalty = recorded(db, make_staff("approver", region_code="640100"))
    inspection = announce(db, office)
    with pytest.raises(InspectionError) as excinfo:
        link_penalty(db, inspection, penalty.id, actor=office)
    assert refusal(excinfo) == "inspection_status"


# --- a supervisor's year ----------------------------------------------------------------


def test_counts_of_a_year_hold_the_confirmed_participations_and_their_accounts(
    db: Session, office: Any, supervisor: Any, make_staff: Any
) -> None:
    with_account = confirmed(db, office, supervisor)
    file_account(db, with_account, text="记录", actor=supervisor, today=DAY)
    confirmed(db, office, supervisor)
    only_signed_up = announce(db, office)
    sign_up(db, only_signed_up, actor=supervisor)
    cancelled = confirmed(db, office, supervisor)
    cancel_inspection(db, cancelled, reason="取消", actor=office)
    db.commit()
    counts = inspection_counts_of(db, supervisor.id, DAY.year)
    assert (counts.joined, counts.accounts_filed) == (2, 1)


def test_counts_of_another_year_are_empty(db: Session, office: Any, supervisor: Any) -> None:
    confirmed(db, office, supervisor)
    counts = inspection_counts_of(db, supervisor.id, DAY.year - 1)
    assert (counts.joined, counts.accounts_filed) == (0, 0)


# --- audit ------------------------------------------------------------------------------


def test_every_step_is_audited(db: Session, office: Any, supervisor: Any, done: Inspection) -> None:
    inspection = confirmed(db, office, supervisor)
    file_account(db, inspection, text="记录", actor=supervisor, today=DAY)
    file_account(db, inspection, text="修改", actor=supervisor, today=DAY)
    edit_inspection(db, inspection, fields(db, places=3), actor=office)
    withdraw_signup(db, inspection, actor=supervisor)
    cancel_inspection(db, inspection, reason="取消", actor=office)
    db.commit()
    actions = set(
        db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("inspection.%")))
    )
    assert actions == {
        "inspection.announced",
        "inspection.done",
        "inspection.signed_up",
        "inspection.confirmed",
        "inspection.account_filed",
        "inspection.account_changed",
        "inspection.edited",
        "inspection.withdrawn",
        "inspection.cancelled",
    }
