"""Telling the level above that a report below it became a major case (docs/domain.md §12).

A notice says only that there is a major case to look at and where the list is: nothing
from the report — no case number, party, region, amount or ground (docs/domain.md §10).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report
from intake.office.workflow import CASE_STAFF
from portal.accounts.models import StaffUser
from portal.crypto import DataCipher
from portal.notices.models import Channel
from portal.notices.outbox import enqueue

KIND = "major_case"
LIST_ENDPOINT = "major.list_major_cases_view"

SUBJECT = "要情提示 / A major case to look at"
BODY = (
    "您的下级辖区有一件要情（重大案件），请登录查看要情列表：\n{link}\n\n"
    "A major case has arisen in a region below yours. Sign in to see the list of major "
    "cases:\n{link}\n"
)


def list_link() -> str:
    """Return the absolute address of the major-case list, with or without a request."""
    path = current_app.url_map.bind("localhost").build(LIST_ENDPOINT)
    base = str(current_app.config["PUBLIC_URL"])
    if not base:
        # Development and tests: the request's host, or the local server outside one.
        base = request.host_url.rstrip("/") if has_request_context() else "http://localhost"
    return base + path


def tell_level_above(session: Session, report: Report, cipher: DataCipher) -> int:
    """Enqueue one e-mail to each case officer of the parent region; return how many.

    Only officers who may open the major-case list are told, and only those with an
    address. The key names the report and the person, so a report is announced to each
    person once, however often it is marked (docs/domain.md §12). A province's own report
    has no level above in the portal and tells no one.
    """
    parent = report.region.parent
    if parent is None:
        return 0
    officers = session.scalars(
        select(StaffUser)
        .where(StaffUser.region_id == parent.id, StaffUser.is_active.is_(True))
        .order_by(StaffUser.id)
    )
    link = list_link()
    told = 0
    for officer in officers:
        if not officer.email or not officer.has_role(*CASE_STAFF):
            continue
        key = f"major:{report.id}:{officer.id}"
        enqueue(
            session,
            cipher,
            key=key,
            kind=KIND,
            channel=Channel.EMAIL,
            recipient=officer.email,
            subject=SUBJECT,
            body=BODY.format(link=link),
            # The person told, never the report: a reporter removing their contact withdraws
            # the notices of "report:<id>", and this one is not theirs.
            source=f"staff:{officer.id}",
        )
        told += 1
    return told
