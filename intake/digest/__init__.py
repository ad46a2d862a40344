"""The staff digest (docs/domain.md §10): each morning, what awaits a person, as counts and links.

`items.py` is the registry of what is counted (features add a line each); `sending.py`
makes one e-mail per person and day in the outbox. The worker's periodic loop, `flask
--app portal send-digests` and `run-deadlines` all call `make_digests`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from intake.digest.sending import DigestRun


def make_digests(session: Session, now_utc: datetime) -> DigestRun:
    """Enqueue a batch of the digests due at `now_utc` under the app's settings.

    Flushes, never commits (the periodic job's contract); `.more` says a batch is left.
    """
    from intake.digest.sending import parse_digest_time, send_digests
    from portal.security import data_cipher

    at = parse_digest_time(current_app.config["DIGEST_TIME"])
    return send_digests(session, now_utc, cipher=data_cipher(), at=at)


def make_all_digests(session: Session, now_utc: datetime) -> int:
    """Enqueue every digest due at `now_utc`, committing batch by batch (CLI commands)."""
    enqueued = 0
    while True:
        run = make_digests(session, now_utc)
        session.commit()
        enqueued += run.enqueued
        if not run.more:
            return enqueued


def init_app(app: Flask) -> None:
    """Register intake's digest lines and the daily job (a bad DIGEST_TIME refuses to start)."""
    from intake.digest.items import register_digest_items, standard_items
    from intake.digest.sending import parse_digest_time

    parse_digest_time(app.config["DIGEST_TIME"])
    register_digest_items(app, *standard_items())
    # Run about once a minute by the notice worker (portal/notices); idempotent per day.
    app.extensions.setdefault("portal.periodic", []).append(make_digests)
