"""Checking a disclosure file (docs/domain.md §5): every row, every sum, and nothing saved if any is wrong.

`read_table` reads a CSV or XLSX file into rows of text and `parse_rows` checks them all;
both raise `ImportRefused` listing every problem found, each with its row, column and
the numbers that did not add up, so a publisher corrects the whole file at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from portal import tablefiles
from portal.errors import OperationError, message_for
from portal.jurisdictions.models import Region, get_region_by_code
from publish.catalog import FUND_CODES, UNIT_ALIASES, valid_period
from publish.disclosures.columns import (
    COLUMN_NAMES,
    COLUMNS,
    EXPENDITURE_PARTS,
    INCOME_PARTS,
)
from publish.disclosures.models import NATIONAL_CODE

MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: where, a code for the message, and its numbers."""

    row: int  # 1 = the header line; 0 = the file as a whole
    column: str
    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> str:
        """Return what is wrong, in the page's language (words: publish/messages.py)."""
        return message_for(f"import_{self.code}", **self.params)


class ImportRefused(OperationError):
    """The file has problems and nothing was saved; `problems` lists every one."""

    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("import_refused")
        self.problems = problems


def problems_of(error: OperationError) -> list[Problem]:
    """Return the problems of a refused import (none for any other refusal)."""
    return error.problems if isinstance(error, ImportRefused) else []


@dataclass
class ParsedLine:
    """One valid row, ready to save."""

    row: int
    region: Region | None  # None: national
    year: int
    period: str
    fund: str
    unit: str
    source: str
    figures: dict[str, Any]


def read_table(filename: str, data: bytes) -> list[dict[str, str]]:
    """Read a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file into rows of text."""
    try:
        table = tablefiles.read_table(filename, data)
    except tablefiles.UnreadableTable as exc:
        raise ImportRefused([Problem(0, "", exc.code)]) from exc
    missing = [c for c in COLUMN_NAMES if c not in table.header]
    if missing:
        raise ImportRefused([Problem(1, c, "missing_column") for c in missing])
    if len(table.rows) > MAX_ROWS:
        raise ImportRefused([Problem(0, "", "too_many_rows", {"max": str(MAX_ROWS)})])
    if not table.rows:
        raise ImportRefused([Problem(0, "", "empty")])
    return [cells for _number, cells in table.rows]


def _money(text: str) -> Decimal | None:
    if text == "":
        return None
    value = Decimal(text.replace(",", "").replace("，", ""))
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise InvalidOperation
    if value != value.quantize(Decimal("0.01")):
        raise InvalidOperation
    return value.quantize(Decimal("0.01"))


def _fmt(value: Decimal) -> str:
    return f"{value:,.2f}"


def parse_rows(session: Session, rows: list[dict[str, str]]) -> list[ParsedLine]:
    """Check every row and return them parsed, or raise ImportRefused listing every problem."""
    problems: list[Problem] = []
    parsed: list[ParsedLine] = []
    regions: dict[str, Region | None] = {}
    for index, row in enumerate(rows, start=2):
        before = len(problems)

        def bad(column: str, code: str, _row: int = index, **params: str) -> None:
            problems.append(Problem(_row, column, code, params))

        code = row["region_code"]
        if code not in regions and code != NATIONAL_CODE:
            regions[code] = get_region_by_code(session, code)
        region = None if code == NATIONAL_CODE else regions[code]
        if region is None and code != NATIONAL_CODE:
            bad("region_code", "unknown_region", value=code)
        year = (
            int(row["year"]) if row["year"].isdigit() and 1990 <= int(row["year"]) <= 2100 else None
        )
        if year is None:
            bad("year", "year", value=row["year"])
        period = row["period"].upper()
        if not valid_period(period):
            bad("period", "period", value=row["period"])
        if row["fund"] not in FUND_CODES:
            bad("fund", "fund", value=row["fund"])
        unit = UNIT_ALIASES.get(row["unit"])
        if unit is None:
            bad("unit", "unit", value=row["unit"])
        if not row["source"]:
            bad("source", "required")
        figures: dict[str, Any] = {}
        for name, required, kind in COLUMNS:
            if kind not in {"money", "count"}:
                continue
            text = row.get(name, "")
            if required and text == "":
                bad(name, "required")
                continue
            try:
                if kind == "money":
                    figures[name] = _money(text)
                else:
                    figures[name] = int(text.replace(",", "")) if text else None
                    if figures[name] is not None and figures[name] < 0:
                        raise ValueError
            except (InvalidOperation, ValueError):
                bad(name, "number", value=text)
        if len(problems) == before:
            problems.extend(_arithmetic(index, figures))
        if len(problems) == before:
            assert year is not None and unit is not None
            parsed.append(
                ParsedLine(index, region, year, period, row["fund"], unit, row["source"], figures)
            )
    problems.extend(_consistency(parsed))
    if problems:
        raise ImportRefused(problems)
    return parsed


def _arithmetic(row: int, f: dict[str, Any]) -> list[Problem]:
    """Check that the figures of one fund add up (docs/domain.md §5)."""
    found = []
    for parts, total in ((INCOME_PARTS, "income_total"), (EXPENDITURE_PARTS, "expenditure_total")):
        given = [f[p] for p in parts if f.get(p) is not None]
        if given and sum(given) != f[total]:
            found.append(
                Problem(
                    row,
                    total,
                    "parts",
                    {
                        "parts": " + ".join(_fmt(g) for g in given),
                        "sum": _fmt(sum(given)),
                        "total": _fmt(f[total]),
                    },
                )
            )
    difference = f["income_total"] - f["expenditure_total"]
    if difference != f["balance_current"]:
        found.append(
            Problem(
                row,
                "balance_current",
                "balance",
                {
                    "income": _fmt(f["income_total"]),
                    "expenditure": _fmt(f["expenditure_total"]),
                    "difference": _fmt(difference),
                    "stated": _fmt(f["balance_current"]),
                },
            )
        )
    previous, accumulated = f.get("balance_accumulated_previous"), f.get("balance_accumulated")
    if (previous is None) != (accumulated is None):
        found.append(Problem(row, "balance_accumulated", "accumulated_pair"))
    elif (
        previous is not None
        and accumulated is not None
        and (previous + f["balance_current"] != accumulated)
    ):
        found.append(
            Problem(
                row,
                "balance_accumulated",
                "accumulated",
                {
                    "previous": _fmt(previous),
                    "current": _fmt(f["balance_current"]),
                    "sum": _fmt(previous + f["balance_current"]),
                    "stated": _fmt(accumulated),
                },
            )
        )
    return found


def region_key(region: Region | None) -> str:
    """Return the key a disclosure of `region` is stored under (national figures: 100000)."""
    return NATIONAL_CODE if region is None else region.code


def _consistency(lines: list[ParsedLine]) -> list[Problem]:
    """One unit and source per disclosure, each fund once."""
    found = []
    seen: dict[tuple[str, int, str], ParsedLine] = {}
    funds: set[tuple[str, int, str, str]] = set()
    for line in lines:
        key = (region_key(line.region), line.year, line.period)
        first = seen.setdefault(key, line)
        if line.unit != first.unit:
            found.append(Problem(line.row, "unit", "mixed_unit", {"first": str(first.row)}))
        if (*key, line.fund) in funds:
            found.append(Problem(line.row, "fund", "duplicate_fund", {"value": line.fund}))
        funds.add((*key, line.fund))
    return found
