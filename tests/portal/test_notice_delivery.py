"""Delivering the outbox (portal/notices): real SMTP and SMS gateway servers on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit import AuditEntry
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.notices.models import Channel, Notice, NoticeAttempt, NoticeStatus
from portal.notices.outbox import enqueue
from portal.notices.senders import delivery_id, mask_recipient
from portal.notices.worker import Worker, retry_delay
from tests.portal.notice_servers import SmsGateway, SmtpServer, self_signed_certificate

GATEWAY_SECRET = "s" * 40
BODY = (
    "您的举报有新消息，请凭回执查看。\nThere is news about your report: see it with your receipt."
)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    server = SmsGateway(GATEWAY_SECRET)
    yield server
    server.close()


@pytest.fixture
def app_config(smtp: SmtpServer, gateway: SmsGateway) -> dict[str, Any]:
    return {
        "NOTICE_DELIVERY": "smtp_sms",
        "SMTP_PORT": smtp.port,
        "SMTP_SECURITY": "none",
        "SMTP_FROM": "noreply@ybjg.example.gov.cn",
        "SMTP_TIMEOUT_SECONDS": 2,
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_GATEWAY_SECRET": GATEWAY_SECRET,
        "SMS_GATEWAY_TIMEOUT_SECONDS": 0.5,
        "NOTICE_RETRY_FIRST_SECONDS": 30,
        "NOTICE_RETRY_MAX_SECONDS": 3600,
    }


def _notice(
    db: Session,
    app: Flask,
    key: str,
    channel: Channel = Channel.EMAIL,
    recipient: str = "reporter@example.com",
) -> Notice:
    notice = enqueue(
        db,
        DataCipher(app.config["DATA_KEY_BYTES"]),
        key=key,
        kind="report_news",
        channel=channel,
        recipient=recipient,
        subject="举报有新消息 / News about your report",
        body=BODY,
        source="report:1",
    )
    db.commit()
    return notice


def _deliver(app: Flask) -> Any:
    return Worker(app).drain()


def _make_due(db: Session, notice: Notice) -> None:
    # Instead of waiting out the delay: the worker's clock is the real one.
    notice.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.commit()


def test_an_email_notice_reaches_the_relay_as_plain_utf8_text(app, db, smtp):
    _notice(db, app, "report-news:1")
    assert _deliver(app).sent == 1
    (received,) = smtp.messages
    assert received.recipients == ["reporter@example.com"]
    assert received.sender == "noreply@ybjg.example.gov.cn"
    assert received.message["Subject"] == "举报有新消息 / News about your report"
    assert received.message.get_content_type() == "text/plain"
    assert received.message.get_content_charset() == "utf-8"
    assert received.message.get_content().replace("\r\n", "\n").strip() == BODY


def test_the_message_id_comes_from_the_notice_key(app, db, smtp):
    _notice(db, app, "report-news:2")
    _deliver(app)
    assert smtp.message_ids() == [f"<{delivery_id('report-news:2')}@ybjg.example.gov.cn>"]


def test_a_sent_notice_is_wiped_audited_and_its_attempt_recorded(app, db, smtp):
    notice = _notice(db, app, "report-news:3")
    _deliver(app)
    db.refresh(notice)
    assert notice.status is NoticeStatus.SENT and notice.sent_at is not None
    assert (notice.recipient_enc, notice.subject_enc, notice.body_enc) == (None, None, None)
    attempt = db.scalars(select(NoticeAttempt)).one()
    assert attempt.ok and attempt.error == "" and attempt.worker
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "notice.sent")).one()
    assert (entry.actor, entry.subject) == ("system", f"notice:{notice.id}")
    assert json.loads(entry.details_json) == {"channel": "email", "kind": "report_news"}


def test_starttls_and_login_protect_the_way_to_the_relay(app, db, tmp_path: Path, make_app):
    certificate = self_signed_certificate(tmp_path)
    relay = SmtpServer(certificate=certificate, login=("portal", "relay-password"))
    try:
        config = {
            **app.config,
            "SMTP_PORT": relay.port,
            "SMTP_SECURITY": "starttls",
            "SMTP_CA_FILE": str(certificate[0]),
            "SMTP_USERNAME": "portal",
            "SMTP_PASSWORD": "relay-password",
        }
        _notice(db, app, "report-news:4")
        assert Worker(make_app(config)).drain().sent == 1
        assert relay.logins == ["portal"] and len(relay.messages) == 1
    finally:
        relay.stop()


def test_a_relay_without_starttls_gets_nothing_in_the_clear(app, db, smtp, make_app):
    notice = _notice(db, app, "report-news:5")
    tally = Worker(make_app({**app.config, "SMTP_SECURITY": "starttls"})).drain()
    assert tally.failed == 1 and smtp.messages == []
    db.refresh(notice)
    assert notice.last_error == "SMTPNotSupportedError"


def test_a_text_message_carries_a_signature_the_gateway_verifies(app, db, gateway):
    _notice(db, app, "report-news:6", Channel.SMS, "13800138000")
    assert _deliver(app).sent == 1
    assert gateway.refused == 0
    (payload,) = gateway.accepted
    assert payload["to"] == "13800138000" and payload["text"] == BODY
    assert payload["idempotency_key"] == delivery_id("report-news:6")


def test_a_gateway_refusing_a_bad_signature_is_a_failure(app, db, gateway, make_app):
    notice = _notice(db, app, "report-news:7", Channel.SMS, "13800138000")
    tally = Worker(make_app({**app.config, "SMS_GATEWAY_SECRET": "x" * 40})).drain()
    assert tally.failed == 1 and gateway.refused == 1
    db.refresh(notice)
    assert notice.status is NoticeStatus.PENDING and notice.last_error == "http:401"


def test_a_failure_records_its_code_and_never_the_text(app, db, gateway):
    gateway.status = 503
    notice = _notice(db, app, "report-news:8", Channel.SMS, "13800138000")
    _deliver(app)
    attempt = db.scalars(select(NoticeAttempt)).one()
    assert not attempt.ok and attempt.error == "http:503"
    db.refresh(notice)
    assert notice.attempts == 1 and notice.recipient_enc is not None


def test_a_gateway_that_does_not_answer_in_time_is_a_failure(app, db, gateway):
    gateway.delay = 1.0
    notice = _notice(db, app, "report-news:9", Channel.SMS, "13800138000")
    assert _deliver(app).failed == 1
    db.refresh(notice)
    assert notice.last_error == "TimeoutError"


def test_retries_back_off_while_the_relay_is_down_and_send_once_it_is_back(app, db, smtp):
    smtp.stop()
    notice = _notice(db, app, "report-news:10")
    delays = []
    for _ in range(3):
        before = utcnow()
        assert _deliver(app).failed == 1
        db.refresh(notice)
        delays.append(round((notice.next_attempt_at - before).total_seconds()))
        assert _deliver(app).failed == 0  # not due again until the delay has passed
        _make_due(db, notice)
    assert delays == [30, 60, 120]
    smtp.start()
    assert _deliver(app).sent == 1
    assert _deliver(app).sent == 0
    assert smtp.message_ids() == [f"<{delivery_id('report-news:10')}@ybjg.example.gov.cn>"]
    assert len(db.scalars(select(NoticeAttempt).where(NoticeAttempt.ok.is_(False))).all()) == 3


def test_an_unreachable_relay_holds_back_the_rest_of_the_batch(app, db, smtp):
    smtp.stop()
    for n in range(3):
        _notice(db, app, f"report-news:down-{n}")
    tally = _deliver(app)
    assert (tally.sent, tally.failed) == (0, 1)
    waiting = db.scalars(select(Notice).where(Notice.attempts == 0)).all()
    assert len(waiting) == 2


@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("failures", "seconds"), [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (60, 3600)]
)
def test_the_retry_delay_doubles_up_to_the_maximum(failures, seconds):
    assert retry_delay(failures, 30, 3600) == timedelta(seconds=seconds)


@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("recipient", "masked"),
    [("13800138000", "138****8000"), ("wang.li@example.com", "w***@example.com")],
)
def test_the_console_masks_a_recipient(recipient, masked):
    assert mask_recipient(recipient) == masked
