"""Demo annual reports for `seed-demo`: Yinchuan's year so far published, last year's a draft.

The demo's reports, cases and penalties are all of this year, so this year's report is the
one with figures to show (its page says "figures as of" the day it was prepared).

Prepared by the city's publisher and published by the province's, through the same
operations as the office, so `make run` shows the public page, its PDF and feed entry, and
a draft waiting for a second person.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import StaffUser
from portal.ops.demo import DemoContext
from portal.timeutil import today_in_china
from publish.annual.operations import prepare_annual_report, publish_annual_report
from publish.annual.pdf import render_pdf

REGION = "640100"


def _staff(session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username))


def seed_demo_annual_reports(session: Session, context: DemoContext) -> None:
    """Publish Yinchuan's report of this year so far and leave last year's as a draft."""
    preparer, publisher = _staff(session, "yc-publisher"), _staff(session, "nx-publisher")
    if preparer is None or publisher is None:
        return
    threshold = int(current_app.config["STATS_MIN_COUNT"])
    region = context.regions[REGION]
    year = today_in_china().year
    current = prepare_annual_report(session, region, year, actor=preparer, threshold=threshold)
    publish_annual_report(session, current, actor=publisher, render=render_pdf)
    prepare_annual_report(session, region, year - 1, actor=preparer, threshold=threshold)
    session.flush()
    context.echo(
        f"demo annual reports: {region.name_zh} {year} published, {year - 1} prepared as a draft"
    )
