"""Reading published disclosures: lists, one revision and its rows, and a fund's series over periods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from publish.catalog import UNIT_NAMES, chinese_period_name, period_name
from publish.disclosures.columns import fund_records, revision_rows
from publish.disclosures.models import Disclosure, DisclosureRevision, FundLine


@dataclass(frozen=True)
class DisclosureFilters:
    """Filters of the public list."""

    region_key: str | None = None
    year: int | None = None
    fund: str | None = None


def list_disclosures(
    session: Session, filters: DisclosureFilters, page: int, per_page: int = 20
) -> tuple[list[Disclosure], int]:
    """Return one page of disclosures, newest period first, and the total count."""
    where = []
    if filters.region_key is not None:
        where.append(Disclosure.region_key == filters.region_key)
    if filters.year is not None:
        where.append(Disclosure.year == filters.year)
    if filters.fund:
        latest = select(func.max(DisclosureRevision.id)).group_by(DisclosureRevision.disclosure_id)
        where.append(
            Disclosure.id.in_(
                select(DisclosureRevision.disclosure_id)
                .join(FundLine, FundLine.revision_id == DisclosureRevision.id)
                .where(DisclosureRevision.id.in_(latest), FundLine.fund == filters.fund)
            )
        )
    total = session.scalar(select(func.count()).select_from(Disclosure).where(*where)) or 0
    rows = session.scalars(
        select(Disclosure)
        .where(*where)
        .options(
            selectinload(Disclosure.region),
            selectinload(Disclosure.revisions).selectinload(DisclosureRevision.lines),
        )
        .order_by(Disclosure.year.desc(), Disclosure.period.desc(), Disclosure.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def series_for(session: Session, disclosure: Disclosure, fund: str) -> list[tuple[str, FundLine]]:
    """Return (label, line) of `fund` for every disclosure of the same region and period kind."""
    kind = disclosure.period[0]
    rows = session.scalars(
        select(Disclosure)
        .where(Disclosure.region_key == disclosure.region_key, Disclosure.period.like(f"{kind}%"))
        .options(selectinload(Disclosure.revisions).selectinload(DisclosureRevision.lines))
        .order_by(Disclosure.year, Disclosure.period)
    )
    series = []
    for d in rows:
        line = next((ln for ln in d.current.lines if ln.fund == fund), None)
        if line is not None:
            label = period_name(d.year, d.period)
            series.append((label, line))
    return series


def list_recent_disclosures(session: Session, limit: int) -> list[Disclosure]:
    """Return the most recently published or corrected disclosures, newest first."""
    return list(
        session.scalars(
            select(Disclosure)
            .options(
                selectinload(Disclosure.region),
                selectinload(Disclosure.revisions).selectinload(DisclosureRevision.lines),
            )
            .order_by(Disclosure.updated_at.desc(), Disclosure.id.desc())
            .limit(limit)
        )
    )


def get_revision(
    session: Session, disclosure_id: int, number: int | None = None
) -> tuple[Disclosure, DisclosureRevision] | None:
    """Return a disclosure with its revision `number` (None: the one in force), if both exist."""
    disclosure = session.get(Disclosure, disclosure_id)
    if disclosure is None:
        return None
    if number is None:
        return disclosure, disclosure.current
    revision = next((r for r in disclosure.revisions if r.number == number), None)
    return None if revision is None else (disclosure, revision)


def find_disclosure(session: Session, region_key: str, year: int, period: str) -> Disclosure | None:
    """Return the disclosure of a region (or 100000, national) and period, if published."""
    return session.scalar(
        select(Disclosure).where(
            Disclosure.region_key == region_key,
            Disclosure.year == year,
            Disclosure.period == period,
        )
    )


def list_fund_rows(
    session: Session, region_key: str, year: int, period: str
) -> list[dict[str, str]]:
    """Return the funds of a disclosure in force as rows of text in the import format."""
    existing = find_disclosure(session, region_key, year, period)
    if existing is None:
        return []
    return [
        {k: "" if v is None else str(v) for k, v in row.items()}
        for row in revision_rows(existing, existing.current)
    ]


def get_fund_row(
    session: Session, region_key: str, year: int, period: str, fund: str | None
) -> dict[str, str] | None:
    """Return one fund of a disclosure in force (the first one if `fund` is None), if any."""
    rows = list_fund_rows(session, region_key, year, period)
    return next((row for row in rows if fund is None or row["fund"] == fund), None)


@dataclass(frozen=True)
class Download:
    """A revision as a file: its name (without extension) and its rows."""

    stem: str
    rows: list[dict[str, Any]]
    # The JSON download: the same figures, with the revision history.
    document: dict[str, Any]


def get_download(session: Session, disclosure_id: int, number: int | None) -> Download | None:
    """Return a revision (None: the one in force) as the CSV and JSON downloads carry it."""
    found = get_revision(session, disclosure_id, number)
    if found is None:
        return None
    disclosure, revision = found
    document = {
        "id": disclosure.id,
        "region": {"code": disclosure.region_key, "name": disclosure.region_label("zh")},
        "year": disclosure.year,
        "period": disclosure.period,
        "period_name": chinese_period_name(disclosure.year, disclosure.period),
        "unit": UNIT_NAMES[revision.unit],
        "source": revision.source,
        "revision": revision.number,
        "revisions": revision_history(disclosure),
        "funds": fund_records(disclosure, revision),
    }
    stem = f"disclosure-{disclosure.region_key}-{disclosure.year}{disclosure.period}-r{revision.number}"
    return Download(stem, revision_rows(disclosure, revision), document)


def revision_history(disclosure: Disclosure) -> list[dict[str, Any]]:
    """Return every revision's number, time and note, oldest first."""
    return [
        {"number": r.number, "published_at": r.created_at.isoformat(), "change_note": r.change_note}
        for r in disclosure.revisions
    ]
