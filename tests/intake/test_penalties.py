"""Recording penalty decisions (docs/domain.md §9): who records, where, what it changes, what it leaves."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report
from intake.penalties.lifecycle import PenaltyError
from intake.penalties.models import Penalty, PenaltyStatus, SubjectKind
from intake.penalties.operations import record_penalty, withdraw_penalty
from portal.audit import AuditEntry
from portal.institutions.models import AgreementStatus
from portal.timeutil import today_in_china
from publish.penalties.operations import publish_penalty
from tests.conftest import handle_to_feedback
from tests.penalty_factories import days_ago, fields, make_institution, recorded


@pytest.fixture
def approver(make_staff: Any) -> Any:
    return make_staff("approver")


@pytest.fixture
def hospital(db: Session) -> Any:
    institution = make_institution(db)
    db.commit()
    return institution


@pytest.fixture
def founded(db: Session, make_staff: Any, make_report: Any, approver: Any) -> Report:
    """A report of 兴庆区 whose case was founded and handled."""
    report, _ = make_report(region_code="640104")
    handle_to_feedback(
        db,
        report,
        intake=make_staff("intake_officer"),
        investigator=make_staff("investigator"),
        approver=approver,
    )
    db.commit()
    return report


@pytest.mark.parametrize("role", ["publisher", "investigator", "intake_officer"])
def test_only_an_approver_records_a_decision(
    db: Session, make_staff: Any, hospital: Any, role: str
) -> None:
    with pytest.raises(PenaltyError, match="role"):
        record_penalty(db, fields(db), actor=make_staff(role))


def test_an_approver_records_only_in_their_jurisdiction(
    db: Session, make_staff: Any, hospital: Any
) -> None:
    county = make_staff("approver", region_code="640105")
    with pytest.raises(PenaltyError, match="penalty_region"):
        record_penalty(db, fields(db, region_code="640104"), actor=county)


def test_a_suspension_suspends_the_institutions_agreement_for_its_dates(
    db: Session, approver: Any, hospital: Any
) -> None:
    first = today_in_china() + timedelta(days=5)
    last = date(first.year + 1, first.month, 1) - timedelta(days=1)
    recorded(db, approver, suspension_from=first, suspension_to=last)
    db.refresh(hospital)
    assert hospital.status_on(first - timedelta(days=1)) is AgreementStatus.IN_FORCE
    assert hospital.status_on(first) is AgreementStatus.SUSPENDED
    assert hospital.status_on(last) is AgreementStatus.SUSPENDED
    assert hospital.status_on(last + timedelta(days=1)) is AgreementStatus.IN_FORCE


def test_a_termination_ends_the_agreement_from_the_decision_date(
    db: Session, approver: Any, hospital: Any
) -> None:
    penalty = recorded(db, approver, terminates_agreement=True)
    db.refresh(hospital)
    assert hospital.status_on(penalty.decided_on) is AgreementStatus.TERMINATED
    assert hospital.status_on(penalty.decided_on - timedelta(days=1)) is AgreementStatus.IN_FORCE


def test_a_later_suspension_never_turns_a_termination_back(
    db: Session, approver: Any, hospital: Any
) -> None:
    recorded(db, approver, terminates_agreement=True)
    first = today_in_china()
    recorded(
        db,
        approver,
        decision_number="银医保罚〔2026〕2号",
        suspension_from=first,
        suspension_to=date(first.year + 1, first.month, 1) - timedelta(days=1),
    )
    db.refresh(hospital)
    assert hospital.agreement_status is AgreementStatus.TERMINATED


def test_a_fine_alone_leaves_the_agreement_in_force(
    db: Session, approver: Any, hospital: Any
) -> None:
    recorded(db, approver)
    db.refresh(hospital)
    assert hospital.agreement_status is AgreementStatus.IN_FORCE


def test_recording_and_the_agreement_change_are_audited(
    db: Session, approver: Any, hospital: Any
) -> None:
    penalty = recorded(db, approver, terminates_agreement=True)
    entries = {
        e.action: e
        for e in db.scalars(
            select(AuditEntry).where(
                AuditEntry.action.in_(("penalty.recorded", "institution.agreement_changed"))
            )
        )
    }
    assert entries["penalty.recorded"].subject == f"penalty:{penalty.id}"
    assert entries["penalty.recorded"].actor == f"staff:{approver.id}"
    change = json.loads(entries["institution.agreement_changed"].details_json)
    assert (change["before"]["status"], change["after"]["status"]) == ("in_force", "terminated")


def test_a_decision_from_a_report_leaves_an_internal_event_on_it(
    db: Session, approver: Any, hospital: Any, founded: Report
) -> None:
    penalty = recorded(db, approver, report_case_number=founded.case_number)
    db.refresh(founded)
    event = founded.events[-1]
    assert (event.kind, event.is_public, event.detail) == (
        "penalty_recorded",
        False,
        str(penalty.id),
    )
    assert penalty.report_id == founded.id


def test_a_report_whose_case_was_not_founded_is_no_source(
    db: Session, approver: Any, hospital: Any, make_report: Any
) -> None:
    report, _ = make_report(region_code="640104")
    with pytest.raises(PenaltyError, match="penalty_report"):
        record_penalty(db, fields(db, report_case_number=report.case_number), actor=approver)


def test_a_founded_report_elsewhere_answers_like_a_missing_one(
    db: Session, make_staff: Any, hospital: Any, founded: Report
) -> None:
    sibling = make_staff("approver", region_code="640105")
    for number in (founded.case_number, "JB2026-0000-0000"):
        with pytest.raises(PenaltyError, match="penalty_report"):
            record_penalty(
                db, fields(db, region_code="640105", report_case_number=number), actor=sibling
            )


def test_a_code_not_in_the_directory_is_refused(db: Session, approver: Any) -> None:
    with pytest.raises(PenaltyError, match="penalty_institution"):
        record_penalty(db, fields(db, institution_code="H64010499999"), actor=approver)


def test_the_directorys_name_is_taken_when_none_is_typed(
    db: Session, approver: Any, hospital: Any
) -> None:
    penalty = recorded(db, approver)
    assert (penalty.institution_id, penalty.subject_name) == (hospital.id, "银川某某医院")


def test_an_institution_not_in_the_directory_is_recorded_by_name(
    db: Session, approver: Any
) -> None:
    penalty = recorded(db, approver, institution_code="", subject_name="某某诊所")
    assert (penalty.institution_id, penalty.subject_name) == (None, "某某诊所")


def test_an_individual_never_carries_a_directory_code(db: Session, approver: Any) -> None:
    decision = fields(
        db,
        subject_kind=SubjectKind.INDIVIDUAL,
        article=41,
        subject_name="王小明",
        basis_amount=Decimal("8000"),
        fine_amount=Decimal("16000"),
    )
    with pytest.raises(PenaltyError, match="penalty_individual_code"):
        record_penalty(db, decision, actor=approver)


def test_a_decision_date_in_the_future_is_refused(
    db: Session, approver: Any, hospital: Any
) -> None:
    with pytest.raises(PenaltyError, match="penalty_future"):
        record_penalty(
            db, fields(db, decided_on=today_in_china() + timedelta(days=1)), actor=approver
        )


def test_the_returned_amount_is_always_required(db: Session, approver: Any, hospital: Any) -> None:
    with pytest.raises(PenaltyError, match="penalty_returned"):
        record_penalty(db, fields(db, returned_amount=None), actor=approver)


def test_the_same_decision_number_of_an_office_is_recorded_once(
    db: Session, approver: Any, hospital: Any
) -> None:
    recorded(db, approver)
    with pytest.raises(PenaltyError, match="penalty_duplicate"):
        record_penalty(db, fields(db), actor=approver)


def test_a_withdrawn_decision_stays_with_its_reason_and_frees_the_agreement(
    db: Session, approver: Any, hospital: Any, founded: Report
) -> None:
    penalty = recorded(
        db, approver, terminates_agreement=True, report_case_number=founded.case_number
    )
    withdraw_penalty(db, penalty, reason="录入错误", actor=approver)
    db.commit()
    db.refresh(hospital)
    assert (penalty.status, penalty.withdrawn_reason) == (PenaltyStatus.WITHDRAWN, "录入错误")
    assert hospital.agreement_status is AgreementStatus.IN_FORCE
    assert founded.events[-1].kind == "penalty_withdrawn"


def test_a_published_decision_cannot_be_withdrawn(
    db: Session, approver: Any, hospital: Any, make_staff: Any
) -> None:
    penalty = recorded(db, approver)
    publish_penalty(db, penalty, actor=make_staff("publisher"))
    with pytest.raises(PenaltyError, match="penalty_status"):
        withdraw_penalty(db, penalty, reason="错误", actor=approver)


def test_a_withdrawal_needs_a_reason(db: Session, approver: Any, hospital: Any) -> None:
    penalty = recorded(db, approver)
    with pytest.raises(PenaltyError, match="reason"):
        withdraw_penalty(db, penalty, reason="  ", actor=approver)


# --- the pages -------------------------------------------------------------------------------


def _form(**overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subject_kind": "institution",
        "institution_code": "H64010400012",
        "subject_name": "",
        "region": "640104",
        "article": "40",
        "measures": ["recover", "fine"],
        "basis_amount": "300,000",
        "returned_amount": "300000",
        "fine_amount": "500000",
        "deciding_office": "银川市医疗保障局",
        "decision_number": "银医保罚〔2026〕7号",
        "decided_on": days_ago(3).isoformat(),
        "summary": "飞行检查发现虚构诊疗项目。",
    }
    data.update(overrides)
    return data


def test_the_form_refuses_the_worked_example_on_the_fine_keeping_what_was_typed(
    db: Session, approver: Any, hospital: Any, login_as: Any
) -> None:
    response = login_as(approver).post("/staff/penalties/new", data=_form())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="fine_amount-error"' in page and "600,000.00" in page and "1,500,000.00" in page
    for typed in ("500000", "300,000", "银医保罚〔2026〕7号", "飞行检查发现虚构诊疗项目。"):
        assert typed in page
    assert db.scalar(select(Penalty)) is None


def test_an_approver_records_through_the_page(
    db: Session, approver: Any, hospital: Any, login_as: Any
) -> None:
    client = login_as(approver)
    response = client.post("/staff/penalties/new", data=_form(fine_amount="600000"))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "银医保罚〔2026〕7号" in page and 'data-state="recorded"' in page


def test_the_form_says_which_field_an_unknown_code_is_on(
    approver: Any, hospital: Any, login_as: Any
) -> None:
    response = login_as(approver).post(
        "/staff/penalties/new", data=_form(institution_code="H64010499999", fine_amount="")
    )
    assert response.status_code == 422
    assert 'id="institution_code-error"' in response.get_data(as_text=True)


def test_the_report_page_offers_an_approver_to_record_from_a_founded_case(
    approver: Any, make_staff: Any, login_as: Any, founded: Report
) -> None:
    link = f"/staff/penalties/new?report={founded.case_number}"
    assert link in login_as(approver).get(f"/staff/reports/{founded.case_number}").text
    investigator = login_as(make_staff("investigator"))
    assert link not in investigator.get(f"/staff/reports/{founded.case_number}").text


def test_the_form_from_a_report_starts_with_its_region_and_institution(
    db: Session, approver: Any, hospital: Any, login_as: Any, founded: Report
) -> None:
    founded.institution_id = hospital.id
    db.commit()
    page = login_as(approver).get(f"/staff/penalties/new?report={founded.case_number}").text
    assert 'value="H64010400012"' in page and founded.case_number in page
    assert '<option selected value="640104">' in page


def test_a_report_elsewhere_cannot_start_a_form(
    make_staff: Any, login_as: Any, founded: Report
) -> None:
    sibling = login_as(make_staff("approver", region_code="640105"))
    assert sibling.get(f"/staff/penalties/new?report={founded.case_number}").status_code == 404


def test_the_staff_list_keeps_every_status(
    db: Session, approver: Any, hospital: Any, make_staff: Any, login_as: Any
) -> None:
    kept = recorded(db, approver)
    gone = recorded(db, approver, decision_number="银医保罚〔2026〕9号")
    withdraw_penalty(db, gone, reason="录错", actor=approver)
    db.commit()
    page = login_as(make_staff("publisher")).get("/staff/penalties/").text
    assert f"/staff/penalties/{kept.id}" in page and f"/staff/penalties/{gone.id}" in page
    assert 'data-state="withdrawn"' in page and 'data-state="recorded"' in page


def test_a_decision_elsewhere_is_not_found(
    db: Session, approver: Any, hospital: Any, make_staff: Any, login_as: Any
) -> None:
    penalty = recorded(db, approver)
    other = login_as(make_staff("approver", region_code="110000"))
    assert other.get(f"/staff/penalties/{penalty.id}").status_code == 404
    assert f"/staff/penalties/{penalty.id}" not in other.get("/staff/penalties/").text


def test_a_withdrawal_without_a_reason_draws_the_page_again(
    db: Session, approver: Any, hospital: Any, login_as: Any
) -> None:
    penalty = recorded(db, approver)
    response = login_as(approver).post(f"/staff/penalties/{penalty.id}/withdraw", data={})
    assert response.status_code == 422 and 'id="withdraw-form" open' in response.text
