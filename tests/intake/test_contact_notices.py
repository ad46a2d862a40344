"""Telling the reporter there is news (docs/domain.md §10): when, what a notice says, and the
contact's destruction at closure."""

from __future__ import annotations

import base64
import gzip
import io
import logging
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.contact.models import ReportContact
from intake.contact.notices import NEWS_KINDS
from intake.contact.operations import set_contact
from intake.contact.reminders import remind_lapsing_rewards, reward_reminder_job
from intake.events import append_event
from intake.models import ActorKind, Report, ReportEvent, Stage
from intake.office import acceptance, handling
from intake.rewards.lifecycle import Exclusions, approve_reward, propose_reward
from intake.rewards.models import Reward
from intake.timers import run_deadlines
from intake.tracking.operations import add_reporter_reply
from portal.notices.models import Channel, Notice, NoticeStatus
from portal.notices.outbox import open_notice, wipe
from portal.ops.backup import write_backup
from portal.security import data_cipher
from tests.conftest import handle_to_feedback, report_form
from tests.intake.test_track import sign_in
from tests.portal.notice_servers import SmsGateway, SmtpServer, deliver

MOBILE = "13812345678"


def _notices(db: Session) -> list[Notice]:
    return list(db.scalars(select(Notice).order_by(Notice.id)))


def _news_events(report: Report) -> list[ReportEvent]:
    return [e for e in report.events if e.kind in NEWS_KINDS]


@pytest.fixture
def staff(make_staff: Any) -> dict[str, Any]:
    return {
        "intake": make_staff("intake_officer"),
        "investigator": make_staff("investigator"),
        "approver": make_staff("approver"),
        "reward": make_staff("reward_officer"),
    }


def _offer_reward(db: Session, report: Report, staff: dict[str, Any], note: str = "") -> Reward:
    propose_reward(
        db,
        report,
        actor=staff["reward"],
        case_value=Decimal("1500000"),
        fixed_amount=None,
        exclusions=Exclusions(False, False, False),
        note=note,
        cipher=data_cipher(),
    )
    return approve_reward(db, report, actor=staff["approver"])


def _accept(db: Session, r: Report, s: dict[str, Any]) -> None:
    acceptance.accept_report(db, r, actor=s["intake"], reason="受理", cipher=data_cipher())


def _decline(db: Session, r: Report, s: dict[str, Any]) -> None:
    acceptance.decline_report(
        db, r, actor=s["intake"], ground="not_reportable", reason="不属于", cipher=data_cipher()
    )


def _transfer(db: Session, r: Report, s: dict[str, Any]) -> None:
    acceptance.transfer_report(
        db,
        r,
        actor=s["intake"],
        body="police",
        sent="公函 1 号",
        sent_on=date(2026, 1, 5),
        reference="公函 1 号",
        cipher=data_cipher(),
    )


def _message(db: Session, r: Report, s: dict[str, Any]) -> None:
    _accept(db, r, s)
    handling.send_message(db, r, actor=s["intake"], body="请补充材料", cipher=data_cipher())


def _feedback(db: Session, r: Report, s: dict[str, Any]) -> None:
    handle_to_feedback(
        db, r, intake=s["intake"], investigator=s["investigator"], approver=s["approver"]
    )


def _reward(db: Session, r: Report, s: dict[str, Any]) -> None:
    _feedback(db, r, s)
    _offer_reward(db, r, s)


def _review(kind: str) -> Callable[[Session, Report, dict[str, Any]], None]:
    # The review answers are added by the review feature; the news rule already names them.
    def step(db: Session, r: Report, s: dict[str, Any]) -> None:
        append_event(db, r, kind, by=ActorKind.STAFF, staff=s["approver"], public=True)

    return step


NEWS_STEPS: dict[str, Callable[[Session, Report, dict[str, Any]], None]] = {
    "accepted": _accept,
    "declined": _decline,
    "transferred": _transfer,
    "message_sent": _message,
    "feedback_sent": _feedback,
    "reward_offered": _reward,
    "review_upheld": _review("review_upheld"),
    "review_sent_back": _review("review_sent_back"),
}


def test_every_kind_of_news_has_a_step_here() -> None:
    assert set(NEWS_STEPS) == NEWS_KINDS


@pytest.mark.parametrize("kind", sorted(NEWS_STEPS))
def test_each_news_event_enqueues_exactly_one_notice(
    db: Session, make_report: Any, staff: dict[str, Any], kind: str
) -> None:
    report, _ = make_report(wants_reward=True, contact=MOBILE)
    NEWS_STEPS[kind](db, report, staff)
    db.flush()
    event = next(e for e in reversed(report.events) if e.kind == kind)
    keyed = db.scalars(select(Notice).where(Notice.key == f"report-news:{event.id}")).all()
    assert len(keyed) == 1
    assert keyed[0].kind == "report_news" and keyed[0].source == f"report:{report.id}"
    # One notice per news event of the whole step, no more.
    assert len(_notices(db)) == len(_news_events(report))


def test_events_that_are_not_news_enqueue_nothing(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(contact=MOBILE)
    assert _notices(db) == []  # filing ("received") is not news
    _accept(db, report, staff)
    c = data_cipher()
    handling.record_findings(db, report, actor=staff["investigator"], findings="查", cipher=c)
    handling.open_case(db, report, actor=staff["investigator"], reason="立案", cipher=c)
    acceptance.extend_deadline(db, report, actor=staff["approver"], reason="复杂", cipher=c)
    add_reporter_reply(db, report, "补充", [], c)
    assert len(_notices(db)) == 1  # the acceptance only


def test_news_without_a_contact_enqueues_nothing(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    _accept(db, report, staff)
    assert _notices(db) == []


def test_a_notice_goes_by_the_contacts_channel_to_its_value(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(contact="Wang@Example.com")
    _accept(db, report, staff)
    [notice] = _notices(db)
    assert notice.channel is Channel.EMAIL
    assert open_notice(notice, data_cipher()).recipient == "Wang@example.com"


def test_a_notice_points_to_the_tracking_page_under_the_public_address(
    app: Flask, db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    app.config["PUBLIC_URL"] = "https://ybjg.example.gov.cn"
    report, _ = make_report(contact=MOBILE)
    _accept(db, report, staff)
    body = open_notice(_notices(db)[0], data_cipher()).body
    assert "https://ybjg.example.gov.cn/track" in body
    assert body.index("新消息") < body.index("news")  # Chinese first


def _delivered(app: Flask, contact: str) -> list[str]:
    """Deliver the outbox to real servers on loopback; return the texts they received."""
    smtp, gateway = SmtpServer(), SmsGateway(GATEWAY_SECRET)
    try:
        deliver(app, smtp=smtp, gateway=gateway)
    finally:
        smtp.stop()
        gateway.close()
    mails = [
        f"{m.message['Subject']}\n{m.message.get_body(('plain',)).get_content()}"  # type: ignore[union-attr]
        for m in smtp.messages
        if contact in m.recipients
    ]
    texts = [m["text"] for m in gateway.accepted if m["to"] == contact]
    return mails + texts


GATEWAY_SECRET = "g" * 40


@pytest.mark.parametrize("contact", [MOBILE, "reporter@example.com"])
def test_a_notice_says_nothing_of_the_report(
    app: Flask, db: Session, make_report: Any, staff: dict[str, Any], contact: str
) -> None:
    """Every field a reporter or officer fills carries a marker; the servers receive none."""
    markers = {name: f"MK{secrets.token_hex(6)}" for name in (
        "party", "details", "facts", "how_known", "reply", "accept", "message", "findings",
        "open", "decision", "feedback", "proposal",
    )}  # fmt: skip
    report, receipt = make_report(
        party_name=f"{markers['party']}医院",
        party_details=markers["details"],
        facts=f"事实{markers['facts']}，挂床住院。",
        how_known=markers["how_known"],
        amount=Decimal("987654.32"),
        wants_reward=True,
        contact=contact,
    )
    c = data_cipher()
    add_reporter_reply(db, report, markers["reply"], [], c)
    acceptance.accept_report(db, report, actor=staff["intake"], reason=markers["accept"], cipher=c)
    handling.send_message(db, report, actor=staff["intake"], body=markers["message"], cipher=c)
    handling.record_findings(
        db, report, actor=staff["investigator"], findings=markers["findings"], cipher=c
    )
    handling.open_case(db, report, actor=staff["investigator"], reason=markers["open"], cipher=c)
    handling.record_handling(
        db,
        report,
        actor=staff["approver"],
        recovered=Decimal("1500000"),
        fine=None,
        measures=["recover"],
        decision=markers["decision"],
        cipher=c,
    )
    handling.send_feedback(
        db, report, actor=staff["intake"], feedback=markers["feedback"], cipher=c
    )
    _offer_reward(db, report, staff, note=markers["proposal"])
    notices = _notices(db)
    assert [n.kind for n in notices] == ["report_news"] * 4  # accepted, message, feedback, offer
    forbidden = [
        *markers.values(),
        receipt.case_number,
        receipt.case_number.replace("-", ""),
        receipt.access_code,
        "医院",
        "987654",
        "1500000",
        "1,500,000",
        report.region.name_zh,
        # No stage either.
        *("受理", "核查", "处理", "反馈", "奖励", "accepted", "feedback", "reward"),
    ]
    db.commit()
    received = _delivered(app, contact)
    assert len(received) == 4
    for text in received:
        for secret in forbidden:
            assert secret not in text, secret
    # Every notice reads the same: the kind of news is not told either.
    assert len(set(received)) == 1


# Closure destroys the contact (docs/domain.md §10).


def _merge(db: Session, r: Report, s: dict[str, Any]) -> None:
    first = db.scalar(select(Report).where(Report.id != r.id))
    acceptance.merge_reports(
        db, first, r, actor=s["intake"], reason="同一线索", cipher=data_cipher()
    )


def _close_after_feedback(db: Session, r: Report, s: dict[str, Any]) -> None:
    handle_to_feedback(
        db, r, intake=s["intake"], investigator=s["investigator"], approver=s["approver"]
    )


def _close_after_reward(db: Session, r: Report, s: dict[str, Any]) -> None:
    r.wants_reward = True
    handle_to_feedback(
        db, r, intake=s["intake"], investigator=s["investigator"], approver=s["approver"]
    )
    handling.close_report(db, r, actor=s["approver"], reason="不予奖励", cipher=data_cipher())


CLOSINGS = {
    "declined": _decline,
    "transferred": _transfer,
    "merged": _merge,
    "closed_with_feedback": _close_after_feedback,
    "closed_after_the_reward_stage": _close_after_reward,
}


@pytest.mark.parametrize("closing", sorted(CLOSINGS))
def test_closing_the_report_deletes_its_contact(
    db: Session, make_report: Any, staff: dict[str, Any], closing: str
) -> None:
    make_report()  # the report a duplicate is merged into
    report, _ = make_report(contact=MOBILE)
    CLOSINGS[closing](db, report, staff)
    db.commit()
    assert report.stage in {Stage.CLOSED, Stage.DECLINED, Stage.TRANSFERRED}
    assert db.get(ReportContact, report.id) is None


def test_the_news_of_a_closure_is_still_delivered(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(contact=MOBILE)
    _decline(db, report, staff)
    [notice] = _notices(db)
    assert notice.status is NoticeStatus.PENDING
    assert open_notice(notice, data_cipher()).recipient == MOBILE


def test_a_contact_left_for_a_review_survives_events_on_the_closed_report(
    db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report()
    _decline(db, report, staff)
    set_contact(db, report, MOBILE, data_cipher(), while_closed=True)
    append_event(db, report, "review_requested", by=ActorKind.REPORTER, public=True)
    assert db.get(ReportContact, report.id) is not None
    append_event(db, report, "review_upheld", by=ActorKind.STAFF, public=True)
    assert db.get(ReportContact, report.id) is None
    assert len(_notices(db)) == 1  # the answer to the review


def test_after_closure_and_delivery_no_dump_holds_the_contact(
    app: Flask, db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, _ = make_report(contact=MOBILE)
    ciphertext = db.get(ReportContact, report.id).value_enc
    _accept(db, report, staff)
    _transfer(db, report, staff)
    for notice in _notices(db):  # what the delivery worker does once each is sent
        notice.status = NoticeStatus.SENT
        wipe(notice)
    db.commit()
    out = io.BytesIO()
    write_backup(app.extensions["db_engine"], out)
    dump = gzip.decompress(out.getvalue())
    assert b"report_contacts" in dump  # the dump really lists the table
    for secret in (MOBILE.encode(), ciphertext, base64.b64encode(ciphertext)):
        assert secret not in dump
    assert db.scalar(select(func.count()).select_from(ReportContact)) == 0


def test_the_contact_never_reaches_the_logs(
    client: Any,
    db: Session,
    make_report: Any,
    staff: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        # Filed on the form, told of its acceptance, closed by a transfer.
        client.post("/report", data=report_form(contact="138 1234 5678"))
        filed = db.scalar(select(Report))
        assert filed is not None
        _accept(db, filed, staff)
        db.commit()
        # Another changed on /track, told of a message, the feedback, a reward and its
        # reminder, then removed.
        report, receipt = make_report(wants_reward=True, contact="+86 139 8765 4321")
        sign_in(client, receipt)
        client.post("/track/contact", data={"contact": "wang.news@example.com"})
        db.expire_all()
        _reward(db, report, staff)
        handling.send_message(db, report, actor=staff["intake"], body="问", cipher=data_cipher())
        db.commit()
        reward = db.scalar(select(Reward))
        assert reward is not None and reward.claim_due_on is not None
        run_deadlines(db, reward.claim_due_on - timedelta(days=1))
        db.commit()
        client.post("/track/contact/remove")
        db.expire_all()
        _transfer(db, filed, staff)
        db.commit()
        # accepted, transferred; accepted, feedback, reward offered, message, reminder
        assert len(_notices(db)) == 7
    assert "reporter set their contact (email)" in caplog.text  # the logs were captured
    for secret in (
        MOBILE,
        "138 1234 5678",
        "12345678",
        "13987654321",
        "8765 4321",
        "wang.news",
        "example.com",
    ):
        assert secret not in caplog.text


def test_removing_the_contact_on_the_page_withdraws_pending_notices(
    client: Any, db: Session, make_report: Any, staff: dict[str, Any]
) -> None:
    report, receipt = make_report(contact=MOBILE)
    _accept(db, report, staff)
    db.commit()
    sign_in(client, receipt)
    client.post("/track/contact/remove")
    db.expire_all()
    [notice] = _notices(db)
    assert notice.status is NoticeStatus.WITHDRAWN and notice.recipient_enc is None


# The reminder before a reward lapses (docs/domain.md §10, REWARD_REMINDER_DAYS).


@pytest.fixture
def offered(db: Session, at_reward: dict[str, Any]) -> Reward:
    report = at_reward["report"]
    set_contact(db, report, MOBILE, data_cipher())
    reward = _offer_reward(db, report, at_reward)
    db.commit()
    return reward


def _reminders(db: Session) -> list[Notice]:
    return list(db.scalars(select(Notice).where(Notice.kind == "reward_reminder")))


def test_the_reminder_waits_until_fourteen_days_before_the_lapse(
    db: Session, offered: Reward
) -> None:
    assert offered.claim_due_on is not None
    assert remind_lapsing_rewards(db, offered.claim_due_on - timedelta(days=15)) == 0
    assert _reminders(db) == []


def test_the_reminder_fires_fourteen_days_before_the_lapse(db: Session, offered: Reward) -> None:
    assert offered.claim_due_on is not None
    assert remind_lapsing_rewards(db, offered.claim_due_on - timedelta(days=14)) == 1
    [notice] = _reminders(db)
    assert notice.key == f"reward-reminder:{offered.id}"
    assert open_notice(notice, data_cipher()).recipient == MOBILE


def test_the_reminder_fires_only_once(db: Session, offered: Reward) -> None:
    assert offered.claim_due_on is not None
    day = offered.claim_due_on - timedelta(days=14)
    remind_lapsing_rewards(db, day)
    db.commit()
    assert remind_lapsing_rewards(db, day) == 0
    assert remind_lapsing_rewards(db, day + timedelta(days=1)) == 0
    assert len(_reminders(db)) == 1


def test_run_deadlines_writes_the_reminder(db: Session, offered: Reward) -> None:
    assert offered.claim_due_on is not None
    result = run_deadlines(db, offered.claim_due_on - timedelta(days=10))
    assert result.reward_reminders == 1


def test_no_reminder_without_a_contact(db: Session, at_reward: dict[str, Any]) -> None:
    reward = _offer_reward(db, at_reward["report"], at_reward)
    assert reward.claim_due_on is not None
    assert remind_lapsing_rewards(db, reward.claim_due_on - timedelta(days=1)) == 0


def test_the_reminder_is_a_periodic_job_of_the_notice_worker(app: Flask) -> None:
    assert reward_reminder_job in app.extensions["portal.periodic"]
