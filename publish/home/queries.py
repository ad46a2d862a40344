"""The home page's content: the latest cases and disclosures, and a year's headline figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from publish.cases.models import TypicalCase
from publish.cases.queries import CaseFilters, list_published
from publish.disclosures.models import Disclosure
from publish.disclosures.queries import list_recent_disclosures
from publish.stats.compute import headline_totals

LATEST = 5


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
    cases, _ = list_published(session, CaseFilters(), per_page=LATEST, with_total=False)
    totals = headline_totals(session, year, threshold)
    return HomeContent(
        cases,
        list_recent_disclosures(session, LATEST),
        Headline(year, totals["received"], totals["closed"]),
    )
