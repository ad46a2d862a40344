"""Uploaded tables: rows numbered as a spreadsheet shows them, cells as text."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook

from portal.tablefiles import read_table


def _xlsx(*rows: list[object]) -> bytes:
    book = Workbook()
    for values in rows:
        book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_empty_csv_line_is_skipped_but_keeps_the_numbering() -> None:
    table = read_table("a.csv", "code,name\nH1,甲\n\nH2,乙\n".encode())
    assert [(n, cells["code"]) for n, cells in table.rows] == [(2, "H1"), (4, "H2")]


def test_an_empty_spreadsheet_row_is_skipped_but_keeps_the_numbering() -> None:
    table = read_table("a.xlsx", _xlsx(["code"], ["H1"], [None], ["H2"]))
    assert [(n, cells["code"]) for n, cells in table.rows] == [(2, "H1"), (4, "H2")]


def test_spreadsheet_dates_and_numbers_come_back_as_text() -> None:
    table = read_table(
        "a.xlsx", _xlsx(["day", "at", "region"], [date(2026, 3, 1), datetime(2026, 3, 1), 640104])
    )
    assert table.rows[0][1] == {"day": "2026-03-01", "at": "2026-03-01", "region": "640104"}


def test_a_gb18030_byte_order_mark_is_not_part_of_the_header() -> None:
    data = "\ufeff机构编码\nH1\n".encode("gb18030")
    assert read_table("a.csv", data).header == ["机构编码"]


def test_cells_lose_spaces_and_the_quote_a_download_put_before_a_formula() -> None:
    table = read_table("a.csv", b"name\n  '=1+1  \n")
    assert table.rows[0][1]["name"] == "=1+1"
