"""Development delivery: the console shows what would be sent, and the command drives it."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from portal.crypto import DataCipher
from portal.notices.models import Channel, Notice, NoticeStatus
from portal.notices.outbox import enqueue
from portal.notices.worker import Worker


def _sms_notice(app, db) -> Notice:
    notice = enqueue(
        db,
        DataCipher(app.config["DATA_KEY_BYTES"]),
        key="report-news:console",
        kind="report_news",
        channel=Channel.SMS,
        recipient="13800138000",
        subject="举报有新消息",
        body="您的举报有新消息，请凭回执查看。",
    )
    db.commit()
    return notice


def test_the_console_prints_the_notice_with_its_recipient_masked(app, db):
    _sms_notice(app, db)
    result = app.test_cli_runner().invoke(args=["deliver-notices", "--once"])
    assert "sms, report_news) to 138****8000" in result.output
    assert "您的举报有新消息，请凭回执查看。" in result.output
    assert "13800138000" not in result.output


def test_the_command_counts_what_it_delivered(app, db):
    notice = _sms_notice(app, db)
    result = app.test_cli_runner().invoke(args=["deliver-notices", "--once"])
    assert result.exit_code == 0
    assert "notices sent: 1, failed: 0" in result.output
    db.refresh(notice)
    assert notice.status is NoticeStatus.SENT


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PERIODIC_SECONDS": 60}


def test_each_periodic_job_runs_in_its_own_transaction(app, db, caplog):
    from sqlalchemy.exc import IntegrityError

    def done_elsewhere(session, now):
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    def broken(session, now):
        session.add(Notice(key="half-done", kind="report_news", channel=Channel.SMS))
        session.flush()
        raise RuntimeError("secret words that must not be logged")

    def digest(session, now):
        session.add(Notice(key=f"digest:{now.date()}", kind="staff_digest", channel=Channel.EMAIL))
        session.flush()

    app.extensions["portal.periodic"] = [done_elsewhere, broken, digest]
    result = app.test_cli_runner().invoke(args=["deliver-notices", "--once"])
    assert "periodic jobs run: 2, failed: 1" in result.output
    kinds = db.scalars(select(Notice.kind)).all()
    assert kinds == ["staff_digest"]
    assert "RuntimeError" in caplog.text and "secret words" not in caplog.text


def test_the_loop_delivers_until_told_to_stop(app, db):
    notice = _sms_notice(app, db)
    stop = threading.Event()
    worker = Worker(app, stop=stop)
    thread = threading.Thread(target=worker.run)
    thread.start()
    deadline = time.monotonic() + 10
    while notice.status is not NoticeStatus.SENT and time.monotonic() < deadline:
        time.sleep(0.02)
        db.refresh(notice)
    stop.set()
    thread.join(timeout=10)
    assert notice.status is NoticeStatus.SENT
    assert not thread.is_alive()
