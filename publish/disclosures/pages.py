"""The public page of one disclosure, assembled as a frozen record of what it shows.

`disclosure_view` gathers a revision's table, its history and two SVG charts of the
same fund over every period of the same kind (years with years, quarters with
quarters), drawn in 亿元 whatever unit each period was published in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.web import page_language
from publish.catalog import FUNDS
from publish.disclosures.charts import Chart, Point, bar_chart, line_chart
from publish.disclosures.columns import FIGURES
from publish.disclosures.models import Disclosure, DisclosureRevision
from publish.disclosures.queries import get_revision, series_for

# Line items shown as money (the others are counts of people).
MONEY_ITEMS = frozenset(FIGURES) - {"insured_persons", "beneficiaries"}


@dataclass(frozen=True)
class FigureRow:
    """One line item across the revision's funds; None where a fund does not state it."""

    item: str
    money: bool
    values: tuple[Decimal | int | None, ...]


@dataclass(frozen=True)
class RevisionLine:
    """One revision in the history list."""

    number: int
    created_at: datetime
    change_note: str


@dataclass(frozen=True)
class DisclosureView:
    """Everything the page of one revision of a disclosure shows."""

    id: int
    region_label: str
    year: int
    period: str
    number: int
    is_current: bool
    unit: str
    source: str
    created_at: datetime
    change_note: str
    funds: tuple[str, ...]
    # Only the line items that at least one fund states.
    rows: tuple[FigureRow, ...]
    bars: Chart
    balance: Chart | None
    revisions: tuple[RevisionLine, ...]


def _in_yi(value: Decimal | None, unit: str) -> Decimal | None:
    # Charts compare periods that may be published in different units: draw in 亿元.
    if value is None:
        return None
    return value / 10000 if unit == "wan" else value


def _charts(
    session: Session, disclosure: Disclosure, fund: str, region: str
) -> tuple[Chart, Chart | None]:
    points = [
        Point(
            label,
            _in_yi(line.income_total, line.revision.unit) or Decimal(0),
            _in_yi(line.expenditure_total, line.revision.unit) or Decimal(0),
            _in_yi(line.balance_accumulated, line.revision.unit),
        )
        for label, line in series_for(session, disclosure, fund)
    ]
    fund_label = str(next(f.label for f in FUNDS if f.code == fund))
    bars = bar_chart(
        points,
        _(
            "Income and expenditure by period, %(region)s, %(fund)s (100 million yuan)",
            region=region,
            fund=fund_label,
        ),
        _(
            "Two bars for each period: income first, expenditure second. The figures are in the table below the chart."
        ),
        (_("Income"), _("Expenditure")),
        category=_("Period"),
    )
    balance = line_chart(
        points,
        _(
            "Accumulated balance over time, %(region)s, %(fund)s (100 million yuan)",
            region=region,
            fund=fund_label,
        ),
        _(
            "One point per period that states its accumulated balance. The figures are in the table below the chart."
        ),
        _("Accumulated balance"),
        category=_("Period"),
    )
    return bars, balance


def _rows(revision: DisclosureRevision) -> tuple[FigureRow, ...]:
    rows = []
    for item in FIGURES:
        values = tuple(getattr(line, item) for line in revision.lines)
        if any(v is not None for v in values):
            rows.append(FigureRow(item, item in MONEY_ITEMS, values))
    return tuple(rows)


def disclosure_view(
    session: Session, disclosure_id: int, number: int | None = None
) -> DisclosureView | None:
    """Return the page of revision `number` of a disclosure (None: the one in force), if any."""
    found = get_revision(session, disclosure_id, number)
    if found is None:
        return None
    disclosure, revision = found
    region = disclosure.region_label(page_language())
    bars, balance = _charts(
        session, disclosure, revision.lines[0].fund if revision.lines else "all", region
    )
    return DisclosureView(
        id=disclosure.id,
        region_label=region,
        year=disclosure.year,
        period=disclosure.period,
        number=revision.number,
        is_current=revision.id == disclosure.current.id,
        unit=revision.unit,
        source=revision.source,
        created_at=revision.created_at,
        change_note=revision.change_note,
        funds=tuple(line.fund for line in revision.lines),
        rows=_rows(revision),
        bars=bars,
        balance=balance,
        revisions=tuple(
            RevisionLine(r.number, r.created_at, r.change_note) for r in disclosure.revisions
        ),
    )
