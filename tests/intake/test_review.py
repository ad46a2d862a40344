"""Rating the handling, asking for a review and answering it (intake/review/, docs/domain.md §11)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.models import Report, Stage
from intake.office import handling
from intake.office.workflow import WorkflowError, allowed_operations
from intake.review.models import Satisfaction
from intake.review.operations import (
    rate_handling,
    request_review,
    send_back_review,
    uphold_review,
)
from intake.review.queries import get_rating, get_review, review_panel, reviews_due_count
from intake.rewards.lifecycle import Exclusions, propose_reward
from portal.security import data_cipher
from portal.timeutil import CHINA, today_in_china
from tests.conftest import handle_to_feedback

COUNTY = "640104"  # the handling office; its level above is the city, 640100


@pytest.fixture
def people(make_staff: Any) -> dict[str, Any]:
    """Case staff of the county that handles the report, and approvers above and elsewhere."""
    return {
        "intake": make_staff("intake_officer", region_code=COUNTY),
        "investigator": make_staff("investigator", region_code=COUNTY),
        "approver": make_staff("approver", region_code=COUNTY),
        "city": make_staff("approver", region_code="640100"),
        "province": make_staff("approver", region_code="640000"),
        "city_intake": make_staff("intake_officer", region_code="640100"),
        "beijing": make_staff("approver", region_code="110000"),
    }


def _handled(db: Session, make_report: Any, people: dict[str, Any], **overrides: Any) -> Report:
    report, _ = make_report(**overrides)
    handle_to_feedback(
        db,
        report,
        intake=people["intake"],
        investigator=people["investigator"],
        approver=people["approver"],
    )
    db.flush()
    return report


@pytest.fixture
def closed(db: Session, make_report: Any, people: dict[str, Any]) -> Report:
    """A county report handled, told to its reporter and closed (no reward asked)."""
    report = _handled(db, make_report, people)
    assert report.stage is Stage.CLOSED
    return report


def _ask(
    db: Session, report: Report, *, today: date | None = None, reason: str = "处理太轻"
) -> Any:
    return request_review(
        db, report, reason=reason, cipher=data_cipher(), today=today or today_in_china()
    )


def _feedback_on(report: Report) -> date:
    assert report.feedback_sent_at is not None
    return report.feedback_sent_at.astimezone(CHINA).date()


# --- rating -----------------------------------------------------------------------------


def test_a_rating_waits_for_the_feedback(db: Session, make_report: Any) -> None:
    report, _ = make_report()
    with pytest.raises(WorkflowError) as refused:
        rate_handling(
            db, report, satisfaction=Satisfaction.SATISFIED, comment="", cipher=data_cipher()
        )
    assert refused.value.code == "no_feedback"


def test_a_rating_keeps_its_comment_encrypted(db: Session, closed: Report) -> None:
    rating = rate_handling(
        db, closed, satisfaction=Satisfaction.MOSTLY, comment="还算及时", cipher=data_cipher()
    )
    assert rating.comment_enc is not None and "还算及时".encode() not in rating.comment_enc
    panel = review_panel(db, closed, data_cipher(), today=today_in_china(), request_days=30)
    assert panel.rating is not None
    assert (panel.rating.satisfaction, panel.rating.comment) == (Satisfaction.MOSTLY, "还算及时")


def test_a_changed_rating_replaces_the_first_one(db: Session, closed: Report) -> None:
    first = rate_handling(
        db, closed, satisfaction=Satisfaction.SATISFIED, comment="好", cipher=data_cipher()
    )
    second = rate_handling(
        db, closed, satisfaction=Satisfaction.NOT_SATISFIED, comment="", cipher=data_cipher()
    )
    assert second.id == first.id
    rating = get_rating(db, closed)
    assert rating is not None and rating.satisfaction is Satisfaction.NOT_SATISFIED
    assert rating.comment_enc is None


def test_a_rating_cannot_change_once_a_review_is_asked(db: Session, closed: Report) -> None:
    rate_handling(
        db, closed, satisfaction=Satisfaction.NOT_SATISFIED, comment="", cipher=data_cipher()
    )
    _ask(db, closed)
    with pytest.raises(WorkflowError) as refused:
        rate_handling(
            db, closed, satisfaction=Satisfaction.SATISFIED, comment="", cipher=data_cipher()
        )
    assert refused.value.code == "rating_locked"


# --- asking for a review ----------------------------------------------------------------


def test_a_review_names_the_office_above_and_its_deadline(db: Session, closed: Report) -> None:
    today = today_in_china()
    review = _ask(db, closed, today=today)
    assert review.reviewer_region.code == "640100"
    assert review.due_on == today + timedelta(days=30)


def test_the_request_is_a_public_event_with_nothing_of_the_reason(
    db: Session, closed: Report
) -> None:
    _ask(db, closed)
    event = closed.events[-1]
    assert (event.kind, event.is_public, event.note_enc) == ("review_requested", True, None)


def test_the_reason_is_kept_encrypted(db: Session, closed: Report) -> None:
    review = _ask(db, closed, reason="罚款太少")
    assert "罚款太少".encode() not in review.reason_enc
    panel = review_panel(db, closed, data_cipher(), today=today_in_china(), request_days=30)
    assert panel.review is not None and panel.review.reason == "罚款太少"


def test_a_review_may_be_asked_on_the_thirtieth_day_after_the_feedback(
    db: Session, closed: Report
) -> None:
    _ask(db, closed, today=_feedback_on(closed) + timedelta(days=30))
    assert get_review(db, closed) is not None


def test_the_review_period_closes_thirty_days_after_the_feedback(
    db: Session, closed: Report
) -> None:
    with pytest.raises(WorkflowError) as refused:
        _ask(db, closed, today=_feedback_on(closed) + timedelta(days=31))
    assert refused.value.code == "review_closed"


def test_a_review_needs_a_reason(db: Session, closed: Report) -> None:
    with pytest.raises(WorkflowError) as refused:
        _ask(db, closed, reason="  ")
    assert refused.value.code == "reason"


def test_a_review_waits_for_the_feedback(db: Session, make_report: Any) -> None:
    report, _ = make_report()
    with pytest.raises(WorkflowError) as refused:
        _ask(db, report)
    assert refused.value.code == "no_feedback"


def test_only_one_review_is_asked_per_report(db: Session, closed: Report) -> None:
    _ask(db, closed)
    with pytest.raises(WorkflowError) as refused:
        _ask(db, closed)
    assert refused.value.code == "review_exists"


def test_a_report_of_the_province_itself_offers_no_review(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    province = {
        r: make_staff(role, region_code="640000")
        for r, role in (
            ("intake", "intake_officer"),
            ("investigator", "investigator"),
            ("approver", "approver"),
        )
    }
    report = _handled(db, make_report, province, region_code="640000")
    panel = review_panel(db, report, data_cipher(), today=today_in_china(), request_days=30)
    assert panel.offer == "review_none"
    with pytest.raises(WorkflowError) as refused:
        _ask(db, report)
    assert refused.value.code == "review_none"


# --- answering ----------------------------------------------------------------------------


def test_the_handling_office_cannot_answer_its_own_review(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    _ask(db, closed)
    assert "uphold_review" not in allowed_operations(closed, people["approver"])
    with pytest.raises(WorkflowError) as refused:
        uphold_review(db, closed, actor=people["approver"], reason="维持", cipher=data_cipher())
    assert refused.value.code == "review_own_office"


@pytest.mark.parametrize("who", ["city", "province"])
def test_an_approver_of_the_office_above_or_higher_may_answer(
    db: Session, closed: Report, people: dict[str, Any], who: str
) -> None:
    _ask(db, closed)
    offered = allowed_operations(closed, people[who])
    assert {"uphold_review", "send_back_review"} <= set(offered)


def test_an_office_of_another_tree_gets_not_found(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    _ask(db, closed)
    with pytest.raises(WorkflowError) as refused:
        uphold_review(db, closed, actor=people["beijing"], reason="维持", cipher=data_cipher())
    assert refused.value.code == "not_found"


def test_only_an_approver_answers_a_review(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    _ask(db, closed)
    with pytest.raises(WorkflowError) as refused:
        uphold_review(db, closed, actor=people["city_intake"], reason="维持", cipher=data_cipher())
    assert refused.value.code == "role"


def test_no_answer_without_a_review(db: Session, closed: Report, people: dict[str, Any]) -> None:
    with pytest.raises(WorkflowError) as refused:
        uphold_review(db, closed, actor=people["city"], reason="维持", cipher=data_cipher())
    assert refused.value.code == "no_review"


def test_an_answer_needs_a_reason(db: Session, closed: Report, people: dict[str, Any]) -> None:
    _ask(db, closed)
    with pytest.raises(WorkflowError) as refused:
        uphold_review(db, closed, actor=people["city"], reason=" ", cipher=data_cipher())
    assert refused.value.code == "reason"


def test_upholding_keeps_the_report_closed(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    closed_at = closed.closed_at
    _ask(db, closed)
    uphold_review(db, closed, actor=people["city"], reason="处理得当", cipher=data_cipher())
    assert (closed.stage, closed.closed_at) == (Stage.CLOSED, closed_at)
    assert [(e.kind, e.is_public) for e in closed.events][-1] == ("review_upheld", True)
    panel = review_panel(db, closed, data_cipher(), today=today_in_china(), request_days=30)
    assert panel.review is not None and panel.review.answer == "处理得当"


def test_a_review_is_answered_once(db: Session, closed: Report, people: dict[str, Any]) -> None:
    _ask(db, closed)
    uphold_review(db, closed, actor=people["city"], reason="处理得当", cipher=data_cipher())
    with pytest.raises(WorkflowError) as refused:
        send_back_review(db, closed, actor=people["province"], reason="再查", cipher=data_cipher())
    assert refused.value.code == "no_review"


def test_sending_back_reopens_handling_with_a_new_deadline(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    _ask(db, closed)
    send_back_review(db, closed, actor=people["city"], reason="补充核查", cipher=data_cipher())
    due = today_in_china() + timedelta(days=90)
    assert (closed.stage, closed.closed_at) == (Stage.HANDLING, None)
    assert (closed.handle_due_on, closed.due_on, closed.handle_extended) == (due, due, False)
    assert [(e.kind, e.is_public) for e in closed.events][-1] == ("review_sent_back", True)


def test_a_report_sent_back_is_handled_again_by_its_own_office(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    _ask(db, closed)
    send_back_review(db, closed, actor=people["city"], reason="补充核查", cipher=data_cipher())
    c = data_cipher()
    handling.record_handling(
        db,
        closed,
        actor=people["approver"],
        recovered=Decimal("3000"),
        fine=Decimal("500"),
        measures=["recover", "fine"],
        decision="追加罚款",
        cipher=c,
    )
    handling.send_feedback(db, closed, actor=people["intake"], feedback="已追加罚款", cipher=c)
    assert closed.stage is Stage.CLOSED and closed.closed_at is not None
    assert closed.fine_amount == Decimal("500")


def test_sending_back_is_refused_while_a_reward_is_in_play(
    db: Session, make_report: Any, make_staff: Any, people: dict[str, Any]
) -> None:
    report = _handled(db, make_report, people, wants_reward=True)
    assert report.stage is Stage.REWARD
    propose_reward(
        db,
        report,
        actor=make_staff("reward_officer", region_code=COUNTY),
        case_value=Decimal("1000"),
        fixed_amount=None,
        exclusions=Exclusions(False, False, False),
        note="",
        cipher=data_cipher(),
    )
    _ask(db, report)
    assert "send_back_review" not in allowed_operations(report, people["city"])
    with pytest.raises(WorkflowError) as refused:
        send_back_review(db, report, actor=people["city"], reason="再查", cipher=data_cipher())
    assert refused.value.code == "review_reward"


def test_a_report_awaiting_a_reward_proposal_may_be_sent_back(
    db: Session, make_report: Any, people: dict[str, Any]
) -> None:
    report = _handled(db, make_report, people, wants_reward=True)
    _ask(db, report)
    send_back_review(db, report, actor=people["city"], reason="再查", cipher=data_cipher())
    assert report.stage is Stage.HANDLING


# --- what awaits the reviewing office -------------------------------------------------------


def test_reviews_due_count_for_approvers_of_the_office_above_and_higher(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    _ask(db, closed)
    counts = {who: reviews_due_count(db, people[who]) for who in people}
    assert counts == {
        "intake": 0,
        "investigator": 0,
        "approver": 0,
        "city": 1,
        "province": 1,
        "city_intake": 0,
        "beijing": 0,
    }


def test_an_answered_review_is_no_longer_due(
    db: Session, closed: Report, people: dict[str, Any]
) -> None:
    _ask(db, closed)
    uphold_review(db, closed, actor=people["city"], reason="处理得当", cipher=data_cipher())
    assert reviews_due_count(db, people["city"]) == 0
