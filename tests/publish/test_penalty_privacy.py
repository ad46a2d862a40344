"""Nothing of the report a decision came from reaches any public answer about it (docs/domain.md §7, §9)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.office import acceptance, handling
from intake.tracking.operations import add_reporter_reply
from portal.security import data_cipher
from publish.penalties.operations import publish_penalty
from tests.penalty_factories import make_institution, recorded

MARKER = "MARKER-7f3a9c-举报人写的"


@pytest.fixture
def from_report(db: Session, make_staff: Any, make_report: Any) -> tuple[Any, str]:
    """A decision recorded from a report carrying the marker everywhere a reporter or officer writes."""
    make_institution(db)
    report, receipt = make_report(
        region_code="640104",
        party_name=f"{MARKER}医院",
        party_details=MARKER,
        facts=f"该院挂床住院。{MARKER}",
        how_known=MARKER,
        amount=Decimal("300000"),
    )
    add_reporter_reply(db, report, MARKER, [], data_cipher())
    intake, investigator, approver = (
        make_staff("intake_officer"),
        make_staff("investigator"),
        make_staff("approver"),
    )
    cipher = data_cipher()
    acceptance.accept_report(db, report, actor=intake, reason=MARKER, cipher=cipher)
    handling.send_message(db, report, actor=intake, body=MARKER, cipher=cipher)
    handling.open_case(db, report, actor=investigator, reason=MARKER, cipher=cipher)
    handling.record_handling(
        db,
        report,
        actor=approver,
        recovered=Decimal("300000"),
        fine=Decimal("600000"),
        measures=["recover", "fine"],
        decision=MARKER,
        cipher=cipher,
    )
    db.commit()
    penalty = recorded(db, approver, report_case_number=receipt.case_number, summary=MARKER)
    publish_penalty(db, penalty, actor=make_staff("publisher"))
    db.commit()
    assert penalty.report_id == report.id
    return penalty, receipt.case_number


def _public_answers(client: Any, penalty_id: int) -> dict[str, str]:
    paths = [
        "/",
        "/penalties",
        "/penalties?region=640104&article=40&kind=hospital",
        f"/penalties/{penalty_id}",
        "/penalties.csv",
        "/penalties.json",
        "/feeds/penalties.rss",
        "/feeds/penalties.atom",
        "/feeds/regions/640104/penalties.rss",
        "/api/v1/penalties",
        f"/api/v1/penalties/{penalty_id}",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        answers[path] = response.get_data(as_text=True)
    return answers


def test_no_public_answer_carries_the_reports_marker_or_case_number(
    client: Any, from_report: tuple[Any, str]
) -> None:
    penalty, case_number = from_report
    answers = _public_answers(client, penalty.id)
    assert "银医保罚〔2026〕1号" in answers[f"/penalties/{penalty.id}"]  # the entry is there
    for path, body in answers.items():
        assert MARKER not in body, path
        assert case_number not in body, path


def test_no_public_record_names_the_report(client: Any, from_report: tuple[Any, str]) -> None:
    penalty, _ = from_report
    record = client.get(f"/api/v1/penalties/{penalty.id}").get_json()
    assert not {key for key in record if "report" in key or "case" in key or key == "summary"}
