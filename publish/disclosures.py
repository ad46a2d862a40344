"""Fund disclosures: the import format, its arithmetic checks, revisions and queries.

An import is all or nothing: every row is parsed and checked first (income − expenditure
= current balance; previous accumulated + current = new accumulated; the parts add up to
their totals, domain.md §5), and only a file without a single problem is saved. A figure
that changes an existing disclosure becomes a new revision with a visible change note;
the old revisions stay readable.
"""

from __future__ import annotations

import csv
import io
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal import audit
from portal.csvfiles import csv_bytes, restore_cell
from portal.db import utcnow
from portal.models import Region, get_region_by_code
from publish.catalog import FUND_CODES, UNIT_ALIASES, valid_period
from publish.models import NATIONAL_CODE, Disclosure, DisclosureRevision, FundLine

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
MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: where, a code for the message, and its numbers."""

    row: int  # 1 = the header line; 0 = the file as a whole
    column: str
    code: str
    params: dict[str, str] = field(default_factory=dict)


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


class ImportRefused(Exception):
    """The file has problems; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def read_table(filename: str, data: bytes) -> list[dict[str, str]]:
    """Read a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file into rows of text."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused([Problem(0, "", "encoding")])
    reader = csv.DictReader(io.StringIO(text))
    return _normalise(reader.fieldnames or [], list(reader))


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportRefused([Problem(0, "", "unreadable")]) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
    body = []
    for values in rows:
        body.append({h: "" if v is None else str(v) for h, v in zip(header, values, strict=False)})
    book.close()
    return _normalise(header, body)


def _normalise(header: list[str], rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    names = [h.strip() for h in header if h is not None]
    missing = [c for c in COLUMN_NAMES if c not in names]
    if missing:
        raise ImportRefused([Problem(1, c, "missing_column") for c in missing])
    if len(rows) > MAX_ROWS:
        raise ImportRefused([Problem(0, "", "too_many_rows", {"max": str(MAX_ROWS)})])
    if not rows:
        raise ImportRefused([Problem(0, "", "empty")])
    # A file downloaded here carries a quote before text that looks like a formula
    # (portal/csvfiles.py); it is taken off, so the download imports back unchanged.
    return [
        {k.strip(): restore_cell((v or "").strip()).strip() for k, v in row.items() if k}
        for row in rows
    ]


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
    """Check that the figures of one fund add up (domain.md §5)."""
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
    elif previous is not None and previous + f["balance_current"] != accumulated:
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


def _key(region: Region | None) -> str:
    return NATIONAL_CODE if region is None else region.code


def _consistency(lines: list[ParsedLine]) -> list[Problem]:
    """One unit and source per disclosure, each fund once."""
    found = []
    seen: dict[tuple[str, int, str], ParsedLine] = {}
    funds: set[tuple[str, int, str, str]] = set()
    for line in lines:
        key = (_key(line.region), line.year, line.period)
        first = seen.setdefault(key, line)
        if line.unit != first.unit:
            found.append(Problem(line.row, "unit", "mixed_unit", {"first": str(first.row)}))
        if (*key, line.fund) in funds:
            found.append(Problem(line.row, "fund", "duplicate_fund", {"value": line.fund}))
        funds.add((*key, line.fund))
    return found


@dataclass(frozen=True)
class ImportResult:
    """What an import changed."""

    created: int
    revised: int
    unchanged: int


def _snapshot(lines: list[dict[str, Any]] | list[FundLine], unit: str, source: str) -> str:
    def row(item: Any) -> dict[str, str]:
        get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
        return {k: "" if get(k) is None else str(get(k)) for k in ("fund", *FIGURES)}

    return json.dumps(
        {
            "unit": unit,
            "source": source,
            "lines": sorted((row(x) for x in lines), key=lambda r: r["fund"]),
        },
        sort_keys=True,
    )


def import_disclosures(
    session: Session, rows: list[dict[str, str]], *, change_note: str, actor_id: int | None
) -> ImportResult:
    """Save every disclosure of a checked file; refuse everything if any row is wrong."""
    parsed = parse_rows(session, rows)
    groups: OrderedDict[tuple[str, int, str], list[ParsedLine]] = OrderedDict()
    for line in parsed:
        groups.setdefault((_key(line.region), line.year, line.period), []).append(line)
    plans = []
    for (region_key, year, period), lines in groups.items():
        existing = session.scalar(
            select(Disclosure).where(
                Disclosure.region_key == region_key,
                Disclosure.year == year,
                Disclosure.period == period,
            )
        )
        new = [{"fund": ln.fund, **ln.figures} for ln in lines]
        if existing is not None:
            current = existing.current
            if _snapshot(current.lines, current.unit, current.source) == _snapshot(
                new, lines[0].unit, lines[0].source
            ):
                plans.append((existing, None))
                continue
            if not change_note.strip():
                # A correction is never silent (issue 4 §1).
                raise ImportRefused(
                    [Problem(lines[0].row, "", "needs_note", {"year": str(year), "period": period})]
                )
        plans.append((existing, lines))
    created = revised = unchanged = 0
    now = utcnow()
    for existing, lines in plans:
        if lines is None:
            unchanged += 1
            continue
        disclosure = existing or Disclosure(
            region=lines[0].region,
            region_key=_key(lines[0].region),
            year=lines[0].year,
            period=lines[0].period,
        )
        if existing is None:
            session.add(disclosure)
            created += 1
        else:
            revised += 1
        disclosure.updated_at = now
        revision = DisclosureRevision(
            number=len(disclosure.revisions) + 1,
            unit=lines[0].unit,
            source=lines[0].source[:300],
            change_note=change_note.strip() if existing is not None else "",
            created_by_id=actor_id,
            created_at=now,
            lines=[FundLine(position=i, fund=ln.fund, **ln.figures) for i, ln in enumerate(lines)],
        )
        disclosure.revisions.append(revision)
    session.flush()
    audit.record(
        session,
        "disclosure.imported",
        actor=f"staff:{actor_id}" if actor_id else "cli",
        details={"created": created, "revised": revised, "unchanged": unchanged},
    )
    return ImportResult(created, revised, unchanged)


def template_csv() -> bytes:
    """Return the import template: the header and one example row, UTF-8 with BOM."""
    example = {
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
    }
    return to_csv([example])


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """Return rows in the import format as CSV, UTF-8 with a BOM, safe in spreadsheets."""
    return csv_bytes(COLUMN_NAMES, rows)


def revision_rows(disclosure: Disclosure, revision: DisclosureRevision) -> list[dict[str, Any]]:
    """Return a revision as rows of the import format (what the downloads carry)."""
    unit = {"wan": "万元", "yi": "亿元"}[revision.unit]
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
            label = str(d.year) if d.period == "Y" else f"{d.year}{d.period}"
            series.append((label, line))
    return series
