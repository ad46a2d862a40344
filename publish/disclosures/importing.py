"""Importing fund disclosures (docs/domain.md §5): all or nothing, and every correction a new revision.

The operations of the disclosure office: a file (`import_disclosure_file`), one fund entered in a
form (`save_disclosure_line`) and the rows of either (`import_disclosures`, also used by
`seed-demo`) are checked whole by `publish/disclosures/checks.py`; a refused import
raises `ImportRefused` with every problem and saves nothing. Figures that change what is
published become a new revision with the publisher's note; the old one stays readable.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from portal import audit
from portal.db import utcnow
from publish.disclosures.checks import (
    ImportRefused,
    ParsedLine,
    Problem,
    parse_rows,
    read_table,
    region_key,
)
from publish.disclosures.columns import COLUMN_NAMES, FIGURES, template_csv
from publish.disclosures.models import Disclosure, DisclosureRevision, FundLine
from publish.disclosures.queries import find_disclosure, list_fund_rows

log = logging.getLogger(__name__)

# What tests and commands import from here, wherever it is defined.
__all__ = [
    "COLUMN_NAMES",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "import_disclosures",
    "import_disclosure_file",
    "read_table",
    "save_disclosure_line",
    "template_csv",
]


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


Plan = tuple[Disclosure | None, list[ParsedLine] | None]


def _plan(session: Session, parsed: list[ParsedLine], change_note: str) -> list[Plan]:
    """Pair each disclosure of the file with what exists: (existing, lines; None if unchanged)."""
    groups: OrderedDict[tuple[str, int, str], list[ParsedLine]] = OrderedDict()
    for line in parsed:
        groups.setdefault((region_key(line.region), line.year, line.period), []).append(line)
    plans: list[Plan] = []
    for (key, year, period), lines in groups.items():
        existing = find_disclosure(session, key, year, period)
        if existing is not None:
            current = existing.current
            new = [{"fund": ln.fund, **ln.figures} for ln in lines]
            if _snapshot(current.lines, current.unit, current.source) == _snapshot(
                new, lines[0].unit, lines[0].source
            ):
                plans.append((existing, None))
                continue
            if not change_note.strip():
                # A correction is never silent: readers see why the figures changed.
                raise ImportRefused(
                    [Problem(lines[0].row, "", "needs_note", {"year": str(year), "period": period})]
                )
        plans.append((existing, lines))
    return plans


def import_disclosures(
    session: Session, rows: list[dict[str, str]], *, change_note: str, actor_id: int | None
) -> ImportResult:
    """Save every disclosure of a checked file; refuse everything if any row is wrong."""
    plans = _plan(session, parse_rows(session, rows), change_note)
    created = revised = unchanged = 0
    now = utcnow()
    for existing, lines in plans:
        if lines is None:
            unchanged += 1
            continue
        disclosure = existing or Disclosure(
            region=lines[0].region,
            region_key=region_key(lines[0].region),
            year=lines[0].year,
            period=lines[0].period,
        )
        if existing is None:
            session.add(disclosure)
            created += 1
        else:
            revised += 1
        disclosure.updated_at = now
        disclosure.revisions.append(
            DisclosureRevision(
                number=len(disclosure.revisions) + 1,
                unit=lines[0].unit,
                source=lines[0].source[:300],
                change_note=change_note.strip() if existing is not None else "",
                created_by_id=actor_id,
                created_at=now,
                lines=[
                    FundLine(position=i, fund=ln.fund, **ln.figures) for i, ln in enumerate(lines)
                ],
            )
        )
    session.flush()
    counts = {"created": created, "revised": revised, "unchanged": unchanged}
    actor = f"staff:{actor_id}" if actor_id else "cli"
    audit.record(session, "disclosure.imported", actor=actor, details=counts)
    log.info("disclosures imported by %s: %s", actor, counts)
    return ImportResult(created, revised, unchanged)


def import_disclosure_file(
    session: Session, filename: str, data: bytes, *, change_note: str, actor_id: int | None
) -> ImportResult:
    """Read a CSV or XLSX file and import every row of it, or nothing."""
    return import_disclosures(
        session, read_table(filename, data), change_note=change_note, actor_id=actor_id
    )


def save_disclosure_line(
    session: Session, row: dict[str, str], *, change_note: str, actor_id: int | None
) -> ImportResult:
    """Save one fund of one disclosure, keeping the other funds of the revision in force."""
    row = {name: (row.get(name) or "").strip() for name in COLUMN_NAMES}
    year = int(row["year"]) if row["year"].isdigit() else 0
    others = [
        other
        for other in list_fund_rows(session, row["region_code"], year, row["period"].upper())
        if other["fund"] != row["fund"]
    ]
    return import_disclosures(session, [row, *others], change_note=change_note, actor_id=actor_id)
