"""Ratings and reviews on /track and on the staff pages (docs/domain.md §11)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.models import Report, Stage
from intake.review.operations import request_review
from intake.review.queries import get_rating, get_review, reviews_due_url
from portal.security import data_cipher
from portal.timeutil import today_in_china
from tests.conftest import handle_to_feedback

COUNTY = "640104"


@pytest.fixture
def handled(db: Session, make_report: Any, make_staff: Any) -> dict[str, Any]:
    """A county report closed after its feedback, its receipt, and an approver of the city."""
    people = {
        "intake": make_staff("intake_officer", region_code=COUNTY),
        "investigator": make_staff("investigator", region_code=COUNTY),
        "approver": make_staff("approver", region_code=COUNTY),
    }
    report, receipt = make_report()
    handle_to_feedback(db, report, **people)
    db.commit()
    return {
        "report": report,
        "receipt": receipt,
        "city": make_staff("approver", region_code="640100"),
        **people,
    }


def _signed_in(client: Any, receipt: Any) -> Any:
    client.post(
        "/track", data={"case_number": receipt.case_number, "access_code": receipt.access_code}
    )
    return client


def _asked(db: Session, report: Report) -> None:
    request_review(db, report, reason="处理太轻", cipher=data_cipher(), today=today_in_china())
    db.commit()


def test_track_asks_for_a_rating_only_after_the_feedback(client: Any, make_report: Any) -> None:
    _, receipt = make_report()
    html = _signed_in(client, receipt).get("/track").get_data(as_text=True)
    assert 'id="rating-form"' not in html and 'id="review-form"' not in html


def test_track_offers_the_three_answers_and_a_review_after_the_feedback(
    client: Any, handled: dict[str, Any]
) -> None:
    html = _signed_in(client, handled["receipt"]).get("/track").get_data(as_text=True)
    assert 'id="rating-form"' in html and 'id="review-form"' in html
    assert "满意" in html and "基本满意" in html and "不满意" in html


def test_a_rating_is_saved_from_track(db: Session, client: Any, handled: dict[str, Any]) -> None:
    _signed_in(client, handled["receipt"])
    resp = client.post(
        "/track/rating", data={"satisfaction": "not_satisfied", "comment": "罚得太轻"}
    )
    assert resp.status_code == 303
    html = client.get("/track").get_data(as_text=True)
    assert 'data-satisfaction="not_satisfied"' in html and "罚得太轻" in html
    rating = get_rating(db, handled["report"])
    assert rating is not None and rating.satisfaction.value == "not_satisfied"


def test_a_rating_without_a_choice_is_refused_keeping_the_comment(
    client: Any, handled: dict[str, Any]
) -> None:
    _signed_in(client, handled["receipt"])
    resp = client.post("/track/rating", data={"comment": "留下的话"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "请选择三个选项之一" in html and "留下的话" in html


def test_a_review_is_asked_from_track_and_shown_with_its_deadline(
    db: Session, client: Any, handled: dict[str, Any]
) -> None:
    _signed_in(client, handled["receipt"])
    assert client.post("/track/review", data={"reason": "未追回全部金额"}).status_code == 303
    html = client.get("/track").get_data(as_text=True)
    assert 'id="review-due"' in html and 'data-status="requested"' in html
    assert "未追回全部金额" in html and 'id="review-form"' not in html
    assert get_review(db, handled["report"]) is not None


def test_a_review_without_a_reason_is_refused(client: Any, handled: dict[str, Any]) -> None:
    _signed_in(client, handled["receipt"])
    resp = client.post("/track/review", data={"reason": ""})
    assert resp.status_code == 422 and 'id="review-form"' in resp.get_data(as_text=True)


def test_a_second_review_request_is_refused_with_its_reason(
    db: Session, client: Any, handled: dict[str, Any]
) -> None:
    _asked(db, handled["report"])
    _signed_in(client, handled["receipt"])
    resp = client.post("/track/review", data={"reason": "再次申请"})
    assert resp.status_code == 409 and "已经申请过复查" in resp.get_data(as_text=True)


def test_track_says_why_a_province_report_has_no_review(
    db: Session, client: Any, make_report: Any, make_staff: Any
) -> None:
    people = {
        "intake": make_staff("intake_officer", region_code="640000"),
        "investigator": make_staff("investigator", region_code="640000"),
        "approver": make_staff("approver", region_code="640000"),
    }
    report, receipt = make_report(region_code="640000")
    handle_to_feedback(db, report, **people)
    db.commit()
    html = _signed_in(client, receipt).get("/track").get_data(as_text=True)
    assert 'data-reason="review_none"' in html and "没有上一级" in html


def test_track_posts_need_the_reporters_session(client: Any) -> None:
    assert client.post("/track/rating", data={"satisfaction": "satisfied"}).status_code == 401
    assert client.post("/track/review", data={"reason": "x"}).status_code == 401


def test_the_queue_of_the_office_above_lists_the_review_with_its_deadline(
    db: Session, login_as: Any, handled: dict[str, Any]
) -> None:
    _asked(db, handled["report"])
    with login_as(handled["city"]).application.test_request_context():
        path = reviews_due_url()
    html = login_as(handled["city"]).get(path).get_data(as_text=True)
    assert handled["report"].case_number in html and 'class="review-due"' in html


def test_the_reviews_filter_leaves_out_reports_without_a_pending_review(
    login_as: Any, handled: dict[str, Any]
) -> None:
    html = login_as(handled["city"]).get("/staff/queue?review=y").get_data(as_text=True)
    assert handled["report"].case_number not in html


def test_the_office_above_answers_send_back_from_the_report_page(
    db: Session, login_as: Any, handled: dict[str, Any]
) -> None:
    report = handled["report"]
    _asked(db, report)
    client = login_as(handled["city"])
    page = client.get(f"/staff/reports/{report.case_number}").get_data(as_text=True)
    assert 'id="op-send_back_review"' in page and 'id="staff-review-due"' in page
    resp = client.post(
        f"/staff/reports/{report.case_number}/op/send_back_review",
        data={"send_back_review-reason": "请补充核查", "send_back_review-version": report.version},
    )
    assert resp.status_code == 303
    db.refresh(report)
    assert report.stage is Stage.HANDLING


def test_the_handling_office_is_not_offered_the_answer(
    db: Session, login_as: Any, handled: dict[str, Any]
) -> None:
    report = handled["report"]
    _asked(db, report)
    page = login_as(handled["approver"]).get(f"/staff/reports/{report.case_number}")
    assert 'id="op-uphold_review"' not in page.get_data(as_text=True)
    resp = login_as(handled["approver"]).post(
        f"/staff/reports/{report.case_number}/op/uphold_review",
        data={"uphold_review-reason": "维持", "uphold_review-version": report.version},
    )
    assert resp.status_code == 409


def test_the_url_of_reviews_due_can_be_absolute_for_a_message(app: Any) -> None:
    with app.test_request_context():
        assert reviews_due_url(external=True).endswith("/staff/?review=y")


def test_a_review_past_its_answer_deadline_is_marked_overdue_in_the_queue(
    db: Session, login_as: Any, handled: dict[str, Any]
) -> None:
    report = handled["report"]
    request_review(
        db,
        report,
        reason="处理太轻",
        cipher=data_cipher(),
        today=today_in_china() - timedelta(days=31),
    )
    db.commit()
    html = login_as(handled["city"]).get("/staff/queue?review=y").get_data(as_text=True)
    assert 'class="review-due due-overdue"' in html


def test_a_contact_left_with_a_review_request_is_told_of_the_answer(
    db: Session, client: Any, handled: dict[str, Any]
) -> None:
    from sqlalchemy import select

    from intake.review.operations import uphold_review
    from portal.notices.models import Notice
    from portal.notices.outbox import open_notice

    report = handled["report"]
    assert report.stage is Stage.CLOSED
    _signed_in(client, handled["receipt"])
    resp = client.post("/track/review", data={"reason": "处理太轻", "contact": "138 0013 8000"})
    assert resp.status_code == 303
    db.expire_all()
    uphold_review(db, report, actor=handled["city"], reason="处理得当", cipher=data_cipher())
    db.commit()
    notices = db.scalars(select(Notice).where(Notice.source == f"report:{report.id}")).all()
    assert [open_notice(n, data_cipher()).recipient for n in notices] == ["13800138000"]


def test_a_review_request_with_a_contact_that_is_not_one_keeps_what_was_typed(
    client: Any, handled: dict[str, Any]
) -> None:
    _signed_in(client, handled["receipt"])
    resp = client.post("/track/review", data={"reason": "处理太轻", "contact": "not a phone"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'value="not a phone"' in html and "处理太轻" in html


def test_only_the_office_that_answers_is_shown_the_reviews_to_answer(
    db: Session, login_as: Any, make_staff: Any, handled: dict[str, Any]
) -> None:
    _asked(db, handled["report"])
    approver = login_as(handled["city"]).get("/staff/").get_data(as_text=True)
    assert 'id="reviews-due"' in approver
    officer = login_as(make_staff("investigator", region_code="640100"))
    assert 'id="reviews-due"' not in officer.get("/staff/").get_data(as_text=True)
