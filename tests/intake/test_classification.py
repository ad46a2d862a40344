"""Case staff set or correct a report's legal violation types (docs/domain.md §2, §6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.events import event_note
from intake.filing.situations import UNSURE
from intake.models import Report, Stage
from intake.office import acceptance, handling
from intake.office.classification import classify_report
from intake.office.workflow import WorkflowError, allowed_operations
from portal.audit import AuditEntry
from portal.security import data_cipher
from publish.cases.operations import draft_from_report


@pytest.fixture
def unsure(make_report: Any) -> Report:
    """A report whose reporter was not sure what kind of violation it was."""
    report, _ = make_report(violation_codes=[], situation=UNSURE)
    return report


def _classify(db: Session, report: Report, actor: Any, codes: list[str], **kw: Any) -> None:
    classify_report(
        db, report, violation_codes=codes, actor=actor, note="", cipher=data_cipher(), **kw
    )


def _decide(db: Session, report: Report, approver: Any) -> None:
    handling.record_handling(
        db,
        report,
        actor=approver,
        recovered=Decimal("1000"),
        fine=None,
        measures=["recover"],
        decision="追回",
        cipher=data_cipher(),
    )


def _post(client: Any, report: Report, codes: list[str], note: str = "") -> Any:
    return client.post(
        f"/staff/reports/{report.case_number}/op/classify",
        data={
            "classify-violation_types": codes,
            "classify-reason": note,
            "classify-version": str(report.version),
        },
    )


def test_an_officer_sets_the_types_of_an_unsure_report(
    db: Session, unsure: Report, make_staff: Any
) -> None:
    _classify(db, unsure, make_staff("intake_officer"), ["nominal_bed", "fake_visits"])
    db.commit()
    db.expire_all()
    assert unsure.violation_codes == ["fake_visits", "nominal_bed"]


def test_setting_the_types_records_an_internal_event_with_before_and_after(
    db: Session, unsure: Report, make_staff: Any
) -> None:
    officer = make_staff("investigator")
    unsure.stage = Stage.CHECKING
    classify_report(
        db,
        unsure,
        violation_codes=["nominal_bed"],
        actor=officer,
        note="病历显示未在院",
        cipher=data_cipher(),
    )
    event = unsure.events[-1]
    assert (event.kind, event.detail, event.is_public) == ("violations_set", "→nominal_bed", False)
    assert event.actor_staff_id == officer.id
    assert event_note(event, unsure.case_number, data_cipher()) == "病历显示未在院"


def test_correcting_mapped_types_names_both_in_the_event_and_the_audit_log(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(violation_codes=["nominal_bed"], situation="paper_admission")
    _classify(db, report, make_staff("intake_officer"), ["split_admission"])
    assert report.events[-1].kind == "violations_corrected"
    assert report.events[-1].detail == "nominal_bed→split_admission"
    [entry] = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "report.violations_corrected")
    )
    assert entry.subject == f"report:{report.case_number}"


def test_classifying_with_no_type_is_refused(db: Session, unsure: Report, make_staff: Any) -> None:
    with pytest.raises(WorkflowError, match="no_violation_type"):
        _classify(db, unsure, make_staff("intake_officer"), [])


def test_a_type_outside_the_list_is_refused(db: Session, unsure: Report, make_staff: Any) -> None:
    with pytest.raises(WorkflowError, match="violation_unknown"):
        _classify(db, unsure, make_staff("intake_officer"), ["nominal_bed", "made_up"])


def test_the_same_types_again_are_refused_as_done(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(violation_codes=["nominal_bed"])
    with pytest.raises(WorkflowError, match="exists"):
        _classify(db, report, make_staff("intake_officer"), ["nominal_bed"])


@pytest.mark.parametrize(
    "stage",
    [Stage.FEEDBACK, Stage.REWARD, Stage.CLOSED, Stage.DECLINED, Stage.TRANSFERRED],
    ids=lambda s: s.value,
)
def test_a_report_past_its_handling_decision_cannot_be_classified(
    db: Session, unsure: Report, make_staff: Any, stage: Stage
) -> None:
    unsure.stage = stage
    with pytest.raises(WorkflowError, match="stage"):
        _classify(db, unsure, make_staff("approver"), ["nominal_bed"])


@pytest.mark.parametrize("role", ["reward_officer", "publisher", "social_supervisor"])
def test_only_case_staff_classify(db: Session, unsure: Report, make_staff: Any, role: str) -> None:
    with pytest.raises(WorkflowError, match="role"):
        _classify(db, unsure, make_staff(role), ["nominal_bed"])


def test_a_report_of_another_office_cannot_be_classified(
    db: Session, unsure: Report, make_staff: Any
) -> None:
    with pytest.raises(WorkflowError, match="not_found"):
        _classify(db, unsure, make_staff("intake_officer", region_code="640105"), ["nominal_bed"])


def test_a_page_drawn_before_a_classification_is_stale(
    db: Session, unsure: Report, make_staff: Any
) -> None:
    officer = make_staff("intake_officer")
    drawn = unsure.version
    _classify(db, unsure, officer, ["nominal_bed"], expected_version=drawn)
    db.commit()
    with pytest.raises(WorkflowError, match="stale"):
        _classify(db, unsure, officer, ["fake_visits"], expected_version=drawn)


def test_the_handling_decision_waits_for_the_types(
    db: Session, unsure: Report, make_staff: Any
) -> None:
    approver = make_staff("approver")
    unsure.stage = Stage.HANDLING
    assert "record_handling" not in allowed_operations(unsure, approver)
    with pytest.raises(WorkflowError, match="unclassified"):
        _decide(db, unsure, approver)
    _classify(db, unsure, approver, ["nominal_bed"])
    assert "record_handling" in allowed_operations(unsure, approver)


def test_a_case_drafted_from_a_classified_report_carries_its_types(
    db: Session, unsure: Report, make_staff: Any
) -> None:
    intake, investigator, approver = (
        make_staff(r) for r in ("intake_officer", "investigator", "approver")
    )
    c = data_cipher()
    acceptance.accept_report(db, unsure, actor=intake, reason="", cipher=c)
    _classify(db, unsure, investigator, ["nominal_bed", "fake_visits"])
    handling.open_case(db, unsure, actor=investigator, reason="", cipher=c)
    _decide(db, unsure, approver)
    handling.send_feedback(db, unsure, actor=intake, feedback="已追回", cipher=c)
    db.commit()
    case = draft_from_report(db, unsure.case_number, actor=make_staff("publisher"))
    assert case.violations == ["fake_visits", "nominal_bed"]


# --- through the report page ------------------------------------------------------------


def test_the_page_offers_the_unsure_report_for_classification(
    unsure: Report, make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff("intake_officer"))
    client.set_cookie("lang", "en")
    html = client.get(f"/staff/reports/{unsure.case_number}").get_data(as_text=True)
    assert '<details id="op-classify" open>' in html and "Set the violation types" in html
    assert 'name="classify-violation_types" value="nominal_bed" id="classify-nominal_bed">' in html


def test_the_form_starts_from_the_types_the_report_names(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    report, _ = make_report(violation_codes=["nominal_bed"])
    client = login_as(make_staff("intake_officer"))
    html = client.get(f"/staff/reports/{report.case_number}").get_data(as_text=True)
    assert 'value="nominal_bed" id="classify-nominal_bed" checked>' in html


def test_a_post_with_no_type_is_refused_with_a_message_and_keeps_the_note(
    unsure: Report, make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff("intake_officer"))
    client.set_cookie("lang", "en")
    response = _post(client, unsure, [], note="电话核实后再定")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose at least one violation type." in html and "电话核实后再定" in html


def test_classified_types_show_on_the_page_with_the_history_in_words(
    db: Session, unsure: Report, make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff("intake_officer"))
    client.set_cookie("lang", "en")
    assert _post(client, unsure, ["nominal_bed", "fake_visits"]).status_code == 303
    html = client.get(f"/staff/reports/{unsure.case_number}").get_data(as_text=True)
    assert "To be classified" not in html and "the types above were set by the office" in html
    assert "Violation types set by the office (Inducing or helping impersonated" in html
    assert "fake_visits" not in html.split('id="history-title"')[1].split("</section>")[0]


def test_the_queue_lists_reports_to_be_classified(
    db: Session, unsure: Report, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    typed, _ = make_report(violation_codes=["nominal_bed"])
    client = login_as(make_staff("intake_officer"))
    client.set_cookie("lang", "en")
    html = client.get("/staff/?violation=unclassified").get_data(as_text=True)
    assert unsure.case_number in html and typed.case_number not in html
    assert 'class="to-classify">to be classified</strong>' in html
