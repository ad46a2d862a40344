"""Reading annual reports: drafts and the current version, the public list and versions, the office's list, the feed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import StaffUser
from portal.jurisdictions.models import Region, get_region_by_code
from portal.jurisdictions.tree import in_jurisdiction, subtree_ids
from publish.annual.models import AnnualReport, AnnualStatus

PUBLIC = (AnnualStatus.PUBLISHED, AnnualStatus.SUPERSEDED)


def _of(region: Region, year: int, status: AnnualStatus) -> Select[Any]:
    return select(AnnualReport).where(
        AnnualReport.region_id == region.id,
        AnnualReport.year == year,
        AnnualReport.status == status,
    )


def get_draft(session: Session, region: Region, year: int) -> AnnualReport | None:
    """Return the unpublished draft of `region`'s report for `year`, if there is one."""
    draft: AnnualReport | None = session.scalar(_of(region, year, AnnualStatus.DRAFT))
    return draft


def get_current(session: Session, region: Region, year: int) -> AnnualReport | None:
    """Return the published version of `region`'s report for `year` (None before the first)."""
    current: AnnualReport | None = session.scalar(_of(region, year, AnnualStatus.PUBLISHED))
    return current


def get_public_version(
    session: Session, code: str, year: int, version: int | None = None
) -> AnnualReport | None:
    """Return the published version (or, given `version`, that one if ever published); None otherwise."""
    region = get_region_by_code(session, code)
    if region is None:
        return None
    query = select(AnnualReport).where(
        AnnualReport.region_id == region.id, AnnualReport.year == year
    )
    if version is None:
        return session.scalar(query.where(AnnualReport.status == AnnualStatus.PUBLISHED))
    return session.scalar(
        query.where(AnnualReport.version == version, AnnualReport.status.in_(PUBLIC))
    )


def list_versions(session: Session, report: AnnualReport) -> list[AnnualReport]:
    """Return every published version of `report`'s region and year, oldest first."""
    return list(
        session.scalars(
            select(AnnualReport)
            .where(
                AnnualReport.region_id == report.region_id,
                AnnualReport.year == report.year,
                AnnualReport.status.in_(PUBLIC),
            )
            .order_by(AnnualReport.version)
        )
    )


def list_current(session: Session) -> list[AnnualReport]:
    """Return the published version of every report, the newest year first, then by region code."""
    return list(
        session.scalars(
            select(AnnualReport)
            .join(Region, AnnualReport.region_id == Region.id)
            .where(AnnualReport.status == AnnualStatus.PUBLISHED)
            .options(selectinload(AnnualReport.region))
            .order_by(AnnualReport.year.desc(), Region.code)
        )
    )


def list_recent_publications(session: Session, limit: int) -> list[AnnualReport]:
    """Return the versions published most recently (superseded ones too), newest first: the feed's entries."""
    return list(
        session.scalars(
            select(AnnualReport)
            .where(AnnualReport.status.in_(PUBLIC))
            .options(selectinload(AnnualReport.region))
            .order_by(AnnualReport.published_at.desc(), AnnualReport.id.desc())
            .limit(limit)
        )
    )


def list_office_reports(session: Session, user: StaffUser, limit: int = 200) -> list[AnnualReport]:
    """Return the reports of `user`'s jurisdiction in every status, the newest year first."""
    return list(
        session.scalars(
            select(AnnualReport)
            .join(Region, AnnualReport.region_id == Region.id)
            .where(AnnualReport.region_id.in_(subtree_ids(session, user.region_id)))
            .options(selectinload(AnnualReport.region))
            .order_by(AnnualReport.year.desc(), Region.code, AnnualReport.version.desc())
            .limit(limit)
        )
    )


def get_office_report(session: Session, report_id: int, user: StaffUser) -> AnnualReport | None:
    """Return a report of `user`'s jurisdiction; one elsewhere answers None like a missing one."""
    report = session.get(AnnualReport, report_id)
    return report if report is not None and in_jurisdiction(user, report.region) else None
