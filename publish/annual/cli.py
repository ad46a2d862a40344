"""`flask --app portal annual-report`: a publisher prepares a region's annual report from the command line."""

from __future__ import annotations

import click
from flask import Flask, current_app


def register(app: Flask) -> None:
    """Register `annual-report`."""

    @app.cli.command("annual-report")
    @click.option("--region", "region_code", required=True, help="division code, e.g. 640000")
    @click.option("--year", required=True, type=int, help="the year the report covers, e.g. 2025")
    @click.option(
        "--by", "username", required=True, help="the account of the publisher preparing it"
    )
    @click.option("--note", default="", help="what changed: needed once a version is published")
    def annual_report_cmd(region_code: str, year: int, username: str, note: str) -> None:
        """Prepare (or prepare again) a region's annual report; another person publishes it."""
        from flask_babel import force_locale
        from sqlalchemy import select

        from portal.accounts.models import StaffUser
        from portal.db import db_session
        from portal.errors import OperationError, message_for
        from portal.jurisdictions.models import get_region_by_code
        from publish.annual.operations import prepare_annual_report

        session = db_session()
        region = get_region_by_code(session, region_code.strip())
        if region is None:
            raise click.BadParameter(f"no region has the code {region_code}", param_hint="--region")
        user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
        if user is None or not user.is_active:
            raise click.BadParameter(f"no active staff account {username}", param_hint="--by")
        if not user.has_role("publisher"):
            raise click.BadParameter(f"{username} is not a publisher", param_hint="--by")
        try:
            report = prepare_annual_report(
                session,
                region,
                year,
                actor=user,
                threshold=int(current_app.config["STATS_MIN_COUNT"]),
                note=note,
            )
        except OperationError as exc:
            session.rollback()
            with force_locale("en"):
                raise click.UsageError(message_for(exc)) from exc
        session.commit()
        click.echo(
            f"annual report {region.code} {year}, version {report.version}: prepared, figures "
            f"frozen; another publisher or an approver publishes it at "
            f"/staff/publish/annual-reports/{report.id}"
        )
