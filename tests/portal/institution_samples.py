"""Institutions and official-list files for the directory's tests."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy.orm import Session

from portal.institutions.models import Institution, InstitutionKind
from portal.institutions.operations import InstitutionFields, add_institution
from portal.jurisdictions.models import get_region_by_code

HEADER = ("机构编码", "机构名称", "机构类别", "医院等级", "经营性质", "行政区划代码", "地址")


def fields(session: Session, **overrides: Any) -> InstitutionFields:
    """Return valid fields of a hospital in 兴庆区; keyword arguments override them."""
    values: dict[str, Any] = {
        "code": "H64010400012",
        "name": "银川市第一人民医院",
        "kind": InstitutionKind.HOSPITAL,
        "region": get_region_by_code(session, "640104"),
    }
    values.update(overrides)
    values["kind"] = InstitutionKind(values["kind"])
    if isinstance(values["region"], str):
        values["region"] = get_region_by_code(session, values["region"])
    return InstitutionFields(**values)


def make_institution(session: Session, **overrides: Any) -> Institution:
    """Add an institution as the operator would (no administrator's bounds) and commit."""
    institution = add_institution(session, fields(session, **overrides), actor=None)
    session.commit()
    return institution


def row(**overrides: str) -> dict[str, str]:
    """Return one valid row of the official list under the Chinese headers."""
    values = {
        "机构编码": "H64010400012",
        "机构名称": "银川市第一人民医院",
        "机构类别": "医院",
        "医院等级": "三级甲等",
        "经营性质": "公立",
        "行政区划代码": "640104",
        "地址": "兴庆区胜利街 2 号",
    }
    values.update(overrides)
    return values


def csv_file(*rows: dict[str, str], encoding: str = "utf-8", bom: bool = False) -> bytes:
    """Return rows as a CSV file in `encoding`, with a UTF-8 byte-order mark if asked."""
    out = io.StringIO()
    header = list(rows[0]) if rows else list(HEADER)
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


def xlsx_file(*rows: dict[str, Any]) -> bytes:
    """Return rows as the first sheet of an XLSX workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header = list(rows[0])
    sheet.append(header)
    for values in rows:
        sheet.append([values[h] for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
