"""Annual reports: preparing (the figures frozen) and publishing by a second person, with the PDF.

Each operation holds itself to `ANNUAL_STEPS` (publish/annual/lifecycle.py), changes the
report, records an audit entry and flushes; the request or command commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import StaffUser
from portal.db import utcnow
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import in_jurisdiction
from portal.timeutil import today_in_china
from publish.annual.contents import gather_contents
from publish.annual.lifecycle import AnnualError, check_step
from publish.annual.models import AnnualReport, AnnualStatus
from publish.annual.queries import get_current, get_draft

log = logging.getLogger(__name__)

# The first year a report may cover: before it the portal holds nothing to report.
FIRST_YEAR = 2000


def check_year(year: int) -> None:
    """Refuse a year that has not begun yet, or one before FIRST_YEAR."""
    this_year = today_in_china().year
    if not FIRST_YEAR <= year <= this_year:
        raise AnnualError("annual_year", first=FIRST_YEAR, last=this_year)


def _recorded(session: Session, what: str, report: AnnualReport, actor: StaffUser) -> None:
    session.flush()
    audit.record(
        session,
        f"annual_report.{what}",
        actor=f"staff:{actor.id}",
        subject=f"annual_report:{report.id}",
        details={"region": report.region.code, "year": report.year, "version": report.version},
    )
    log.info("annual report %s %s by staff %s", report.id, what, actor.id)


def prepare_annual_report(
    session: Session,
    region: Region,
    year: int,
    *,
    actor: StaffUser,
    threshold: int,
    note: str = "",
) -> AnnualReport:
    """Freeze `region`'s figures for `year` in a draft: a new version, or the unpublished draft replaced.

    A version after the first needs `note`, what changed (docs/domain.md §15).
    """
    draft = get_draft(session, region, year)
    check_step("prepare", draft, actor)
    if not in_jurisdiction(actor, region):
        raise AnnualError("annual_region")
    check_year(year)
    current = get_current(session, region, year)
    if current is not None and not note.strip():
        raise AnnualError("annual_note")
    contents = gather_contents(session, region, year, threshold)
    if draft is None:
        latest = session.scalar(
            select(func.max(AnnualReport.version)).where(
                AnnualReport.region_id == region.id, AnnualReport.year == year
            )
        )
        draft = AnnualReport(region=region, year=year, version=(latest or 0) + 1)
        session.add(draft)
    draft.snapshot_json = json.dumps(contents, ensure_ascii=False, sort_keys=True, default=str)
    # The first version has nothing to say it changed.
    draft.change_note = note.strip() if current is not None else ""
    draft.prepared_by_id = actor.id
    draft.prepared_at = utcnow()
    _recorded(session, "prepared", draft, actor)
    return draft


def preview_token(report: AnnualReport) -> str:
    """Return a digest of what a preview of the draft showed: its figures, note, version and who prepared it."""
    shown = (report.id, report.version, report.prepared_by_id, report.change_note)
    digest = hashlib.sha256(json.dumps(shown).encode() + report.snapshot_json.encode())
    return digest.hexdigest()[:32]


def publish_annual_report(
    session: Session,
    report: AnnualReport,
    *,
    actor: StaffUser,
    render: Callable[[AnnualReport], bytes],
    previewed: str | None = None,
) -> None:
    """Publish a draft (never by whoever prepared it): render and keep its PDF; supersede the version before.

    `previewed` is the `preview_token` of the page the publisher confirmed: a draft
    prepared again since then is refused, so what is published is what they read.
    """
    step = check_step("publish", report, actor)
    if previewed is not None and previewed != preview_token(report):
        raise AnnualError("changed_since_preview")
    previous = get_current(session, report.region, report.year)
    now = utcnow()
    if previous is not None:
        previous.status = AnnualStatus.SUPERSEDED
        previous.superseded_at = now
        # One published version per region and year at any moment.
        session.flush()
    report.status = step.target
    report.published_by_id = actor.id
    report.published_at = now
    session.flush()
    pdf = render(report)
    report.pdf = pdf
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    _recorded(session, "published", report, actor)
