"""Transfers out followed up: reference, receipt, outcome, and when one is due (docs/domain.md §12)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report
from intake.office import acceptance
from intake.office.queue import QueueFilters, list_queue
from intake.office.workflow import WorkflowError
from intake.transfers.operations import (
    outcome_due,
    record_transfer_outcome,
    record_transfer_receipt,
)
from intake.transfers.queries import get_transfer, transfers_due_count, transfers_due_path
from portal.audit import AuditEntry
from portal.security import data_cipher


def _transfer(db: Session, report: Report, officer: Any, sent_on: date) -> None:
    acceptance.transfer_report(
        db,
        report,
        actor=officer,
        body="police",
        sent="线索材料一套",
        sent_on=sent_on,
        reference="银医保移〔2026〕7号",
        cipher=data_cipher(),
    )
    db.commit()


@pytest.fixture
def officer(make_staff: Any) -> Any:
    """An intake officer of the city, who sends and follows up transfers."""
    return make_staff("intake_officer")


@pytest.mark.parametrize(
    ("sent_on", "due_on"),
    [
        # Across the National Day holiday: calendar days, the holiday is not skipped.
        (date(2026, 9, 20), date(2026, 10, 20)),
        # Across the Spring Festival and a month's end.
        (date(2026, 2, 1), date(2026, 3, 3)),
        # Across a year's end.
        (date(2026, 12, 15), date(2027, 1, 14)),
    ],
)
def test_a_transfer_is_due_thirty_calendar_days_after_it_was_sent(
    app: Any, sent_on: date, due_on: date
) -> None:
    with app.app_context():
        assert outcome_due(sent_on) == due_on


def test_the_transfer_keeps_its_body_date_and_reference(
    db: Session, make_report: Any, officer: Any
) -> None:
    report, _ = make_report()
    _transfer(db, report, officer, date(2026, 9, 20))
    transfer = get_transfer(db, report)
    assert transfer is not None
    assert (transfer.body, transfer.sent_on, transfer.reference) == (
        "police",
        date(2026, 9, 20),
        "银医保移〔2026〕7号",
    )


def test_a_transfer_without_an_outcome_becomes_due_on_the_thirtieth_day(
    db: Session, make_report: Any, officer: Any
) -> None:
    report, _ = make_report()
    _transfer(db, report, officer, date(2026, 9, 20))
    assert transfers_due_count(db, officer, date(2026, 10, 19)) == 0
    assert transfers_due_count(db, officer, date(2026, 10, 20)) == 1


def test_a_transfer_with_its_outcome_is_no_longer_due(
    db: Session, make_report: Any, officer: Any
) -> None:
    report, _ = make_report()
    _transfer(db, report, officer, date(2026, 9, 20))
    record_transfer_outcome(
        db,
        report,
        actor=officer,
        outcome="case_opened",
        outcome_on=date(2026, 10, 25),
        note="公安已立案",
        cipher=data_cipher(),
    )
    assert transfers_due_count(db, officer, date(2026, 11, 1)) == 0


def test_transfers_due_are_counted_within_the_jurisdiction_and_for_intake_officers(
    db: Session, make_report: Any, officer: Any, make_staff: Any
) -> None:
    report, _ = make_report(region_code="640104")
    _transfer(db, report, officer, date(2026, 9, 20))
    later = date(2026, 11, 1)
    assert transfers_due_count(db, make_staff("intake_officer", region_code="640105"), later) == 0
    assert transfers_due_count(db, make_staff("approver"), later) == 0
    assert transfers_due_count(db, make_staff("intake_officer", region_code="640000"), later) == 1


def test_the_queue_filter_lists_the_transfers_due(
    db: Session, make_report: Any, officer: Any
) -> None:
    due, _ = make_report()
    recent, _ = make_report()
    _transfer(db, due, officer, date(2026, 9, 1))
    _transfer(db, recent, officer, date(2026, 10, 15))
    page = list_queue(
        db, officer, QueueFilters(transfers_due=True), today=date(2026, 10, 20), due_soon_days=3
    )
    assert [r.case_number for r in page.reports] == [due.case_number]
    assert page.transfers_due_count == 1


def test_the_queue_url_of_transfers_due_is_the_filtered_queue(app: Any) -> None:
    with app.app_context():
        assert transfers_due_path() == "/staff/?transfers_due=y"


def test_receipt_and_outcome_are_audited_and_recorded_once(
    db: Session, make_report: Any, officer: Any
) -> None:
    report, _ = make_report()
    _transfer(db, report, officer, date(2026, 9, 20))
    record_transfer_receipt(
        db, report, actor=officer, received_on=date(2026, 9, 22), note="", cipher=data_cipher()
    )
    with pytest.raises(WorkflowError, match="exists"):
        record_transfer_receipt(
            db, report, actor=officer, received_on=date(2026, 9, 23), note="", cipher=data_cipher()
        )
    actions = set(db.scalars(select(AuditEntry.action)))
    assert "report.transfer_received" in actions


def test_an_answer_dated_before_the_transfer_is_refused(
    db: Session, make_report: Any, officer: Any
) -> None:
    report, _ = make_report()
    _transfer(db, report, officer, date(2026, 9, 20))
    with pytest.raises(WorkflowError, match="transfer_date"):
        record_transfer_outcome(
            db,
            report,
            actor=officer,
            outcome="handled",
            outcome_on=date(2026, 9, 1),
            note="",
            cipher=data_cipher(),
        )


def test_the_reporter_sees_the_body_and_the_outcome_but_not_the_reference_or_note(
    app: Any, db: Session, make_report: Any, officer: Any, login_as: Any
) -> None:
    report, receipt = make_report()
    _transfer(db, report, officer, date(2026, 9, 20))
    staff = login_as(officer)
    response = staff.post(
        f"/staff/reports/{report.case_number}/op/record_transfer_outcome",
        data={
            "record_transfer_outcome-outcome": "case_opened",
            "record_transfer_outcome-outcome_on": "2026-10-25",
            "record_transfer_outcome-reason": "内部备注：经侦支队承办",
        },
    )
    assert response.status_code == 303
    reporter = app.test_client()
    reporter.post(
        "/track",
        data={"case_number": receipt.case_number, "access_code": receipt.access_code},
    )
    page = reporter.get("/track").text
    assert "公安机关" in page
    assert "接收机关已立案" in page
    assert "经侦支队" not in page
    assert "银医保移" not in page
