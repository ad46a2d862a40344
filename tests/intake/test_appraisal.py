"""The yearly appraisal of social supervisors (docs/domain.md §14)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.appraisal.models import AppraisalResult, SupervisorAppraisal
from intake.appraisal.operations import AppraisalError, record_appraisal
from intake.appraisal.queries import supervisor_year
from intake.inspections.models import InspectionKind
from intake.inspections.operations import (
    InspectionFields,
    announce_inspection,
    confirm_participant,
)
from intake.inspections.participation import file_account, sign_up
from intake.models import Stage
from intake.opinions.operations import add_message, send_opinion
from portal.accounts.models import StaffSession
from portal.accounts.passwords import authenticate
from portal.accounts.supervisors import SupervisorFields, set_supervisor_profile
from portal.audit import AuditEntry
from portal.jurisdictions.models import get_region_by_code
from portal.security import password_hasher
from portal.timeutil import CHINA, today_in_china
from tests.conftest import STAFF_PASSWORD

TODAY = today_in_china()
LAST_YEAR = TODAY.year - 1
TERM = {"term_start": date(LAST_YEAR - 1, 1, 1), "term_end": TODAY + timedelta(days=400)}


@pytest.fixture
def supervisor(make_staff: Any, db: Session) -> Any:
    user = make_staff("social_supervisor", region_code="640104", **TERM)
    profile = SupervisorFields("media", "宁夏日报社", True, date(LAST_YEAR - 1, 1, 1))
    set_supervisor_profile(db, user, profile, actor="cli")
    db.commit()
    return user


@pytest.fixture
def admin(make_staff: Any) -> Any:
    return make_staff("administrator", region_code="640100")


def _record(db: Session, supervisor: Any, admin: Any, **fields: Any) -> SupervisorAppraisal:
    values: dict[str, Any] = {
        "year": LAST_YEAR,
        "result": AppraisalResult.COMPETENT,
        "note": "全年提交线索，积极参加检查。",
        "renew_until": None,
        "actor": admin,
        "today": TODAY,
        **fields,
    }
    return record_appraisal(db, supervisor, **values)


def _post(client: FlaskClient, supervisor: Any, year: int = LAST_YEAR, **data: str) -> Any:
    form = {"result": "competent", "note": "全年提交线索。", **data}
    return client.post(f"/staff/admin/appraisals/{supervisor.id}/{year}", data=form)


def test_the_list_shows_last_years_supervisors_of_the_subtree(
    login_as: Any, admin: Any, supervisor: Any, make_staff: Any
) -> None:
    make_staff("social_supervisor", region_code="110000", username="beijing.sup", **TERM)
    page = login_as(admin).get("/staff/admin/appraisals/").get_data(as_text=True)
    assert f"/staff/admin/appraisals/{supervisor.id}/{LAST_YEAR}" in page
    assert "beijing.sup" not in page


def test_the_list_leaves_out_a_supervisor_who_did_not_serve_that_year(
    login_as: Any, admin: Any, make_staff: Any
) -> None:
    later = make_staff("social_supervisor", region_code="640104", term_start=TODAY, term_end=TODAY)
    page = login_as(admin).get("/staff/admin/appraisals/").get_data(as_text=True)
    assert f"/appraisals/{later.id}/" not in page


def test_a_bad_year_on_the_list_is_refused_with_a_message(login_as: Any, admin: Any) -> None:
    response = login_as(admin).get("/staff/admin/appraisals/?year=abc")
    assert response.status_code == 400
    assert 'id="year-error"' in response.get_data(as_text=True)


def test_a_supervisor_of_another_province_answers_not_found(
    login_as: Any, supervisor: Any, make_staff: Any
) -> None:
    beijing = login_as(make_staff("administrator", region_code="110000"))
    assert beijing.get(f"/staff/admin/appraisals/{supervisor.id}/{LAST_YEAR}").status_code == 404
    assert _post(beijing, supervisor).status_code == 404


def test_an_administrator_of_a_county_beside_answers_not_found(
    login_as: Any, supervisor: Any, make_staff: Any
) -> None:
    sibling = login_as(make_staff("administrator", region_code="640106"))
    assert _post(sibling, supervisor).status_code == 404


def test_an_account_that_is_no_supervisor_answers_not_found(
    login_as: Any, admin: Any, make_staff: Any
) -> None:
    officer = make_staff("investigator", region_code="640104")
    response = login_as(admin).get(f"/staff/admin/appraisals/{officer.id}/{LAST_YEAR}")
    assert response.status_code == 404


def test_the_page_counts_the_clues_of_the_year_by_where_they_stand(
    db: Session, supervisor: Any, make_report: Any, admin: Any
) -> None:
    def clue(stage: Stage, outcome: str | None = None, year: int = LAST_YEAR) -> None:
        report, _ = make_report(source="supervisor", filed_by_staff_id=supervisor.id)
        report.received_at = datetime(year, 6, 1, 10, tzinfo=CHINA)
        report.stage, report.outcome = stage, outcome

    clue(Stage.CHECKING)
    clue(Stage.CLOSED, "founded")
    clue(Stage.HANDLING, "founded")
    clue(Stage.CLOSED, "unfounded")
    clue(Stage.DECLINED)
    clue(Stage.TRANSFERRED)
    clue(Stage.CHECKING, year=LAST_YEAR - 1)
    db.commit()
    counts = supervisor_year(db, supervisor, LAST_YEAR, "zh").clues
    assert (counts.filed, counts.open, counts.founded, counts.unfounded) == (6, 1, 2, 1)
    assert (counts.declined, counts.elsewhere) == (1, 1)


def test_the_year_counts_the_opinions_given_and_answered_on_time(
    db: Session, supervisor: Any, make_staff: Any
) -> None:
    officer = make_staff("approver", region_code="640104")
    office = get_region_by_code(db, "640104")
    answered = send_opinion(db, author=supervisor, office=office, subject="一", text="建议一")
    add_message(db, answered, actor=officer, body="已采纳。")
    send_opinion(db, author=supervisor, office=office, subject="二", text="建议二")
    db.commit()
    counts = supervisor_year(db, supervisor, TODAY.year, "zh").opinions
    assert (counts.given, counts.answered, counts.answered_on_time) == (2, 1, 1)


def test_the_year_counts_the_inspections_joined_and_their_accounts(
    db: Session, supervisor: Any, make_staff: Any
) -> None:
    office = make_staff("investigator", region_code="640100")
    day = TODAY + timedelta(days=10)
    inspection = announce_inspection(
        db,
        InspectionFields(
            kind=InspectionKind.FLYING,
            inspection_date=day,
            inspected_region=get_region_by_code(db, "640104"),
            places=2,
            summary="检查定点医院住院病历。",
            instructions="九点集合。",
        ),
        office=get_region_by_code(db, "640100"),
        actor=office,
    )
    signup = sign_up(db, inspection, actor=supervisor)
    confirm_participant(db, inspection, signup.id, actor=office)
    file_account(db, inspection, text="查看了病历。", actor=supervisor, today=day)
    db.commit()
    counts = supervisor_year(db, supervisor, day.year, "zh").inspections
    assert (counts.joined, counts.accounts_filed) == (1, 1)


def test_the_page_shows_no_fact_or_case_number_of_a_clue(
    db: Session, supervisor: Any, make_report: Any, login_as: Any, admin: Any
) -> None:
    report, receipt = make_report(
        source="supervisor", filed_by_staff_id=supervisor.id, facts="标记文字XYZ"
    )
    report.received_at = datetime(LAST_YEAR, 6, 1, tzinfo=CHINA)
    db.commit()
    page = login_as(admin).get(f"/staff/admin/appraisals/{supervisor.id}/{LAST_YEAR}")
    text = page.get_data(as_text=True)
    assert receipt.case_number not in text and "XYZ" not in text and "某某医院" not in text


def test_an_administrator_records_a_result(
    login_as: Any, admin: Any, supervisor: Any, db: Session
) -> None:
    assert _post(login_as(admin), supervisor).status_code == 303
    recorded = db.scalar(select(SupervisorAppraisal))
    assert (recorded.year, recorded.result) == (LAST_YEAR, AppraisalResult.COMPETENT)


def test_a_result_is_audited(db: Session, supervisor: Any, admin: Any) -> None:
    _record(db, supervisor, admin)
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "supervisor.appraised"))


def test_one_result_per_supervisor_and_year(db: Session, supervisor: Any, admin: Any) -> None:
    _record(db, supervisor, admin)
    with pytest.raises(AppraisalError) as refused:
        _record(db, supervisor, admin, result=AppraisalResult.EXCELLENT)
    assert refused.value.code == "appraisal_exists"


def test_a_second_result_posted_is_refused_and_the_first_kept(
    login_as: Any, admin: Any, supervisor: Any, db: Session
) -> None:
    client = login_as(admin)
    _post(client, supervisor)
    response = _post(client, supervisor, result="not_competent")
    assert response.status_code in (409, 422)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(SupervisorAppraisal)) == 1
    assert db.scalar(select(SupervisorAppraisal.result)) is AppraisalResult.COMPETENT


def test_the_next_year_gets_its_own_result(db: Session, make_staff: Any, admin: Any) -> None:
    user = make_staff("social_supervisor", region_code="640104", **TERM)
    _record(db, user, admin, year=LAST_YEAR - 1)
    _record(db, user, admin)
    assert db.scalar(select(func.count()).select_from(SupervisorAppraisal)) == 2


def test_a_year_not_over_is_not_appraised(db: Session, supervisor: Any, admin: Any) -> None:
    with pytest.raises(AppraisalError) as refused:
        _record(db, supervisor, admin, year=TODAY.year)
    assert refused.value.code == "appraisal_year_open"


def test_a_year_the_term_did_not_run_is_not_appraised(
    db: Session, supervisor: Any, admin: Any
) -> None:
    with pytest.raises(AppraisalError) as refused:
        _record(db, supervisor, admin, year=LAST_YEAR - 2)
    assert refused.value.code == "appraisal_not_served"


def test_nobody_appraises_themselves(db: Session, make_staff: Any) -> None:
    both = make_staff("administrator", "social_supervisor", region_code="640100", **TERM)
    with pytest.raises(AppraisalError) as refused:
        _record(db, both, both)
    assert refused.value.code == "self_change"


def test_not_competent_ends_the_term_today(db: Session, supervisor: Any, admin: Any) -> None:
    _record(db, supervisor, admin, result=AppraisalResult.NOT_COMPETENT)
    assert supervisor.term_end < TODAY
    hasher = password_hasher()
    assert authenticate(db, supervisor.username, STAFF_PASSWORD, hasher, TODAY) is None


def test_not_competent_ends_the_supervisors_sessions(
    db: Session, supervisor: Any, admin: Any, login_as: Any
) -> None:
    signed_in = login_as(supervisor)
    _record(db, supervisor, admin, result=AppraisalResult.NOT_COMPETENT)
    db.commit()
    assert db.scalar(select(StaffSession).where(StaffSession.user_id == supervisor.id)) is None
    assert signed_in.get("/staff/clues/").status_code == 302


def test_not_competent_takes_the_supervisor_off_the_roster(
    db: Session, supervisor: Any, admin: Any, client: FlaskClient
) -> None:
    assert supervisor.display_name in client.get("/supervisors").get_data(as_text=True)
    _record(db, supervisor, admin, result=AppraisalResult.NOT_COMPETENT)
    db.commit()
    assert supervisor.display_name not in client.get("/supervisors").get_data(as_text=True)


def test_a_renewal_moves_the_end_of_the_term(db: Session, supervisor: Any, admin: Any) -> None:
    until = date(TODAY.year + 3, 12, 31)
    _record(db, supervisor, admin, result=AppraisalResult.EXCELLENT, renew_until=until)
    assert supervisor.term_end == until


def test_a_renewal_that_ends_sooner_than_the_term_is_refused(
    db: Session, supervisor: Any, admin: Any
) -> None:
    with pytest.raises(AppraisalError) as refused:
        _record(db, supervisor, admin, renew_until=TODAY + timedelta(days=10))
    assert refused.value.code == "appraisal_renewal_end"


def test_not_competent_cannot_be_renewed(db: Session, supervisor: Any, admin: Any) -> None:
    with pytest.raises(AppraisalError) as refused:
        _record(
            db,
            supervisor,
            admin,
            result=AppraisalResult.NOT_COMPETENT,
            renew_until=date(TODAY.year + 3, 12, 31),
        )
    assert refused.value.code == "appraisal_no_renewal"


def test_a_renewal_for_not_competent_is_refused_on_its_field_and_kept(
    login_as: Any, admin: Any, supervisor: Any
) -> None:
    response = _post(
        login_as(admin),
        supervisor,
        result="not_competent",
        note="未履行职责。",
        renew_until=f"{TODAY.year + 3}-12-31",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="renew_until-error"' in page and "未履行职责。" in page


def test_a_result_without_a_note_is_refused_on_its_field(
    login_as: Any, admin: Any, supervisor: Any
) -> None:
    response = _post(login_as(admin), supervisor, note="  ")
    assert response.status_code == 422
    assert 'id="note-error"' in response.get_data(as_text=True)


def test_a_recorded_result_is_shown_without_a_form(
    db: Session, login_as: Any, admin: Any, supervisor: Any
) -> None:
    _record(db, supervisor, admin, note="表现突出")
    db.commit()
    page = login_as(admin).get(f"/staff/admin/appraisals/{supervisor.id}/{LAST_YEAR}")
    text = page.get_data(as_text=True)
    assert "表现突出" in text and 'id="appraisal-form"' not in text
