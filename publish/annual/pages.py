"""An annual report as its page, the publisher's preview and the PDF show it: one frozen view of the snapshot.

Everything comes from the snapshot frozen when the report was prepared (docs/domain.md
§15), so the page and the PDF show the same figures; the charts are drawn from it by the
project's chart code (publish/disclosures/charts.py), the same SVG on the page and in the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context, url_for
from flask_babel import gettext as _

from intake.catalog import PARTY_KINDS
from portal.web import absolute_url, external_url
from publish.annual.models import AnnualReport, AnnualStatus
from publish.catalog import period_name
from publish.disclosures.charts import Chart, Point, bar_chart
from publish.performance.metrics import METRICS_BY_NAME as OFFICE_METRICS
from publish.stats.metrics import KIND_METRICS, METRICS, Metric

METRIC_BY_NAME = {m.name: m for m in (*METRICS, *KIND_METRICS)}


def absolute(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of `endpoint`, in a request or without one (the demo publishes)."""
    if has_request_context():
        return external_url(endpoint, **values)
    return absolute_url(endpoint, {key: str(value) for key, value in values.items()})


@dataclass(frozen=True)
class Cell:
    """One figure: its metric, its value (None: nothing to measure), and whether it is hidden (§5)."""

    metric: Metric
    value: Any
    suppressed: bool


@dataclass(frozen=True)
class Row:
    """A row of a table: its heading and its cells."""

    key: str
    heading: str
    cells: tuple[Cell, ...]
    # In the table of offices: "own" (the region's own office), "region" (one below) or "total".
    kind: str = ""


@dataclass(frozen=True)
class Entry:
    """A typical case or a penalty published in the year, as the report lists it."""

    id: int
    title: str
    date: str
    region: str
    amounts: tuple[tuple[str, str], ...]
    link: str
    detail: str = ""


@dataclass(frozen=True)
class Version:
    """A published version of the report, for the list of versions."""

    number: int
    published_at: datetime | None
    note: str
    link: str
    current: bool


@dataclass(frozen=True)
class AnnualView:
    """Everything an annual report's page, preview and PDF show."""

    id: int
    code: str
    year: int
    version: int
    status: str
    region_name: str
    period: str
    threshold: int
    prepared_at: datetime
    published_at: datetime | None
    change_note: str
    figures: tuple[Cell, ...]
    office_columns: tuple[Metric, ...]
    offices: tuple[Row, ...]
    by_kind_columns: tuple[Metric, ...]
    by_kind: tuple[Row, ...]
    charts: tuple[Chart, ...]
    cases: tuple[Entry, ...]
    penalties: tuple[Entry, ...]

    @property
    def title(self) -> str:
        """Return the report's title in the page's language."""
        return str(
            _(
                "%(region)s annual report on fund supervision, %(year)d",
                region=self.region_name,
                year=self.year,
            )
        )


def _cells(
    names: list[str],
    values: dict[str, Any],
    suppressed: list[str],
    metrics: Mapping[str, Metric] = METRIC_BY_NAME,
) -> tuple[Cell, ...]:
    return tuple(
        Cell(metrics[name], _number(values.get(name)), name in suppressed) for name in names
    )


def _number(value: Any) -> Any:
    # Amounts were frozen as exact decimal strings.
    return Decimal(value) if isinstance(value, str) else value


def _yuan(value: str | None) -> str:
    return "" if value is None else f"{Decimal(value):,.2f}"


def _charts(offices: tuple[Row, ...], by_kind: tuple[Row, ...], period: str) -> tuple[Chart, ...]:
    def value(row: Row, name: str) -> Decimal:
        cell = next(c for c in row.cells if c.metric.name == name)
        return Decimal(0) if cell.suppressed or cell.value is None else Decimal(cell.value)

    hidden = _("Hidden counts are drawn as zero; the tables mark them.")
    return (
        bar_chart(
            [
                Point(r.heading, value(r, "received"), value(r, "closed"), None)
                for r in offices
                if r.kind != "total"
            ],
            _("Reports received and closed by office, %(period)s", period=period),
            _("Two bars for each office: received first, closed second.") + " " + hidden,
            (_("Received reports"), _("Closed reports")),
            category=_("Office"),
            whole=True,
        ),
        bar_chart(
            [Point(r.heading, value(r, "reports"), value(r, "founded"), None) for r in by_kind],
            _("Reports and founded cases by kind of party, %(period)s", period=period),
            _("Two bars for each kind of party: reports first, founded cases second.")
            + " "
            + hidden,
            (_("Received reports"), _("Founded cases")),
            category=_("Kind of party"),
            whole=True,
        ),
    )


def annual_view(report: AnnualReport, language: str, *, external: bool = False) -> AnnualView:
    """Return the view of `report` in `language` ("zh" or "en"); `external` links absolutely (the PDF)."""
    data = report.snapshot
    link: Callable[..., str] = absolute if external else url_for
    regions = data["regions"]

    def name(code: str) -> str:
        return str(regions[code][f"name_{language}"])

    def label(code: str) -> str:
        return str(regions[code][f"label_{language}"])

    period = period_name(report.year, "Y")
    figures = data["figures"]
    office_names = list(data["offices"]["columns"])

    def office_heading(row: dict[str, Any]) -> str:
        # As /performance names its rows: the region's own office (本级), a region below, the total.
        kind = row.get("kind", "region")
        if kind == "own":
            return str(_("%(region)s, own office", region=name(row["code"])))
        if kind == "total":
            return str(_("%(region)s, total", region=name(row["code"])))
        return name(row["code"])

    offices = tuple(
        Row(
            row["code"],
            office_heading(row),
            _cells(office_names, row["values"], row["suppressed"], OFFICE_METRICS),
            row.get("kind", "region"),
        )
        for row in data["offices"]["rows"]
    )
    kind_labels = {c.code: str(c.label) for c in PARTY_KINDS}
    kind_names = [m.name for m in KIND_METRICS]
    by_kind = tuple(
        Row(
            row["kind"],
            kind_labels.get(row["kind"], row["kind"]),
            _cells(kind_names, row["values"], row["suppressed"]),
        )
        for row in data["by_party_kind"]
    )
    cases = tuple(
        Entry(
            c["id"],
            c["title"],
            c["published_on"] or "",
            label(c["region_code"]),
            tuple(
                (str(words), _yuan(c[key]))
                for key, words in (("amount", _("Amount involved")), ("fine_amount", _("Fine")))
                if c[key] is not None
            ),
            link("cases.show_case", case_id=c["id"]),
            c["subject_name"],
        )
        for c in data["cases"]
    )
    penalties = tuple(
        Entry(
            p["id"],
            p["subject_name"],
            p["published_on"] or "",
            label(p["region_code"]),
            tuple(
                (str(words), _yuan(p[key]))
                for key, words in (
                    ("returned_amount", _("Ordered returned")),
                    ("fine_amount", _("Fine")),
                )
                if p[key] is not None
            ),
            link("penalties.show_penalty", penalty_id=p["id"]),
            f"{p['deciding_office']} {p['decision_number']} · {p['decided_on']}",
        )
        for p in data["penalties"]
    )
    return AnnualView(
        id=report.id,
        code=report.region.code,
        year=report.year,
        version=report.version,
        status=report.status.value,
        region_name=name(data["region"]["code"]),
        period=period,
        threshold=int(data["threshold"]),
        prepared_at=report.prepared_at,
        published_at=report.published_at,
        change_note=report.change_note,
        figures=_cells([m.name for m in METRICS], figures["values"], figures["suppressed"]),
        office_columns=tuple(OFFICE_METRICS[n] for n in office_names),
        offices=offices,
        by_kind_columns=tuple(KIND_METRICS),
        by_kind=by_kind,
        charts=_charts(offices, by_kind, period),
        cases=cases,
        penalties=penalties,
    )


def version_lines(versions: list[AnnualReport], *, external: bool = False) -> tuple[Version, ...]:
    """Return the published versions of a report for its page: each with its note and link."""
    link: Callable[..., str] = absolute if external else url_for
    return tuple(
        Version(
            v.version,
            v.published_at,
            v.change_note,
            link("annual.show_version", code=v.region.code, year=v.year, version=v.version),
            v.status is AnnualStatus.PUBLISHED,
        )
        for v in versions
    )
