"""Opinions and replies between supervisors and offices (docs/domain.md §14): the deadline, who
writes in a thread, who sees it, on time or late, the queue's line and the digest's."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.digest import make_digests
from intake.opinions import operations
from intake.opinions.models import Opinion, Side
from intake.opinions.operations import AlreadySent, OpinionError, add_message, send_opinion
from intake.opinions.queries import (
    count_opinion_replies,
    get_opinion_for,
    office_choices,
    opinion_counts_of,
    opinion_state,
)
from portal.audit import AuditEntry
from portal.jurisdictions.models import get_region_by_code
from portal.notices.models import Notice
from portal.notices.outbox import open_notice
from portal.security import data_cipher
from portal.timeutil import CHINA, today_in_china

TERM = {"term_start": date(2020, 1, 1), "term_end": date(2099, 1, 1)}


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PUBLIC_URL": "https://ybjg.example.gov.cn"}


@pytest.fixture
def people(make_staff: Any) -> dict[str, Any]:
    """A county supervisor and another, the city's office, and staff elsewhere."""
    return {
        "supervisor": make_staff("social_supervisor", region_code="640104", **TERM),
        "other_supervisor": make_staff("social_supervisor", region_code="640104", **TERM),
        "city_intake": make_staff("intake_officer", region_code="640100"),
        "city_approver": make_staff("approver", region_code="640100"),
        "city_investigator": make_staff("investigator", region_code="640100"),
        "province_intake": make_staff("intake_officer", region_code="640000"),
        "county_intake": make_staff("intake_officer", region_code="640104"),
        "beijing_intake": make_staff("intake_officer", region_code="110000"),
    }


def _send(db: Session, people: dict[str, Any], office: str = "640100", **fields: Any) -> Opinion:
    opinion = send_opinion(
        db,
        author=fields.pop("author", people["supervisor"]),
        office=get_region_by_code(db, office),
        subject=fields.pop("subject", "药店公告"),
        text=fields.pop("text", "建议在定点药店张贴举报奖励公告。"),
        submission_key=fields.pop("submission_key", ""),
    )
    db.commit()
    return opinion


def _arriving_on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    moment = datetime.combine(day, time(10), CHINA).astimezone(UTC)
    monkeypatch.setattr(operations, "utcnow", lambda: moment)


# The deadline (docs/domain.md §14, counted as in §13).


def test_a_reply_is_due_fifteen_working_days_after_arrival(
    db: Session, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _arriving_on(monkeypatch, date(2026, 3, 2))
    opinion = _send(db, people)
    assert opinion.reply_due_on == date(2026, 3, 23)
    assert opinion.reply_due_estimated is False


@pytest.mark.parametrize("app_config", [{"OPINION_REPLY_DAYS": 5}])
def test_the_reply_days_are_a_setting(
    db: Session, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _arriving_on(monkeypatch, date(2026, 3, 2))
    assert _send(db, people).reply_due_on == date(2026, 3, 9)


def test_a_deadline_in_a_year_the_calendar_does_not_cover_is_estimated(
    db: Session, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _arriving_on(monkeypatch, date(2027, 3, 1))
    assert _send(db, people).reply_due_estimated is True


# Where an opinion may go, and who writes in its thread.


def test_a_supervisor_writes_to_their_own_office_or_one_above(people: dict[str, Any]) -> None:
    codes = [r.code for r in office_choices(people["supervisor"])]
    assert codes == ["640000", "640100", "640104"]


@pytest.mark.parametrize("office", ["640106", "110000"])
def test_an_opinion_to_an_office_beside_or_elsewhere_is_refused(
    db: Session, people: dict[str, Any], office: str
) -> None:
    with pytest.raises(OpinionError) as refused:
        _send(db, people, office=office)
    assert refused.value.code == "opinion_office"


def test_only_a_supervisor_sends_an_opinion(db: Session, people: dict[str, Any]) -> None:
    with pytest.raises(OpinionError) as refused:
        _send(db, people, author=people["city_intake"])
    assert refused.value.code == "role"


def test_the_offices_first_message_answers_the_opinion(db: Session, people: dict[str, Any]) -> None:
    opinion = _send(db, people)
    add_message(db, opinion, actor=people["city_intake"], body="已收到，正在研究。")
    assert opinion.answered_at is not None
    assert opinion.answered_by_staff_id == people["city_intake"].id


def test_a_later_office_message_leaves_the_answer_where_it_was(
    db: Session, people: dict[str, Any]
) -> None:
    opinion = _send(db, people)
    add_message(db, opinion, actor=people["city_intake"], body="已收到。")
    first = opinion.answered_at
    add_message(db, opinion, actor=people["city_approver"], body="补充答复。")
    assert opinion.answered_at == first
    assert opinion.answered_by_staff_id == people["city_intake"].id


def test_the_supervisor_cannot_write_again_before_the_reply(
    db: Session, people: dict[str, Any]
) -> None:
    opinion = _send(db, people)
    with pytest.raises(OpinionError) as refused:
        add_message(db, opinion, actor=people["supervisor"], body="请尽快答复。")
    assert refused.value.code == "opinion_awaits_reply"


def test_the_supervisor_writes_again_after_the_reply(db: Session, people: dict[str, Any]) -> None:
    opinion = _send(db, people)
    add_message(db, opinion, actor=people["city_intake"], body="已收到。")
    message = add_message(db, opinion, actor=people["supervisor"], body="谢谢，请告知进展。")
    assert message.side is Side.SUPERVISOR


@pytest.mark.parametrize("who", ["city_intake", "city_approver", "province_intake"])
def test_the_office_and_those_above_it_reply(db: Session, people: dict[str, Any], who: str) -> None:
    opinion = _send(db, people)
    assert add_message(db, opinion, actor=people[who], body="答复。").side is Side.OFFICE


@pytest.mark.parametrize(
    "who", ["county_intake", "beijing_intake", "city_investigator", "other_supervisor"]
)
def test_no_one_else_writes_in_the_thread(db: Session, people: dict[str, Any], who: str) -> None:
    opinion = _send(db, people)
    with pytest.raises(OpinionError) as refused:
        add_message(db, opinion, actor=people[who], body="答复。")
    assert refused.value.code == "not_found"


@pytest.mark.parametrize(
    "who", ["county_intake", "beijing_intake", "city_investigator", "other_supervisor"]
)
def test_no_one_else_reads_the_thread(db: Session, people: dict[str, Any], who: str) -> None:
    opinion = _send(db, people)
    assert get_opinion_for(db, opinion.id, people[who]) is None


# On time or late (docs/domain.md §14).


def _answer_on(db: Session, opinion: Opinion, people: dict[str, Any], day: date) -> None:
    add_message(db, opinion, actor=people["city_intake"], body="答复。")
    opinion.answered_at = datetime.combine(day, time(16), CHINA).astimezone(UTC)
    db.commit()


def test_a_reply_on_the_last_day_is_on_time(db: Session, people: dict[str, Any]) -> None:
    opinion = _send(db, people)
    _answer_on(db, opinion, people, opinion.reply_due_on)
    assert opinion_state(opinion, today_in_china()) == "on_time"


def test_a_reply_after_the_last_day_is_late(db: Session, people: dict[str, Any]) -> None:
    opinion = _send(db, people)
    _answer_on(db, opinion, people, opinion.reply_due_on + timedelta(days=1))
    assert opinion_state(opinion, today_in_china()) == "late"


def test_an_opinion_unanswered_after_its_last_day_is_overdue(
    db: Session, people: dict[str, Any]
) -> None:
    opinion = _send(db, people)
    assert opinion_state(opinion, opinion.reply_due_on) == "open"
    assert opinion_state(opinion, opinion.reply_due_on + timedelta(days=1)) == "overdue"


# Audit (docs/domain.md §14: everything audited).


def test_sending_and_answering_are_audited_without_the_text(
    db: Session, people: dict[str, Any]
) -> None:
    opinion = _send(db, people, text="秘密的建议内容")
    add_message(db, opinion, actor=people["city_intake"], body="秘密的答复内容")
    add_message(db, opinion, actor=people["supervisor"], body="秘密的追问内容")
    db.commit()
    entries = list(
        db.scalars(select(AuditEntry).where(AuditEntry.subject == f"opinion:{opinion.id}"))
    )
    assert [e.action for e in entries] == ["opinion.sent", "opinion.answered", "opinion.message"]
    assert json.loads(entries[1].details_json) == {"side": "office", "state": "on_time"}
    assert not any("秘密" in e.details_json for e in entries)


# Pages: the supervisor's side.


def _overdue(db: Session, opinion: Opinion) -> Opinion:
    opinion.reply_due_on = today_in_china() - timedelta(days=1)
    db.commit()
    return opinion


def test_a_supervisor_sends_an_opinion_from_the_form(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    client = login_as(people["supervisor"])
    response = client.post(
        "/staff/opinions/new",
        data={"office": "640100", "subject": "报销流程", "text": "建议简化门诊报销流程。"},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "建议简化门诊报销流程。" in page
    assert 'data-state="open"' in page
    assert 'id="awaiting-reply"' in page


def test_the_same_form_sent_twice_files_one_opinion(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    client = login_as(people["supervisor"])
    form = {"office": "640100", "subject": "报销", "text": "建议。", "submission_key": "k-1"}
    first = client.post("/staff/opinions/new", data=form)
    second = client.post("/staff/opinions/new", data=form)
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert db.scalar(select(func.count()).select_from(Opinion)) == 1


def test_a_second_send_with_the_same_key_names_the_first_opinion(
    db: Session, people: dict[str, Any]
) -> None:
    first = _send(db, people, submission_key="k-1")
    with pytest.raises(AlreadySent) as sent:
        _send(db, people, submission_key="k-1")
    assert sent.value.opinion_id == first.id


def test_the_form_offers_only_the_offices_a_supervisor_may_write_to(
    people: dict[str, Any], login_as: Any
) -> None:
    page = login_as(people["supervisor"]).get("/staff/opinions/new").get_data(as_text=True)
    offered = page.split('name="office"')[1].split("</select>")[0]
    assert 'value="640100"' in offered
    assert 'value="640106"' not in offered


def test_a_refused_opinion_keeps_what_was_typed(people: dict[str, Any], login_as: Any) -> None:
    response = login_as(people["supervisor"]).post(
        "/staff/opinions/new",
        data={"office": "640100", "subject": "长" * 121, "text": "我写了很久的建议"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "我写了很久的建议" in page
    assert "长" * 121 in page


def test_an_opinion_to_an_office_not_offered_is_refused_on_its_field(
    people: dict[str, Any], login_as: Any
) -> None:
    response = login_as(people["supervisor"]).post(
        "/staff/opinions/new", data={"office": "640106", "subject": "主题", "text": "内容"}
    )
    assert response.status_code == 422
    assert 'id="office-error"' in response.get_data(as_text=True)


def test_a_supervisor_lists_only_their_own_opinions(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    _send(db, people, subject="我的意见")
    _send(db, people, author=people["other_supervisor"], subject="别人的意见")
    page = login_as(people["supervisor"]).get("/staff/opinions/").get_data(as_text=True)
    assert "我的意见" in page
    assert "别人的意见" not in page


@pytest.mark.parametrize("who", ["other_supervisor", "county_intake", "beijing_intake"])
def test_a_thread_one_may_not_read_looks_like_a_missing_one(
    db: Session, people: dict[str, Any], login_as: Any, who: str
) -> None:
    opinion = _send(db, people)
    client = login_as(people[who])
    hidden = client.get(f"/staff/opinions/{opinion.id}")
    missing = client.get(f"/staff/opinions/{opinion.id + 1000}")
    assert hidden.status_code == missing.status_code == 404

    # The pages differ only by the address asked for (the language switch links back to it).
    def page(response: Any, opinion_id: int) -> str:
        return response.get_data(as_text=True).replace(f"opinions/{opinion_id}", "opinions/N")

    assert page(hidden, opinion.id) == page(missing, opinion.id + 1000)


def test_a_message_to_a_thread_one_may_not_read_answers_404(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    opinion = _send(db, people)
    response = login_as(people["other_supervisor"]).post(
        f"/staff/opinions/{opinion.id}/messages", data={"body": "插话"}
    )
    assert response.status_code == 404


# Pages: the office's side.


def test_the_office_lists_opinions_awaiting_a_reply_first_overdue_marked(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    answered = _send(db, people, subject="已答复的")
    add_message(db, answered, actor=people["city_intake"], body="答复。")
    db.commit()
    _overdue(db, _send(db, people, subject="逾期的"))
    page = login_as(people["city_intake"]).get("/staff/opinions/office").get_data(as_text=True)
    assert page.index("逾期的") < page.index("已答复的")
    row = page.split("逾期的")[1].split("</tr>")[0]
    assert 'data-state="overdue"' in row


def test_the_office_list_narrows_to_overdue_replies(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    _send(db, people, subject="未到期的")
    _overdue(db, _send(db, people, subject="逾期的"))
    client = login_as(people["city_intake"])
    page = client.get("/staff/opinions/office?overdue=y").get_data(as_text=True)
    assert "逾期的" in page
    assert "未到期的" not in page


def test_an_office_elsewhere_does_not_list_the_opinion(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    _send(db, people, subject="银川的意见")
    page = login_as(people["beijing_intake"]).get("/staff/opinions/office").get_data(as_text=True)
    assert "银川的意见" not in page


def test_a_late_reply_from_the_page_shows_late_to_the_supervisor(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    opinion = _overdue(db, _send(db, people))
    office = login_as(people["city_approver"])
    response = office.post(f"/staff/opinions/{opinion.id}/messages", data={"body": "迟复为歉。"})
    assert response.status_code == 303
    page = login_as(people["supervisor"]).get(f"/staff/opinions/{opinion.id}")
    text = page.get_data(as_text=True)
    assert "迟复为歉。" in text
    assert 'data-state="late"' in text
    assert 'id="message-form"' in text


def test_an_empty_reply_is_refused_on_its_field(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    opinion = _send(db, people)
    response = login_as(people["city_intake"]).post(
        f"/staff/opinions/{opinion.id}/messages", data={"body": "  "}
    )
    assert response.status_code == 422
    assert 'id="body-error"' in response.get_data(as_text=True)


def test_a_supervisors_early_message_is_refused_with_what_was_typed(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    opinion = _send(db, people)
    # The form is not offered before the reply; a post sent anyway is refused, text kept.
    response = login_as(people["supervisor"]).post(
        f"/staff/opinions/{opinion.id}/messages", data={"body": "还没答复吗"}
    )
    assert response.status_code == 409
    assert "还没答复吗" in response.get_data(as_text=True)


# The queue's line and the digest's (docs/domain.md §14, §10).


def _queue_count(page: str) -> str:
    return page.split('id="opinions-overdue-count">')[1].split("<")[0]


def test_the_queue_counts_overdue_opinions_for_those_who_answer(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    _overdue(db, _send(db, people))
    _send(db, people)
    page = login_as(people["city_intake"]).get("/staff/queue").get_data(as_text=True)
    assert _queue_count(page) == "1"
    assert "/staff/opinions/office?overdue=y" in page


def test_the_queue_of_an_investigator_has_no_opinion_line(
    db: Session, people: dict[str, Any], login_as: Any
) -> None:
    _overdue(db, _send(db, people))
    page = login_as(people["city_investigator"]).get("/staff/queue").get_data(as_text=True)
    assert 'id="opinions-overdue"' not in page


def test_an_overdue_opinion_appears_in_the_digest_of_the_office(
    db: Session, people: dict[str, Any], make_staff: Any
) -> None:
    _overdue(db, _send(db, people, subject="不该出现在摘要里的主题"))
    make_staff("approver", region_code="640100", email="city@example.gov.cn")
    make_digests(db, datetime(2026, 12, 2, 0, 30, tzinfo=UTC))
    notices = list(db.scalars(select(Notice).where(Notice.kind == "staff_digest")))
    opened = open_notice(notices[0], data_cipher())
    assert "Opinions of supervisors overdue for a reply: 1" in opened.body
    assert "https://ybjg.example.gov.cn/staff/opinions/office?overdue=y" in opened.body
    assert "不该出现在摘要里的主题" not in opened.subject + opened.body


def test_a_supervisor_gets_no_digest_line_for_their_overdue_opinion(
    db: Session, make_staff: Any, people: dict[str, Any]
) -> None:
    from intake.digest.items import digest_items
    from intake.digest.sending import digest_lines

    _overdue(db, _send(db, people))
    lines = digest_lines(db, people["supervisor"], digest_items())
    assert lines == []


# What other parts read (docs/domain.md §14, §15).


def test_count_opinion_replies_counts_arrivals_and_first_replies_per_office(
    db: Session, people: dict[str, Any]
) -> None:
    on_time = _send(db, people)
    _answer_on(db, on_time, people, on_time.reply_due_on)
    late = _send(db, people)
    _answer_on(db, late, people, late.reply_due_on + timedelta(days=1))
    _send(db, people, office="640104")
    start = datetime.combine(today_in_china() - timedelta(days=1), time(), CHINA)
    end = datetime.combine(today_in_china() + timedelta(days=60), time(), CHINA)
    city, county = get_region_by_code(db, "640100"), get_region_by_code(db, "640104")
    assert sorted(count_opinion_replies(db, start, end)) == sorted(
        [(city.id, 2, 2, 1), (county.id, 1, 0, 0)]
    )


def test_a_reply_is_counted_in_the_period_it_was_given(db: Session, people: dict[str, Any]) -> None:
    opinion = _send(db, people)
    _answer_on(db, opinion, people, today_in_china() + timedelta(days=40))
    start = datetime.combine(today_in_china() - timedelta(days=1), time(), CHINA)
    end = datetime.combine(today_in_china() + timedelta(days=30), time(), CHINA)
    city = get_region_by_code(db, "640100")
    assert count_opinion_replies(db, start, end) == [(city.id, 1, 0, 0)]


def test_opinion_counts_of_counts_one_supervisors_year(db: Session, people: dict[str, Any]) -> None:
    on_time = _send(db, people)
    _answer_on(db, on_time, people, on_time.reply_due_on)
    late = _send(db, people)
    _answer_on(db, late, people, late.reply_due_on + timedelta(days=1))
    _send(db, people)
    _send(db, people, author=people["other_supervisor"])
    year = today_in_china().year
    counts = opinion_counts_of(db, people["supervisor"].id, year)
    assert (counts.given, counts.answered, counts.answered_on_time) == (3, 2, 1)
    assert opinion_counts_of(db, people["supervisor"].id, year - 1).given == 0
