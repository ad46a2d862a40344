"""The disclosure file format (docs/domain.md §5): its columns, and a revision as rows of it.

Imports, downloads and the template share these columns, one row per fund of a region
and period, so a downloaded file imports back unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from portal.csvfiles import csv_bytes
from publish.catalog import UNIT_NAMES
from publish.disclosures.models import Disclosure, DisclosureRevision

# The import columns, in template order. (name, required, kind)
COLUMNS: tuple[tuple[str, bool, str], ...] = (
    ("region_code", True, "code"),
    ("year", True, "year"),
    ("period", True, "period"),
    ("fund", True, "fund"),
    ("unit", True, "unit"),
    ("income_contributions", False, "money"),
    ("income_fiscal_subsidy", False, "money"),
    ("income_interest", False, "money"),
    ("income_other", False, "money"),
    ("income_total", True, "money"),
    ("expenditure_inpatient", False, "money"),
    ("expenditure_outpatient", False, "money"),
    ("expenditure_other", False, "money"),
    ("expenditure_total", True, "money"),
    ("balance_current", True, "money"),
    ("balance_accumulated_previous", False, "money"),
    ("balance_accumulated", False, "money"),
    ("insured_persons", False, "count"),
    ("beneficiaries", False, "count"),
    ("source", True, "text"),
)


COLUMN_NAMES = tuple(c[0] for c in COLUMNS)


FIGURES = tuple(name for name, _, kind in COLUMNS if kind in {"money", "count"})


INCOME_PARTS = ("income_contributions", "income_fiscal_subsidy", "income_interest", "income_other")


EXPENDITURE_PARTS = ("expenditure_inpatient", "expenditure_outpatient", "expenditure_other")


# The columns a row repeats for every fund; the JSON answers state them once.
_SHARED = frozenset({"region_code", "year", "period", "unit", "source"})


TEMPLATE_ROWS: tuple[dict[str, str], ...] = (
    {
        "region_code": "640000",
        "year": "2025",
        "period": "Y",
        "fund": "all",
        "unit": "亿元",
        "income_contributions": "",
        "income_fiscal_subsidy": "",
        "income_interest": "",
        "income_other": "",
        "income_total": "100.00",
        "expenditure_inpatient": "",
        "expenditure_outpatient": "",
        "expenditure_other": "",
        "expenditure_total": "80.00",
        "balance_current": "20.00",
        "balance_accumulated_previous": "50.00",
        "balance_accumulated": "70.00",
        "insured_persons": "",
        "beneficiaries": "",
        "source": "示例：某医保局基金决算报告",
    },
)


def template_csv() -> bytes:
    """Return the import template: the header and one example row, UTF-8 with BOM."""
    return to_csv(list(TEMPLATE_ROWS))


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """Return rows in the import format as CSV, UTF-8 with a BOM, safe in spreadsheets."""
    return csv_bytes(COLUMN_NAMES, rows)


def revision_rows(disclosure: Disclosure, revision: DisclosureRevision) -> list[dict[str, Any]]:
    """Return a revision as rows of the import format (what the downloads carry)."""
    unit = UNIT_NAMES[revision.unit]
    return [
        {
            "region_code": disclosure.region_key,
            "year": disclosure.year,
            "period": disclosure.period,
            "fund": line.fund,
            "unit": unit,
            **{name: getattr(line, name) for name in FIGURES},
            "source": revision.source,
        }
        for line in revision.lines
    ]


def fund_records(disclosure: Disclosure, revision: DisclosureRevision) -> list[dict[str, Any]]:
    """Return each fund's figures of a revision for JSON, amounts as exact strings."""
    return [
        {k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items() if k not in _SHARED}
        for row in revision_rows(disclosure, revision)
    ]
