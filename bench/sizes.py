"""The bench's sizes (`make bench BENCH_SIZE=200k|1m|2m`): reports, and everything that
grows with them scaled by the same factor.

Published cases are one for every 20 reports, published penalty decisions one for every
100 (bench/penalties.py); the directory has 125 institutions per city and county at 200k,
scaled alike. Fund disclosures do not scale: there is one per owner
(the country, each province and city) per period, so they grow with the regions and the
years, not with the reports, and the demo tree's nine owners over 2018–2025 (360) are what
a portal of any size holds for them; the disclosure page reads one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.institutions import PER_REGION

BASE_REPORTS = 200_000


@dataclass(frozen=True)
class Size:
    """One size of the bench's data set."""

    name: str
    reports: int
    cases: int
    per_region: int


def size_of(reports: int, name: str = "") -> Size:
    """Return the size with `reports` reports, the rest scaled from 200k."""
    factor = reports / BASE_REPORTS
    return Size(
        name=name or f"{reports}",
        reports=reports,
        cases=reports // 20,
        per_region=max(1, round(PER_REGION * factor)),
    )


SIZES = {
    name: size_of(reports, name)
    for name, reports in (("200k", 200_000), ("1m", 1_000_000), ("2m", 2_000_000))
}
