"""What the home page shows of the published record: latest cases, disclosures, headline figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from publish.cases import CaseFilters, list_published
from publish.models import Disclosure, DisclosureRevision, TypicalCase
from publish.stats import headline_totals


@dataclass(frozen=True)
class Headline:
    """This year's totals over all provinces, suppressed like every statistic."""

    year: int
    received: int | None
    closed: int | None


@dataclass(frozen=True)
class HomeContent:
    """The published content the home page lists."""

    cases: list[TypicalCase]
    disclosures: list[Disclosure]
    headline: Headline


def home_content(session: Session, year: int, threshold: int) -> HomeContent:
    """Return the five newest cases and disclosures and this year's headline figures."""
    cases, _ = list_published(session, CaseFilters(), per_page=5, with_total=False)
    disclosures = list(
        session.scalars(
            select(Disclosure)
            .options(
                selectinload(Disclosure.region),
                selectinload(Disclosure.revisions).selectinload(DisclosureRevision.lines),
            )
            .order_by(Disclosure.updated_at.desc(), Disclosure.id.desc())
            .limit(5)
        )
    )
    totals = headline_totals(session, year, threshold)
    return HomeContent(cases, disclosures, Headline(year, totals["received"], totals["closed"]))
