"""The directory file format (docs/domain.md §8): its columns, their headers and the template.

The official lists are kept in Chinese, so each column is known by its Chinese header;
its English name (the field's own, as in the disclosure files) and a few other spellings
of the lists are accepted too. Headers are compared folded (full-width, case, spaces and
punctuation ignored). Only the code, the name and the kind are required; a column left
out of a file leaves that field as it is on institutions already in the directory.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.csvfiles import csv_bytes
from portal.institutions.models import name_key


@dataclass(frozen=True)
class Column:
    """One column: the field it fills, its Chinese header, whether required, other spellings."""

    key: str
    header: str
    required: bool
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("code", "机构编码", True, ("医保编码", "定点医药机构编码", "医药机构编码")),
    Column("name", "机构名称", True, ("定点医药机构名称", "医药机构名称")),
    Column("kind", "机构类别", True, ("机构类型",)),
    Column("level", "医院等级", False, ("机构等级", "等级")),
    Column("ownership", "经营性质", False, ("所有制",)),
    Column("region_code", "行政区划代码", False, ("区划代码", "所属区划")),
    Column("address", "地址", False, ("机构地址",)),
    Column("agreement_status", "协议状态", False),
    Column("agreement_from", "协议状态开始日期", False, ("开始日期",)),
    Column("agreement_to", "协议状态结束日期", False, ("结束日期",)),
)

COLUMN_KEYS = tuple(c.key for c in COLUMNS)

HEADERS = {c.key: c.header for c in COLUMNS}

# Every accepted spelling of a header, folded, to the field it fills.
_BY_HEADER = {
    name_key(spelling): c.key for c in COLUMNS for spelling in (c.header, c.key, *c.aliases)
}


def column_of(header: str) -> str | None:
    """Return the field a header of a file names, if it is one of ours."""
    return _BY_HEADER.get(name_key(header))


TEMPLATE_ROWS: tuple[dict[str, str], ...] = (
    {
        "code": "H64010400012",
        "name": "银川市示例医院",
        "kind": "医院",
        "level": "三级",
        "ownership": "公立",
        "region_code": "640104",
        "address": "兴庆区示例路 1 号",
        "agreement_status": "正常",
        "agreement_from": "",
        "agreement_to": "",
    },
    {
        "code": "P64010600003",
        "name": "示例大药房金凤店",
        "kind": "零售药店",
        "level": "",
        "ownership": "民营",
        "region_code": "",
        "address": "金凤区示例街 8 号",
        "agreement_status": "暂停",
        "agreement_from": "2026-01-01",
        "agreement_to": "2026-06-30",
    },
)


TEMPLATE_HEADERS = tuple(c.header for c in COLUMNS)


def template_rows() -> list[dict[str, str]]:
    """Return the template's example rows keyed by the Chinese headers."""
    return [{HEADERS[key]: value for key, value in row.items()} for row in TEMPLATE_ROWS]


def template_csv() -> bytes:
    """Return the import template: Chinese headers and two example rows, UTF-8 with BOM."""
    return csv_bytes(TEMPLATE_HEADERS, template_rows())
