"""Several workers on one outbox (PostgreSQL): each notice sent once, none lost in a crash."""

from __future__ import annotations

import collections
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.crypto import DataCipher
from portal.notices.models import Channel, Notice, NoticeStatus
from portal.notices.outbox import enqueue
from portal.notices.senders import delivery_id
from portal.notices.worker import Worker
from tests.portal.notice_servers import SmtpServer
from tests.servers import ROOT, portal_env


@pytest.fixture
def postgres(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) are PostgreSQL's")
    return database_url


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    # A slow relay: a batch takes long enough for workers to overlap and to be killed.
    server = SmtpServer(delay=0.02)
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp: SmtpServer) -> dict[str, object]:
    return {
        "NOTICE_DELIVERY": "smtp_sms",
        "SMTP_PORT": smtp.port,
        "SMTP_SECURITY": "none",
        "SMTP_FROM": "noreply@ybjg.example.gov.cn",
        "NOTICE_BATCH_SIZE": 10,
    }


def _fill_outbox(app: Flask, db: Session, count: int) -> set[str]:
    cipher = DataCipher(app.config["DATA_KEY_BYTES"])
    for n in range(count):
        enqueue(
            db,
            cipher,
            key=f"report-news:{n}",
            kind="report_news",
            channel=Channel.EMAIL,
            recipient=f"reporter{n}@example.com",
            subject="举报有新消息",
            body="您的举报有新消息，请凭回执查看。",
        )
    db.commit()
    return {f"<{delivery_id(f'report-news:{n}')}@ybjg.example.gov.cn>" for n in range(count)}


def _pending(db: Session) -> int:
    db.expire_all()
    return db.scalar(
        select(func.count()).select_from(Notice).where(Notice.status == NoticeStatus.PENDING)
    )


def test_two_workers_at_once_send_each_notice_once(postgres, app, db, smtp, make_app):
    expected = _fill_outbox(app, db, 40)
    workers = [Worker(app), Worker(make_app(dict(app.config)))]
    tallies = [None, None]

    def run(i: int) -> None:
        tallies[i] = workers[i].drain()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    ids = smtp.message_ids()
    assert sorted(ids) == sorted(expected)
    # Both took part: the rows one held were skipped by the other, not waited for.
    assert all(t is not None and t.sent > 0 for t in tallies)
    assert sum(t.sent for t in tallies) == 40
    assert _pending(db) == 0


def test_a_worker_killed_mid_batch_loses_nothing(postgres, app, db, smtp):
    expected = _fill_outbox(app, db, 30)
    env = portal_env(
        postgres,
        DATA_KEY=app.config["DATA_KEY"],
        NOTICE_DELIVERY="smtp_sms",
        SMTP_PORT=str(smtp.port),
        SMTP_SECURITY="none",
        SMTP_FROM="noreply@ybjg.example.gov.cn",
        NOTICE_BATCH_SIZE="10",
    )
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("flask")), "--app", "portal", "deliver-notices"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while len(smtp.messages) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert 5 <= len(smtp.messages) < 30, "the kill came mid-batch"
    assert _pending(db) > 0
    # The restarted worker: the same loop, run here to spare a second process start.
    assert Worker(app).run(once=True).failed == 0
    assert _pending(db) == 0
    counts = collections.Counter(smtp.message_ids())
    assert set(counts) == expected
    # Only the notice in hand at the kill can have reached the relay twice, under the
    # same Message-ID, which the relay or the mailbox drops.
    assert sum(n - 1 for n in counts.values()) <= 1
