"""`flask --app portal deliver-notices`: the delivery worker as a command."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import Flask, current_app

from portal.notices.worker import Worker


def register(app: Flask) -> None:
    """Register `deliver-notices`."""

    @app.cli.command("deliver-notices")
    @click.option(
        "--once",
        is_flag=True,
        help="deliver what is due, run the periodic jobs once, print the counts and exit",
    )
    def deliver_notices_cmd(once: bool) -> None:
        """Deliver the outbox and run periodic jobs until SIGTERM or Ctrl+C (cron: --once)."""
        stop = threading.Event()
        if not once:

            def _stop(_signum: int, _frame: FrameType | None) -> None:
                # The notice in hand is finished and committed; then the loop ends.
                stop.set()

            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
        worker = Worker(current_app._get_current_object(), stop=stop)  # type: ignore[attr-defined]
        tally = worker.run(once=once)
        click.echo(
            f"notices sent: {tally.sent}, failed: {tally.failed}; "
            f"periodic jobs run: {tally.jobs}, failed: {tally.jobs_failed}"
        )
