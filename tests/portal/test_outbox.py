"""The outbox (portal/notices): a notice per cause, encrypted, withdrawn with its cause."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.crypto import DataCipher
from portal.notices.models import Channel, Notice, NoticeStatus
from portal.notices.outbox import enqueue, open_notice, withdraw_pending


def _cipher(app: Flask) -> DataCipher:
    return DataCipher(app.config["DATA_KEY_BYTES"])


def _enqueue(db: Session, app: Flask, key: str, source: str = "report:1") -> Notice:
    return enqueue(
        db,
        _cipher(app),
        key=key,
        kind="report_news",
        channel=Channel.SMS,
        recipient="13800138000",
        subject="有新消息",
        body="您的举报有新进展。",
        source=source,
    )


def test_a_second_enqueue_under_the_same_key_adds_nothing(app: Flask, db: Session) -> None:
    first = _enqueue(db, app, "report-news:1")
    second = _enqueue(db, app, "report-news:1")
    assert second.id == first.id
    assert len(db.scalars(select(Notice)).all()) == 1


def test_the_recipient_is_stored_only_encrypted(app: Flask, db: Session) -> None:
    notice = _enqueue(db, app, "report-news:2")
    assert notice.recipient_enc is not None
    assert b"13800138000" not in notice.recipient_enc
    assert open_notice(notice, _cipher(app)).recipient == "13800138000"


def test_withdrawing_a_source_wipes_its_pending_notices(app: Flask, db: Session) -> None:
    notice = _enqueue(db, app, "report-news:3", source="report:7")
    assert withdraw_pending(db, "report:7") == 1
    db.refresh(notice)
    assert notice.status is NoticeStatus.WITHDRAWN
    assert notice.recipient_enc is None and notice.body_enc is None
