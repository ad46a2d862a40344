"""The transition table and each operation of the lifecycle (docs/domain.md §3)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.events import event_note
from intake.models import Report, ReportEvent, Stage
from intake.office import acceptance, handling
from intake.office import workflow as wf
from intake.office.classification import classify_report
from intake.timers import run_deadlines
from portal.audit import AuditEntry, verify_chain
from portal.jurisdictions.models import get_region_by_code
from portal.security import data_cipher
from portal.timeutil import today_in_china

ALL_STAGES = list(Stage)


@pytest.fixture
def staff(make_staff: Any) -> dict[str, Any]:
    """One officer of each case role in 银川市 (640100)."""
    return {
        "intake": make_staff("intake_officer"),
        "investigator": make_staff("investigator"),
        "approver": make_staff("approver"),
        "reward": make_staff("reward_officer"),
    }


def _at_stage(db: Session, report: Report, stage: Stage) -> Report:
    report.stage = stage
    db.commit()
    return report


OPERATIONS = {
    "accept": lambda db, r, s: acceptance.accept_report(
        db, r, actor=s["intake"], reason="", cipher=data_cipher()
    ),
    "decline": lambda db, r, s: acceptance.decline_report(
        db, r, actor=s["intake"], ground="not_reportable", reason="无", cipher=data_cipher()
    ),
    "transfer_out": lambda db, r, s: acceptance.transfer_report(
        db,
        r,
        actor=s["intake"],
        body="police",
        sent="函件 1 号",
        sent_on=date(2026, 11, 1),
        reference="移字 1 号",
        cipher=data_cipher(),
    ),
    "record_findings": lambda db, r, s: handling.record_findings(
        db, r, actor=s["investigator"], findings="调取了病历", cipher=data_cipher()
    ),
    "open_case": lambda db, r, s: handling.open_case(
        db, r, actor=s["investigator"], reason="", cipher=data_cipher()
    ),
    "close_unfounded": lambda db, r, s: handling.close_unfounded(
        db, r, actor=s["investigator"], reason="查无实据", cipher=data_cipher()
    ),
    "record_handling": lambda db, r, s: handling.record_handling(
        db,
        r,
        actor=s["approver"],
        recovered=Decimal("1000"),
        fine=None,
        measures=["recover"],
        decision="追回",
        cipher=data_cipher(),
    ),
    "send_feedback": lambda db, r, s: handling.send_feedback(
        db, r, actor=s["intake"], feedback="已处理", cipher=data_cipher()
    ),
    "extend": lambda db, r, s: acceptance.extend_deadline(
        db, r, actor=s["approver"], reason="案情复杂", cipher=data_cipher()
    ),
    "classify": lambda db, r, s: classify_report(
        db, r, actor=s["approver"], violation_codes=["fake_visits"], note="", cipher=data_cipher()
    ),
}


@pytest.mark.parametrize("stage", ALL_STAGES, ids=[s.value for s in ALL_STAGES])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_an_operation_runs_only_from_the_stages_of_the_table(
    operation: str, stage: Stage, db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    if stage is Stage.HANDLING:
        report.handle_due_on = today_in_china() + timedelta(days=90)
    _at_stage(db, report, stage)
    allowed = stage in wf.TRANSITIONS[operation].sources
    if allowed:
        OPERATIONS[operation](db, report, staff)
        targets = wf.TRANSITIONS[operation].targets
        assert report.stage in targets if targets else report.stage is stage
    else:
        with pytest.raises(wf.WorkflowError):
            OPERATIONS[operation](db, report, staff)


@pytest.mark.parametrize(
    "operation", ["accept", "decline", "open_case", "record_handling", "extend", "classify"]
)
def test_an_operation_is_refused_to_roles_not_in_the_table(
    operation: str, db: Session, make_report: Any, make_staff: Any
) -> None:
    publisher = make_staff("publisher")
    report, _ = make_report()
    with pytest.raises(wf.WorkflowError) as info:
        OPERATIONS[operation](
            db, report, {k: publisher for k in ("intake", "investigator", "approver")}
        )
    assert info.value.code in {"role", "stage"}


def test_declining_needs_one_of_the_six_grounds(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    with pytest.raises(wf.WorkflowError, match="ground"):
        acceptance.decline_report(
            db, report, actor=staff["intake"], ground="dislike", reason="x", cipher=data_cipher()
        )


def test_a_transfer_records_the_body_and_tells_the_reporter_where(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    OPERATIONS["transfer_out"](db, report, staff)
    event = report.events[-1]
    assert (event.kind, event.is_public, event.detail) == ("transferred", True, "police")
    assert "函件 1 号" in event_note(event, report.case_number, data_cipher())


def test_accepting_a_real_name_report_owes_a_notice_in_five_working_days(
    db: Session, make_report: Any, staff: dict[str, Any], identity: Any, recovery_private_key: bytes
) -> None:
    report, _ = make_report(identity=identity)
    OPERATIONS["accept"](db, report, staff)
    assert report.notice_due_on is not None
    assert report.notice_due_on > today_in_china()


def test_accepting_an_anonymous_report_owes_no_notice(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    OPERATIONS["accept"](db, report, staff)
    assert report.notice_due_on is None


def test_recording_the_notice_clears_the_task(
    db: Session, make_report: Any, staff: dict[str, Any], identity: Any, recovery_private_key: bytes
) -> None:
    report, _ = make_report(identity=identity)
    OPERATIONS["accept"](db, report, staff)
    acceptance.record_notice(
        db, report, actor=staff["intake"], how="电话告知", cipher=data_cipher()
    )
    assert report.notice_due_on is None and report.notice_sent_at is not None


def test_opening_a_case_sets_handling_due_in_ninety_calendar_days(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    OPERATIONS["accept"](db, report, staff)
    OPERATIONS["open_case"](db, report, staff)
    assert report.handle_due_on == today_in_china() + timedelta(days=90)
    assert report.due_on == report.handle_due_on


def test_the_acceptance_deadline_extends_once_by_fifteen_working_days(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    from intake.calendar.deadlines import add_working_days

    report, _ = make_report()
    before = report.accept_due_on
    OPERATIONS["extend"](db, report, staff)
    assert report.accept_due_on == add_working_days(db, before, 15).due
    with pytest.raises(wf.WorkflowError, match="already_extended"):
        OPERATIONS["extend"](db, report, staff)


def test_an_extension_needs_a_reason(db: Session, make_report: Any, staff: dict[str, Any]) -> None:
    report, _ = make_report()
    with pytest.raises(wf.WorkflowError, match="reason"):
        acceptance.extend_deadline(
            db, report, actor=staff["approver"], reason=" ", cipher=data_cipher()
        )


def test_feedback_closes_a_report_that_wants_no_reward(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    for op in ("accept", "open_case", "record_handling", "send_feedback"):
        OPERATIONS[op](db, report, staff)
    assert report.stage is Stage.CLOSED


def test_feedback_leads_to_the_reward_stage_when_a_reward_is_wanted(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(wants_reward=True)
    for op in ("accept", "open_case", "record_handling", "send_feedback"):
        OPERATIONS[op](db, report, staff)
    assert report.stage is Stage.REWARD


def test_an_unfounded_report_gets_feedback_and_no_reward(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(wants_reward=True)
    for op in ("accept", "close_unfounded", "send_feedback"):
        OPERATIONS[op](db, report, staff)
    assert report.stage is Stage.CLOSED


def test_the_handling_decision_needs_a_known_measure(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    OPERATIONS["accept"](db, report, staff)
    OPERATIONS["open_case"](db, report, staff)
    with pytest.raises(wf.WorkflowError, match="decision"):
        handling.record_handling(
            db,
            report,
            actor=staff["approver"],
            recovered=None,
            fine=None,
            measures=["jail"],
            decision="x",
            cipher=data_cipher(),
        )


def test_merging_keeps_the_report_filed_first_whatever_the_order(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    first, _ = make_report()
    second, _ = make_report()
    kept = acceptance.merge_reports(
        db, second, first, actor=staff["intake"], reason="同一线索", cipher=data_cipher()
    )
    assert kept.id == first.id
    assert second.merged_into_id == first.id and second.stage is Stage.CLOSED


def test_a_merged_duplicate_cannot_be_acted_on(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    first, _ = make_report()
    second, _ = make_report()
    acceptance.merge_reports(
        db, first, second, actor=staff["intake"], reason="同一线索", cipher=data_cipher()
    )
    assert wf.allowed_operations(second, staff["intake"]) == []


def test_moving_down_to_a_county_of_the_officer_is_allowed(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(region_code="640104")
    county = get_region_by_code(db, "640106")
    acceptance.move_report(
        db, report, actor=staff["intake"], region=county, reason="属地管辖", cipher=data_cipher()
    )
    assert report.region.code == "640106"


def test_moving_outside_the_officers_tree_is_refused(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(region_code="640104")
    with pytest.raises(wf.WorkflowError, match="region"):
        acceptance.move_report(
            db,
            report,
            actor=staff["intake"],
            region=get_region_by_code(db, "110105"),
            reason="x",
            cipher=data_cipher(),
        )


def test_assigning_to_an_officer_of_another_region_is_refused(
    db: Session, make_report: Any, staff: dict[str, Any], make_staff: Any
) -> None:
    report, _ = make_report()
    beijing = make_staff("investigator", region_code="110000")
    with pytest.raises(wf.WorkflowError, match="assignee"):
        acceptance.assign_report(
            db, report, actor=staff["intake"], assignee=beijing, cipher=data_cipher()
        )


def test_every_operation_appends_an_event_and_an_audit_entry(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    OPERATIONS["accept"](db, report, staff)
    db.commit()
    assert report.events[-1].actor_staff_id == staff["intake"].id
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "report.accepted")) is not None
    assert verify_chain(db) is None


def test_internal_events_stay_off_the_reporters_timeline(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    from intake.tracking.queries import reporter_view

    report, _ = make_report()
    OPERATIONS["accept"](db, report, staff)
    OPERATIONS["record_findings"](db, report, staff)
    kinds = [e.kind for e in reporter_view(db, report, data_cipher()).timeline]
    assert "accepted" in kinds and "findings_recorded" not in kinds


def test_a_stale_page_cannot_overwrite_newer_work(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    seen = report.version
    OPERATIONS["accept"](db, report, staff)
    db.commit()
    with pytest.raises(wf.WorkflowError, match="stale"):
        handling.record_findings(
            db,
            report,
            actor=staff["investigator"],
            findings="x",
            cipher=data_cipher(),
            expected_version=seen,
        )


def test_run_deadlines_marks_overdue_reports_once(db: Session, make_report: Any) -> None:
    report, _ = make_report()
    later = report.due_on + timedelta(days=1)
    assert run_deadlines(db, later).newly_overdue == 1
    assert run_deadlines(db, later).newly_overdue == 0
    assert [e.kind for e in report.events].count("overdue") == 1


def test_run_deadlines_leaves_reports_not_yet_due(db: Session, make_report: Any) -> None:
    make_report()
    assert run_deadlines(db, today_in_china()).newly_overdue == 0


def test_two_officers_accepting_at_once_leave_exactly_one_winner(
    app: Any, make_report: Any, staff: dict[str, Any], fresh: Any
) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    report, _ = make_report()
    first, second = fresh(), fresh()
    a = first.get(Report, report.id)
    b = second.get(Report, report.id)
    with app.app_context():
        acceptance.accept_report(
            first, a, actor=first.merge(staff["intake"]), reason="", cipher=data_cipher()
        )
        first.commit()
        with pytest.raises((StaleDataError, wf.WorkflowError)):
            acceptance.accept_report(
                second, b, actor=second.merge(staff["intake"]), reason="", cipher=data_cipher()
            )
            second.commit()
    check = fresh()
    accepted = check.scalars(
        select(ReportEvent).where(
            ReportEvent.report_id == report.id, ReportEvent.kind == "accepted"
        )
    ).all()
    assert len(accepted) == 1


def test_an_operation_on_a_report_of_another_office_looks_like_a_missing_report(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    report, _ = make_report(region_code="640104")
    elsewhere = make_staff("intake_officer", region_code="110000")
    with pytest.raises(wf.WorkflowError, match="not_found"):
        acceptance.accept_report(db, report, actor=elsewhere, reason="", cipher=data_cipher())


def test_merging_into_a_report_of_another_office_looks_like_a_missing_report(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    theirs, _ = make_report(region_code="110101")
    ours, _ = make_report(region_code="640104")
    officer = make_staff("intake_officer", region_code="640100")
    with pytest.raises(wf.WorkflowError, match="not_found"):
        acceptance.merge_reports(
            db, ours, theirs, actor=officer, reason="同一线索", cipher=data_cipher()
        )


def test_a_reward_on_a_report_of_another_office_looks_like_a_missing_report(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    from intake.rewards.lifecycle import Exclusions, propose_reward

    report, _ = make_report(region_code="640104")
    elsewhere = make_staff("reward_officer", region_code="110000")
    with pytest.raises(wf.WorkflowError, match="not_found"):
        propose_reward(
            db,
            report,
            actor=elsewhere,
            case_value=Decimal("1000"),
            fixed_amount=None,
            exclusions=Exclusions(False, False, False),
            note="",
            cipher=data_cipher(),
        )


def test_the_queues_partial_index_holds_exactly_the_active_stages() -> None:
    from intake.models import ACTIVE_STAGES_SQL

    named = set(re.findall(r"'([a-z_]+)'", ACTIVE_STAGES_SQL))
    assert named == {stage.value for stage in wf.ACTIVE}
