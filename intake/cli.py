"""Operator commands of intake: deadlines, reward quotes, time-driven work, re-sealing identities."""

from __future__ import annotations

import base64
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import IO

import click
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db_session
from portal.unavailable import advice, database_unavailable


def register(app: Flask) -> None:
    """Register `deadline`, `reward-quote`, `run-deadlines`, `send-digests`, `reseal-identities`."""

    @app.cli.command("deadline")
    @click.option(
        "--from",
        "start",
        required=True,
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="YYYY-MM-DD",
    )
    @click.option("--working-days", "days", required=True, type=click.IntRange(0, 1000))
    def deadline_cmd(start: datetime, days: int) -> None:
        """Print the date N working days after a date (the start day does not count)."""
        from intake.calendar.deadlines import add_working_days

        try:
            result = add_working_days(db_session(), start.date(), days)
            unread = ""
        except SQLAlchemyError as error:
            if not database_unavailable(error):
                raise
            # The official calendar and the estimate need no database; entries are missed.
            result = add_working_days(None, start.date(), days)
            unread = f"administrators' calendar days were not read: {advice(error)}"
        click.echo(result.due.isoformat())
        if result.estimated:
            # docs/domain.md §13: say what the estimate cannot know.
            click.echo(
                "estimated: the official calendar of that year is not known yet; its statutory "
                "holidays are estimated from the holiday law and the days administrators "
                "entered are counted, but make-up working days (调休) cannot be known in advance"
            )
        if unread:
            click.echo(unread)

    @app.cli.command("reward-quote")
    @click.option("--case-value", required=True, help="yuan, e.g. 1500000 or 1,500,000.00")
    @click.option("--insider", is_flag=True, help="the reporter works at the reported organisation")
    def reward_quote_cmd(case_value: str, insider: bool) -> None:
        """Print the reward for a case value under the current schedule."""
        from intake.rewards.schedule import DEFAULT_SCHEDULE, get_reward_schedule, quote_reward

        try:
            value = Decimal(case_value.replace(",", "").strip())
        except InvalidOperation as exc:
            raise click.BadParameter(
                "give the case value in yuan, e.g. 1500000", param_hint="--case-value"
            ) from exc
        if not value.is_finite() or value <= 0:
            raise click.BadParameter(
                "the case value must be a positive amount", param_hint="--case-value"
            )
        try:
            schedule, unread = get_reward_schedule(db_session()), ""
        except SQLAlchemyError as error:
            if not database_unavailable(error):
                raise
            schedule = DEFAULT_SCHEDULE
            unread = f"\n(national default schedule; the administrators' schedule was not read: {advice(error)})"
        click.echo(f"{quote_reward(value, schedule, insider=insider):,.2f}{unread}")

    @app.cli.command("run-deadlines")
    def run_deadlines_cmd() -> None:
        """Do all time-driven work: lapse and remind of rewards, mark overdue reports, digests. Idempotent."""
        from intake.digest import make_all_digests
        from intake.timers import run_deadlines
        from portal.db import utcnow
        from portal.timeutil import today_in_china

        result = run_deadlines(
            db_session(),
            today_in_china(),
            retention_months=int(current_app.config["IDENTITY_RETENTION_MONTHS"]),
        )
        db_session().commit()
        # After the overdue marks, so today's digests count them.
        digests = make_all_digests(db_session(), utcnow())
        click.echo(
            f"{result.lapsed_rewards} rewards lapsed, {result.reward_reminders} reward reminders "
            f"written, {result.newly_overdue} reports newly overdue, "
            f"{result.identities_destroyed} identities destroyed after the retention period, "
            f"{digests} staff digests enqueued"
        )

    @app.cli.command("send-digests")
    def send_digests_cmd() -> None:
        """Enqueue today's staff digests once DIGEST_TIME (China time) has passed. Idempotent."""
        from intake.digest import make_all_digests
        from portal.db import utcnow

        digests = make_all_digests(db_session(), utcnow())
        click.echo(f"{digests} staff digests enqueued")

    @app.cli.command("reseal-identities")
    @click.option(
        "--recovery-key-file",
        type=click.File("r"),
        default="-",
        help="file holding the base64 recovery private key (default: standard input)",
    )
    def reseal_identities_cmd(recovery_key_file: IO[str]) -> None:
        """Grant sealed identities to custodians appointed since, using the recovery key."""
        from intake.identity.access import reseal_for_new_custodians

        try:
            private = base64.b64decode(recovery_key_file.read().strip(), validate=True)
        except ValueError as exc:
            raise click.ClickException(
                "the recovery key must be the base64 text printed at creation"
            ) from exc
        if len(private) != 32:
            raise click.ClickException("the recovery key must be 32 bytes of base64")
        added = reseal_for_new_custodians(db_session(), private)
        db_session().commit()
        click.echo(f"{added} grants added for custodians")
