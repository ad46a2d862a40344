"""Importing the official list: every encoding, all or nothing, by code, former names kept."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit import AuditEntry
from portal.institutions.columns import template_csv
from portal.institutions.importing import ImportRefused, import_institutions
from portal.institutions.models import AgreementStatus, Institution, InstitutionLevel, Ownership
from tests.portal.institution_samples import csv_file, make_institution, row, xlsx_file

PHARMACY = {"机构编码": "P64010600003", "机构名称": "金凤区康宁大药房", "机构类别": "零售药店"}


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Institution)) or 0


def _problems(db: Session, data: bytes, filename: str = "list.csv", actor: Any = None) -> list[Any]:
    with pytest.raises(ImportRefused) as refused:
        import_institutions(db, filename, data, actor=actor)
    db.rollback()
    return [(p.row, p.column, p.code) for p in refused.value.problems]


def _pharmacy(**overrides: str) -> dict[str, str]:
    cells = {**PHARMACY, "医院等级": "", "经营性质": "民营", "行政区划代码": "", "地址": ""}
    return row(**{**cells, **overrides})


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", True), ("utf-8", False), ("gb18030", False)],
    ids=["utf-8 with BOM", "utf-8 without BOM", "gb18030"],
)
def test_a_good_csv_file_saves_every_row(db: Session, encoding: str, bom: bool) -> None:
    data = csv_file(row(), _pharmacy(), encoding=encoding, bom=bom)
    result = import_institutions(db, "list.csv", data, actor=None)
    hospital = db.scalar(select(Institution).where(Institution.code == "H64010400012"))
    assert (result.created, _count(db)) == (2, 2)
    assert (hospital.name, hospital.level, hospital.ownership) == (
        "银川市第一人民医院",
        InstitutionLevel.LEVEL_3,
        Ownership.PUBLIC,
    )


def test_a_gb18030_file_really_is_not_utf8(db: Session) -> None:
    data = csv_file(row(), encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert import_institutions(db, "list.csv", data, actor=None).created == 1


def test_a_good_xlsx_file_saves_every_row(db: Session) -> None:
    suspended = _pharmacy(协议状态="暂停")
    data = xlsx_file(
        {**row(), "协议状态": "正常", "协议状态开始日期": None, "协议状态结束日期": None},
        {**suspended, "协议状态开始日期": date(2026, 1, 1), "协议状态结束日期": date(2026, 6, 30)},
    )
    result = import_institutions(db, "list.xlsx", data, actor=None)
    pharmacy = db.scalar(select(Institution).where(Institution.code == "P64010600003"))
    assert result.created == 2
    assert (pharmacy.agreement_status, pharmacy.agreement_from, pharmacy.agreement_to) == (
        AgreementStatus.SUSPENDED,
        date(2026, 1, 1),
        date(2026, 6, 30),
    )


def test_a_pharmacy_without_a_region_column_value_takes_the_region_of_its_code(
    db: Session,
) -> None:
    import_institutions(db, "list.csv", csv_file(_pharmacy()), actor=None)
    assert db.scalar(select(Institution)).region.code == "640106"


@pytest.mark.parametrize(
    ("bad", "column", "code"),
    [
        ({"机构编码": "H6401040001X"}, "机构编码", "institution_code_shape"),
        ({"机构编码": "h64010400012"}, "机构编码", "institution_code_shape"),
        ({"机构编码": "H99999900012"}, "机构编码", "institution_code_region"),
        ({"行政区划代码": "999999"}, "行政区划代码", "institution_import_unknown_region"),
        ({"机构编码": "H64010600012"}, "机构编码", "institution_code_outside_region"),
        ({"机构名称": ""}, "机构名称", "institution_import_required"),
        ({"机构类别": "寺庙"}, "机构类别", "institution_import_kind"),
        ({"医院等级": "四级"}, "医院等级", "institution_import_level"),
        ({"经营性质": "合资"}, "经营性质", "institution_import_ownership"),
    ],
)
def test_a_bad_row_is_named_with_its_row_and_column_and_nothing_is_saved(
    db: Session, bad: dict[str, str], column: str, code: str
) -> None:
    data = csv_file(_pharmacy(), row(**bad), bom=True)
    assert _problems(db, data) == [(3, column, code)]
    assert _count(db) == 0


def test_a_duplicate_code_in_one_file_names_both_rows_and_nothing_is_saved(db: Session) -> None:
    data = csv_file(row(), _pharmacy(), row(机构名称="银川市第一人民医院东院"))
    with pytest.raises(ImportRefused) as refused:
        import_institutions(db, "list.csv", data, actor=None)
    (problem,) = refused.value.problems
    assert (problem.row, problem.code, problem.params["first"]) == (
        4,
        "institution_import_duplicate_code",
        "2",
    )
    db.rollback()
    assert _count(db) == 0


def test_every_bad_row_is_listed_not_only_the_first(db: Session) -> None:
    data = csv_file(
        row(机构编码="H1"), _pharmacy(机构类别=""), row(机构编码="H64010400013", 行政区划代码="1")
    )
    assert [(r, c) for r, _, c in _problems(db, data)] == [
        (2, "institution_code_shape"),
        (3, "institution_import_required"),
        (4, "institution_import_unknown_region"),
    ]


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({"协议状态": "取消"}, "institution_import_status"),
        ({"协议状态": "暂停", "协议状态开始日期": "2026-13-01"}, "institution_import_date"),
        (
            {
                "协议状态": "暂停",
                "协议状态开始日期": "2026-06-01",
                "协议状态结束日期": "2026-01-01",
            },
            "institution_agreement_order",
        ),
        ({"协议状态": "解除"}, "institution_agreement_from"),
    ],
)
def test_agreement_status_and_dates_are_checked(
    db: Session, cells: dict[str, str], code: str
) -> None:
    full = {"协议状态": "", "协议状态开始日期": "", "协议状态结束日期": "", **cells}
    assert [c for _, _, c in _problems(db, csv_file(row(**full)))] == [code]


def test_dates_may_be_written_the_chinese_way(db: Session) -> None:
    data = csv_file(row(协议状态="解除", 协议状态开始日期="2026年3月1日"))
    import_institutions(db, "list.csv", data, actor=None)
    assert db.scalar(select(Institution)).agreement_from == date(2026, 3, 1)


def test_english_headers_are_accepted(db: Session) -> None:
    data = csv_file({"code": "H64010400012", "name": "银川市第一人民医院", "kind": "hospital"})
    assert import_institutions(db, "list.csv", data, actor=None).created == 1


def test_a_missing_required_column_is_named_in_the_header_row(db: Session) -> None:
    data = csv_file({"机构编码": "H64010400012", "机构名称": "银川市第一人民医院"})
    assert _problems(db, data) == [(1, "机构类别", "institution_import_missing_column")]


def test_a_column_given_twice_is_refused(db: Session) -> None:
    data = "机构编码,code,机构名称,机构类别\nH64010400012,H64010400012,某医院,医院\n".encode()
    assert _problems(db, data) == [(1, "code", "institution_import_duplicate_column")]


def test_columns_not_ours_are_reported_and_not_read(db: Session) -> None:
    data = csv_file({"序号": "1", **row(), "联系电话": "0951-1234567"})
    assert import_institutions(db, "list.csv", data, actor=None).ignored_columns == (
        "序号",
        "联系电话",
    )


def test_a_known_code_is_updated_not_added(db: Session) -> None:
    make_institution(db)
    result = import_institutions(
        db, "list.csv", csv_file(row(地址="兴庆区新华东街 9 号")), actor=None
    )
    assert (result.created, result.updated, _count(db)) == (0, 1, 1)
    assert db.scalar(select(Institution)).address == "兴庆区新华东街 9 号"


def test_a_renamed_institution_keeps_its_former_name(db: Session) -> None:
    make_institution(db)
    result = import_institutions(
        db, "list.csv", csv_file(row(机构名称="宁夏第一人民医院")), actor=None
    )
    institution = db.scalar(select(Institution))
    assert result.renamed == 1
    assert [n.name for n in institution.former_names] == ["银川市第一人民医院"]


def test_importing_the_same_file_twice_changes_nothing(db: Session) -> None:
    data = csv_file(row(), _pharmacy())
    import_institutions(db, "list.csv", data, actor=None)
    result = import_institutions(db, "list.csv", data, actor=None)
    assert (result.created, result.updated, result.renamed, result.unchanged) == (0, 0, 0, 2)


def test_a_new_code_with_another_institutions_name_is_a_different_institution(
    db: Session,
) -> None:
    make_institution(db)
    import_institutions(db, "list.csv", csv_file(row(机构编码="H64010400077")), actor=None)
    assert _count(db) == 2


def test_a_column_left_out_keeps_what_the_directory_holds(db: Session) -> None:
    make_institution(db, address="兴庆区胜利街 2 号")
    data = csv_file(
        {"机构编码": "H64010400012", "机构名称": "银川市第一人民医院", "机构类别": "医院"}
    )
    assert import_institutions(db, "list.csv", data, actor=None).unchanged == 1


def test_an_administrator_imports_only_within_their_subtree(db: Session, make_staff: Any) -> None:
    admin = make_staff("administrator", region_code="640106")
    data = csv_file(_pharmacy(), row())
    assert _problems(db, data, actor=admin) == [
        (3, "行政区划代码", "institution_outside_jurisdiction")
    ]


def test_an_import_is_audited_once_with_its_counts(db: Session) -> None:
    make_institution(db)
    import_institutions(
        db, "list.csv", csv_file(row(机构名称="宁夏第一人民医院"), _pharmacy()), actor=None
    )
    entries = list(
        db.scalars(select(AuditEntry).where(AuditEntry.action == "institution.imported"))
    )
    assert len(entries) == 1
    details = json.loads(entries[0].details_json)
    assert (details["created"], details["renamed"], details["rows"]) == (1, 1, 2)
    assert len(details["sha256"]) == 64


def test_text_in_neither_encoding_is_refused(db: Session) -> None:
    assert _problems(db, b"\xff\xff\xff") == [(0, "", "institution_import_encoding")]


def test_a_damaged_workbook_is_refused(db: Session) -> None:
    assert _problems(db, b"PK\x03\x04 no workbook", "list.xlsx") == [
        (0, "", "institution_import_unreadable")
    ]


def test_a_file_with_only_a_header_is_refused(db: Session) -> None:
    assert _problems(db, "机构编码,机构名称,机构类别\n".encode()) == [
        (0, "", "institution_import_empty")
    ]


def test_the_template_imports_cleanly(db: Session) -> None:
    assert import_institutions(db, "template.csv", template_csv(), actor=None).created == 2


def test_the_operator_command_imports_a_file(app: Any, fresh: Any, tmp_path: Any) -> None:
    path = tmp_path / "名录.csv"
    path.write_bytes(csv_file(row(), _pharmacy(), encoding="gb18030"))
    result = app.test_cli_runner().invoke(args=["import-institutions", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    assert fresh().scalar(select(func.count()).select_from(Institution)) == 2


def test_the_operator_command_names_each_bad_row_and_saves_nothing(
    app: Any, fresh: Any, tmp_path: Any
) -> None:
    path = tmp_path / "名录.csv"
    path.write_bytes(csv_file(_pharmacy(), row(机构编码="H99999900012")))
    result = app.test_cli_runner().invoke(args=["import-institutions", str(path)])
    assert result.exit_code == 1
    assert "row 3, 机构编码: No region has the code 999999" in result.output
    assert fresh().scalar(select(func.count()).select_from(Institution)) == 0
