"""The delivery worker: takes due notices from the outbox, sends each, records how it went.

Several workers, on several hosts, may share one outbox (docs/architecture.md, "Notices").
On PostgreSQL a batch of due notices is listed with `FOR UPDATE SKIP LOCKED`, passing over
those another worker holds; each notice is then locked alone (`FOR UPDATE SKIP LOCKED`
again, checking it is still due) for its send, and committed right after it — so no two
workers send the same row, a crash loses nothing (the row stays pending, its lock dies with
the connection), and the one window for a second send is between a send and its commit.
The receiver drops such a repeat by its id (`senders.delivery_id`). SQLite has no row
locks: one worker only (`make run`).

Each cycle also runs the periodic jobs features register in
`app.extensions["portal.periodic"]` (about once a minute), each in its own transaction.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from portal import audit
from portal.crypto import DataCipher
from portal.db import utcnow
from portal.notices.models import Channel, Notice, NoticeAttempt, NoticeStatus
from portal.notices.outbox import open_notice, wipe
from portal.notices.senders import DeliveryError, Sender, make_senders

log = logging.getLogger(__name__)

# Where features register their periodic jobs: callables `job(session, now_utc)` that
# flush and never commit, and are safe to run on several hosts at once.
PERIODIC = "portal.periodic"
PeriodicJob = Callable[[Session, datetime], Any]


@dataclass
class Tally:
    """What a run did: notices sent and failed, periodic jobs run and failed."""

    sent: int = 0
    failed: int = 0
    jobs: int = 0
    jobs_failed: int = 0

    def add(self, other: Tally) -> None:
        """Add another run's counts to these."""
        self.sent += other.sent
        self.failed += other.failed
        self.jobs += other.jobs
        self.jobs_failed += other.jobs_failed


def worker_name() -> str:
    """Return "host:pid", which each attempt records."""
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def retry_delay(failures: int, first: int, maximum: int) -> timedelta:
    """Return the wait after the `failures`-th failure: first × 2^(failures-1), capped."""
    seconds = first * 2 ** min(max(failures - 1, 0), 30)
    return timedelta(seconds=min(seconds, maximum))


def _locks_rows(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def list_due(session: Session, now: datetime, limit: int) -> list[int]:
    """Return the ids of up to `limit` due pending notices no other worker holds, oldest first."""
    query = (
        select(Notice.id)
        .where(Notice.status == NoticeStatus.PENDING, Notice.next_attempt_at <= now)
        .order_by(Notice.next_attempt_at, Notice.id)
        .limit(limit)
    )
    if _locks_rows(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def take_notice(session: Session, notice_id: int, now: datetime) -> Notice | None:
    """Lock one notice for its send, or None when it is gone, held elsewhere or done."""
    query = select(Notice).where(
        Notice.id == notice_id,
        Notice.status == NoticeStatus.PENDING,
        Notice.next_attempt_at <= now,
    )
    if _locks_rows(session):
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query.execution_options(populate_existing=True)).first()


def deliver_notice(
    session: Session,
    notice: Notice,
    sender: Sender,
    cipher: DataCipher,
    *,
    worker: str,
    retry_first: int,
    retry_max: int,
) -> DeliveryError | None:
    """Send a locked notice and record the outcome; flush, the caller commits at once.

    Returns the failure, or None once sent. A failure of any kind is recorded and retried
    later, never raised: one bad notice must not stop the others (docs/domain.md §10).
    """
    failure: DeliveryError | None
    try:
        sender.send(notice.key, notice.kind, open_notice(notice, cipher))
    except DeliveryError as error:
        failure = error
    except Exception as error:  # a notice that cannot be opened, a bug
        failure = DeliveryError(type(error).__name__)
    else:
        failure = None
    now = utcnow()
    attempt = NoticeAttempt(notice_id=notice.id, attempted_at=now, worker=worker)
    if failure is None:
        notice.status = NoticeStatus.SENT
        notice.sent_at = now
        notice.last_error = ""
        # The outbox is not a second copy of anyone's contact (docs/domain.md §10).
        wipe(notice)
        attempt.ok = True
        audit.record(
            session,
            "notice.sent",
            actor="system",
            subject=f"notice:{notice.id}",
            details={"channel": notice.channel.value, "kind": notice.kind},
        )
    else:
        notice.attempts += 1
        delay = retry_delay(notice.attempts, retry_first, retry_max)
        notice.next_attempt_at = now + delay
        notice.last_error = failure.code
        attempt.error = failure.code
        # The id and the code only: never the recipient or the text.
        log.warning(
            "notice %s not delivered (%s); next try in %d s",
            notice.id,
            failure.code,
            delay.total_seconds(),
        )
    session.add(attempt)
    session.flush()
    return failure


class Worker:
    """Delivers the outbox of one app and runs its periodic jobs, until told to stop."""

    def __init__(
        self,
        app: Flask,
        *,
        stop: threading.Event | None = None,
        senders: dict[Channel, Sender] | None = None,
    ) -> None:
        self.app = app
        self.stop = stop or threading.Event()
        self.senders = senders if senders is not None else make_senders(app.config)
        self.sessions: sessionmaker[Session] = app.extensions["db_sessionmaker"]
        self.cipher = DataCipher(app.config["DATA_KEY_BYTES"])
        self.name = worker_name()
        config = app.config
        self.batch = int(config["NOTICE_BATCH_SIZE"])
        self.retry_first = int(config["NOTICE_RETRY_FIRST_SECONDS"])
        self.retry_max = int(config["NOTICE_RETRY_MAX_SECONDS"])
        self.poll_seconds = float(config["NOTICE_POLL_SECONDS"])
        self.periodic_seconds = float(config["PERIODIC_SECONDS"])

    def drain(self) -> Tally:
        """Deliver what is due now, batch after batch; each notice at most once per drain."""
        tally, tried = Tally(), set()
        try:
            while not self.stop.is_set():
                with self.sessions() as session:
                    ids = [i for i in list_due(session, utcnow(), self.batch) if i not in tried]
                    session.commit()
                if not ids:
                    break
                # A channel whose server cannot be reached waits for the next cycle,
                # instead of a timeout per notice.
                down: set[Channel] = set()
                for notice_id in ids:
                    if self.stop.is_set():
                        break
                    tried.add(notice_id)
                    with self.sessions() as session:
                        notice = take_notice(session, notice_id, utcnow())
                        if notice is None or notice.channel in down:
                            continue
                        failure = deliver_notice(
                            session,
                            notice,
                            self.senders[notice.channel],
                            self.cipher,
                            worker=self.name,
                            retry_first=self.retry_first,
                            retry_max=self.retry_max,
                        )
                        session.commit()
                    if failure is None:
                        tally.sent += 1
                    else:
                        tally.failed += 1
                        if failure.channel_down:
                            down.add(notice.channel)
        finally:
            for sender in self.senders.values():
                sender.close()
        return tally

    def run_periodic(self, now: datetime) -> Tally:
        """Run every registered periodic job once, each in its own transaction."""
        tally = Tally()
        jobs: list[PeriodicJob] = list(self.app.extensions.get(PERIODIC, []))
        for job in jobs:
            name = getattr(job, "__qualname__", type(job).__name__)
            with self.app.app_context(), self.sessions() as session:
                try:
                    job(session, now)
                    session.commit()
                    tally.jobs += 1
                except IntegrityError:
                    # Another host did this job's work first (its unique key says so).
                    session.rollback()
                    tally.jobs += 1
                except Exception as error:  # one job must not stop the rest
                    session.rollback()
                    tally.jobs_failed += 1
                    log.error("periodic job %s failed: %s", name, type(error).__name__)
        return tally

    def run(self, *, once: bool = False) -> Tally:
        """Deliver and run the periodic jobs until `stop` is set (`once`: one cycle)."""
        total = Tally()
        next_periodic = 0.0
        while True:
            try:
                if time.monotonic() >= next_periodic:
                    next_periodic = time.monotonic() + self.periodic_seconds
                    total.add(self.run_periodic(utcnow()))
                total.add(self.drain())
            except SQLAlchemyError as error:
                if once:
                    raise
                # The database went away (or a statement failed): nothing was lost, the
                # notices stay pending; try again after the pause.
                log.error("notice delivery paused: %s", type(error).__name__)
            if once or self.stop.is_set():
                return total
            self.stop.wait(self.poll_seconds)


def start_in_thread(app: Flask) -> threading.Event:
    """Run a worker in a daemon thread of this process (`make run`); set the event to stop."""
    stop = threading.Event()
    worker = Worker(app, stop=stop)
    threading.Thread(target=worker.run, name="notice-delivery", daemon=True).start()
    return stop
