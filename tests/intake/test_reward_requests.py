"""Asking for a reward after filing without asking (intake/rewards/requests.py, docs/domain.md §4)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.models import Stage
from intake.office.workflow import WorkflowError
from intake.rewards.requests import request_reward
from tests.conftest import handle_to_feedback


def sign_in(client: Any, receipt: Any) -> None:
    client.post(
        "/track", data={"case_number": receipt.case_number, "access_code": receipt.access_code}
    )


@pytest.fixture
def people(make_staff: Any) -> dict[str, Any]:
    return {
        "intake": make_staff("intake_officer"),
        "investigator": make_staff("investigator"),
        "approver": make_staff("approver"),
    }


def test_an_anonymous_reporter_who_asks_later_reaches_the_reward_stage(
    db: Session, make_report: Any, people: dict[str, Any]
) -> None:
    report, _ = make_report()
    request_reward(db, report)
    handle_to_feedback(db, report, **people)
    assert report.stage is Stage.REWARD


def test_without_asking_the_report_closes_after_feedback(
    db: Session, make_report: Any, people: dict[str, Any]
) -> None:
    report, _ = make_report()
    handle_to_feedback(db, report, **people)
    assert report.stage is Stage.CLOSED


def test_asking_after_feedback_is_refused(
    db: Session, make_report: Any, people: dict[str, Any]
) -> None:
    report, _ = make_report()
    handle_to_feedback(db, report, **people)
    with pytest.raises(WorkflowError) as refused:
        request_reward(db, report)
    assert refused.value.code == "stage"


def test_asking_twice_is_refused(db: Session, make_report: Any) -> None:
    report, _ = make_report()
    request_reward(db, report)
    with pytest.raises(WorkflowError):
        request_reward(db, report)


def test_the_request_is_a_public_event_of_the_report(db: Session, make_report: Any) -> None:
    report, _ = make_report()
    request_reward(db, report)
    assert [(e.kind, e.is_public) for e in report.events][-1] == ("reward_requested", True)


def test_track_offers_the_request_and_records_it(client: Any, make_report: Any) -> None:
    report, receipt = make_report()
    sign_in(client, receipt)
    assert 'id="reward-request"' in client.get("/track").get_data(as_text=True)
    resp = client.post("/track/reward-request", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="reward-request"' not in html
    assert "您申请了奖励" in html or "reward_requested" in html


def test_track_does_not_offer_the_request_to_who_already_asked(
    client: Any, make_report: Any
) -> None:
    _, receipt = make_report(wants_reward=True)
    sign_in(client, receipt)
    assert 'id="reward-request"' not in client.get("/track").get_data(as_text=True)
