"""Reading an uploaded table: CSV (UTF-8 with or without BOM, or GB18030) or XLSX, as rows of text.

Imports (fund disclosures, the institutions directory) check columns and values
themselves; this reads the bytes. Chinese offices save CSV from Excel or WPS either as
UTF-8 (often with a byte-order mark) or in the legacy GB18030 encoding without any mark,
so the encoding is found by trying UTF-8 first: GB18030 text of Chinese is practically
never valid UTF-8. Cells lose surrounding spaces and the quote our own downloads put
before formula-like text (`portal/csvfiles.py`), so a downloaded file imports back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.csvfiles import restore_cell


class UnreadableTable(Exception):
    """The bytes are not a table we can read: `code` is "encoding" or "unreadable"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Table:
    """A table's header and its rows, each with its row number as a spreadsheet shows it.

    Row 1 is the header; rows that are entirely empty are left out but keep the numbering.
    """

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def is_xlsx(filename: str, data: bytes) -> bool:
    """Return whether the upload is an XLSX workbook (a ZIP file, or named so)."""
    return data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def decode_text(data: bytes) -> str:
    """Return CSV bytes as text: UTF-8 (a BOM is dropped), else GB18030 (its BOM dropped too)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise UnreadableTable("encoding")


def read_table(filename: str, data: bytes) -> Table:
    """Read a CSV or XLSX upload into its header and numbered rows of text."""
    if is_xlsx(filename, data):
        records = _xlsx_records(data)
    else:
        records = list(csv.reader(io.StringIO(decode_text(data), newline="")))
    header = [h.strip() for h in records[0]] if records else []
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            name: restore_cell(value.strip()).strip()
            for name, value in zip(header, record, strict=False)
            if name
        }
        rows.append((number, {name: cells.get(name, "") for name in header if name}))
    return Table(header, rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # A date typed in a spreadsheet comes back as midnight of that day.
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_records(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise UnreadableTable("unreadable") from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
