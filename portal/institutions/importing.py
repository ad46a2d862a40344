"""Importing the official list of institutions (docs/domain.md §8): all or nothing, by code.

A file (CSV in UTF-8 or GB18030, or XLSX; `portal/tablefiles.py`) is checked whole first:
every row's problems are listed with its row number and nothing is saved if there is any.
Otherwise each row creates the institution of its code or updates it; a renamed
institution keeps its former name. Rows are matched by code only, never by name, so a row
never merges two institutions and never gives one institution another's code. The import
is audited once, with its counts and the file's SHA-256.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, tablefiles
from portal.errors import OperationError, message_for
from portal.institutions.catalog import (
    KIND_WORDS,
    LEVEL_WORDS,
    OWNERSHIP_WORDS,
    STATUS_WORDS,
    value_of,
)
from portal.institutions.codes import InstitutionError, code_is_well_formed, region_part
from portal.institutions.columns import COLUMNS, HEADERS, column_of
from portal.institutions.models import AgreementStatus, Institution
from portal.institutions.operations import (
    InstitutionFields,
    apply_fields,
    field_problems,
    snapshot,
)
from portal.jurisdictions.models import Region, list_regions

if TYPE_CHECKING:
    from portal.accounts.models import StaffUser

log = logging.getLogger(__name__)

MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: its row (1 = header, 0 = whole file), column, code, values."""

    row: int
    column: str
    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> str:
        """Return what is wrong, in the page's language (words: institutions/messages.py)."""
        return message_for(self.code, **self.params)


class ImportRefused(InstitutionError):
    """The file has problems and nothing was saved; `problems` lists every one."""

    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("institution_import_refused")
        self.problems = problems


def problems_of(error: OperationError) -> list[Problem]:
    """Return the problems of a refused import (none for any other refusal)."""
    return error.problems if isinstance(error, ImportRefused) else []


@dataclass(frozen=True)
class ImportResult:
    """What an import changed, and the columns of the file it did not read."""

    created: int
    updated: int
    renamed: int
    unchanged: int
    ignored_columns: tuple[str, ...] = ()


def _refuse(row: int, column: str, code: str, **params: str) -> ImportRefused:
    return ImportRefused([Problem(row, column, f"institution_import_{code}", params)])


def _header(table: tablefiles.Table) -> tuple[dict[str, str], tuple[str, ...]]:
    """Map each field to the header the file gives it; return the headers not ours too."""
    found: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for header in table.header:
        if not header:
            continue
        key = column_of(header)
        if key is None:
            ignored.append(header)
        elif key in found:
            problems.append(
                Problem(1, header, "institution_import_duplicate_column", {"first": found[key]})
            )
        else:
            found[key] = header
    problems += [
        Problem(1, c.header, "institution_import_missing_column")
        for c in COLUMNS
        if c.required and c.key not in found
    ]
    if problems:
        raise ImportRefused(problems)
    return found, tuple(ignored)


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$|^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str) -> date:
    """Return a day written 2026-03-01, 2026/3/1, 2026年3月1日 or 20260301; ValueError else."""
    match = _DATE.match(text)
    if match is None:
        raise ValueError(text)
    parts = [int(p) for p in match.groups() if p is not None]
    return date(parts[0], parts[1], parts[2])


E = TypeVar("E", bound=enum.Enum)


@dataclass
class _Row:
    """One row being checked: its cells by field, and the problems found so far."""

    number: int
    cells: dict[str, str | None]  # None: the file has no such column
    columns: dict[str, str]
    problems: list[Problem] = field(default_factory=list)

    def bad(self, key: str, code: str, **params: str) -> None:
        column = self.columns.get(key) or HEADERS.get(key, "")
        self.problems.append(Problem(self.number, column, code, params))

    def value(self, key: str, words: dict[E, tuple[str, ...]], code: str) -> E | None:
        text = self.cells.get(key)
        if not text:
            return None
        found = value_of(text, words)
        if found is None:
            self.bad(key, f"institution_import_{code}", value=text)
        return found

    def day(self, key: str) -> date | None:
        text = self.cells.get(key)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            self.bad(key, "institution_import_date", value=text)
            return None


# Where a problem of one institution's fields is shown: the column that holds that field.
_FIELD_COLUMN = {"region": "region_code"}


def _as_it_is(current: Institution) -> InstitutionFields:
    return InstitutionFields(
        code=current.code,
        name=current.name,
        kind=current.kind,
        region=current.region,
        level=current.level,
        ownership=current.ownership,
        address=current.address,
        agreement_status=current.agreement_status,
        agreement_from=current.agreement_from,
        agreement_to=current.agreement_to,
    )


class _Checker:
    """Checks the rows of one file against the directory as it is."""

    def __init__(self, session: Session, columns: dict[str, str], actor: StaffUser | None) -> None:
        self.session = session
        self.columns = columns
        self.actor = actor
        self.regions = {r.code: r for r in list_regions(session)}
        self.first_row: dict[str, int] = {}

    def existing(self, codes: list[str]) -> dict[str, Institution]:
        """Return the institutions of these codes, by code."""
        found: dict[str, Institution] = {}
        for start in range(0, len(codes), 500):
            query = select(Institution).where(Institution.code.in_(codes[start : start + 500]))
            found.update((inst.code, inst) for inst in self.session.scalars(query))
        return found

    def check(
        self, number: int, cells: dict[str, str | None], current: Institution | None
    ) -> tuple[InstitutionFields | None, list[Problem]]:
        """Return a row's fields (None if it cannot be read) and every problem it has."""
        row = _Row(number, cells, self.columns)
        code = self._code(row)
        name = cells.get("name") or ""
        if not name:
            row.bad("name", "institution_import_required")
        kind = row.value("kind", KIND_WORDS, "kind")
        if not cells.get("kind"):
            row.bad("kind", "institution_import_required")
        parsed: dict[str, Any] = {
            "level": row.value("level", LEVEL_WORDS, "level"),
            "ownership": row.value("ownership", OWNERSHIP_WORDS, "ownership"),
            "address": cells.get("address") or "",
            "agreement_status": row.value("agreement_status", STATUS_WORDS, "status")
            or AgreementStatus.IN_FORCE,
            "agreement_from": row.day("agreement_from"),
            "agreement_to": row.day("agreement_to"),
        }
        region = self._region(row, code, current)
        if row.problems or kind is None or region is None:
            return None, row.problems
        base = _as_it_is(current) if current else InstitutionFields(code, name, kind, region)
        # A column the file leaves out keeps what the directory holds.
        given = {key: value for key, value in parsed.items() if cells.get(key) is not None}
        fields = replace(base, code=code, name=name, kind=kind, region=region, **given)
        for problem in field_problems(
            self.session, fields, actor=self.actor, current=current, regions=self.regions
        ):
            row.bad(_FIELD_COLUMN.get(problem.field, problem.field), problem.code, **problem.params)
        return fields, row.problems

    def _code(self, row: _Row) -> str:
        code = row.cells.get("code") or ""
        if not code:
            row.bad("code", "institution_import_required")
        elif not code_is_well_formed(code):
            row.bad("code", "institution_code_shape", value=code)
        elif region_part(code) not in self.regions:
            row.bad("code", "institution_code_region", value=code, region=region_part(code))
        if code in self.first_row:
            first = str(self.first_row[code])
            row.bad("code", "institution_import_duplicate_code", value=code, first=first)
        elif code:
            self.first_row[code] = row.number
        return code

    def _region(self, row: _Row, code: str, current: Institution | None) -> Region | None:
        """The institution's region: the row's, else the one it has, else the code's."""
        given = row.cells.get("region_code")
        if given:
            region = self.regions.get(given)
            if region is None:
                row.bad("region_code", "institution_import_unknown_region", value=given)
            return region
        if current is not None:
            return current.region
        return self.regions.get(region_part(code)) if code_is_well_formed(code) else None


def check_rows(
    session: Session, table: tablefiles.Table, *, actor: StaffUser | None
) -> tuple[list[tuple[InstitutionFields, Institution | None]], tuple[str, ...]]:
    """Check every row; return each row's fields with the institution of its code, or refuse."""
    columns, ignored = _header(table)
    if len(table.rows) > MAX_ROWS:
        raise _refuse(0, "", "too_many_rows", max=str(MAX_ROWS))
    if not table.rows:
        raise _refuse(0, "", "empty")
    checker = _Checker(session, columns, actor)
    rows = [
        (number, {key: cells[header] for key, header in columns.items()})
        for number, cells in table.rows
    ]
    existing = checker.existing(sorted({cells.get("code") or "" for _, cells in rows}))
    planned: list[tuple[InstitutionFields, Institution | None]] = []
    problems: list[Problem] = []
    for number, cells in rows:
        full: dict[str, str | None] = {c.key: cells.get(c.key) for c in COLUMNS}
        current = existing.get(full["code"] or "")
        fields, found = checker.check(number, full, current)
        problems += found
        if fields is not None and not found:
            planned.append((fields, current))
    if problems:
        raise ImportRefused(problems)
    return planned, ignored


def import_institutions(
    session: Session, filename: str, data: bytes, *, actor: StaffUser | None
) -> ImportResult:
    """Read a CSV or XLSX file and save every row of it, or nothing with every problem listed."""
    try:
        table = tablefiles.read_table(filename, data)
    except tablefiles.UnreadableTable as exc:
        raise _refuse(0, "", exc.code) from exc
    planned, ignored = check_rows(session, table, actor=actor)
    created = updated = renamed = unchanged = 0
    for fields, current in planned:
        if current is None:
            institution = Institution(name="", name_key="")
            apply_fields(institution, fields, note="")
            session.add(institution)
            created += 1
            continue
        before = snapshot(current)
        if apply_fields(current, fields, note="import"):
            renamed += 1
        elif snapshot(current) != before:
            updated += 1
        else:
            unchanged += 1
    session.flush()
    counts = {"created": created, "updated": updated, "renamed": renamed, "unchanged": unchanged}
    actor_name = f"staff:{actor.id}" if actor is not None else "cli"
    audit.record(
        session,
        "institution.imported",
        actor=actor_name,
        details={**counts, "rows": len(planned), "sha256": hashlib.sha256(data).hexdigest()},
    )
    log.info("institutions imported by %s: %s", actor_name, counts)
    return ImportResult(created, updated, renamed, unchanged, ignored)
