"""CSV files the portal produces: UTF-8 with a BOM, every cell safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel, WPS and LibreOffice: a disclosure source or a region name such as
`=HYPERLINK("http://…"&A2)` would run on the reader's machine. Following the OWASP
guidance on CSV injection, such a cell is written with a single quote in front, which
the spreadsheet shows as text. Plain numbers (a negative balance, -1234.50) stay
numbers. Every CSV goes through `csv_bytes`; an import reads its cells back with
`restore_cell`, so a downloaded file can be imported again unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value: Any) -> str:
    """Return `value` as CSV cell text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """Return a cell read from a CSV or XLSX file without the quote `safe_cell` added."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def csv_bytes(fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Return a header and `rows` as CSV in UTF-8 with a BOM (spreadsheets then read Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in fieldnames])
    for row in rows:
        writer.writerow([safe_cell(row.get(name)) for name in fieldnames])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
