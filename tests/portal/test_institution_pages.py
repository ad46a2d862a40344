"""The administrators' directory pages: search, add, correct, import, the template and the columns."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.forms import TableFileForm
from portal.institutions.columns import COLUMNS
from portal.institutions.models import Institution
from portal.institutions.operations import correct_institution
from tests.portal.institution_samples import csv_file, fields, make_institution, row

FORM = {
    "code": "H64010400012",
    "name": "银川市第一人民医院",
    "kind": "hospital",
    "level": "level_3",
    "ownership": "public",
    "region": "640104",
    "address": "兴庆区胜利街 2 号",
    "agreement_status": "in_force",
    "agreement_from": "",
    "agreement_to": "",
}


@pytest.fixture
def admin(login_as: Any, make_staff: Any) -> FlaskClient:
    """A signed-in administrator of 银川市 (640100)."""
    return login_as(make_staff("administrator", region_code="640100"))


def _count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Institution)) or 0


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_administration_page_links_to_the_directory(admin: FlaskClient) -> None:
    assert "/staff/admin/institutions" in _page(admin, "/staff/admin/users")


def test_the_list_shows_only_institutions_of_the_subtree(admin: FlaskClient, db: Session) -> None:
    make_institution(db)
    make_institution(db, code="H11010100012", name="北京某医院", region="110101")
    page = _page(admin, "/staff/admin/institutions")
    assert "H64010400012" in page and "H11010100012" not in page


@pytest.mark.parametrize("query", ["第一人民", "h640104", "银川市第一人民医院", "老院名"])
def test_the_search_finds_by_name_code_or_former_name(
    admin: FlaskClient, db: Session, query: str
) -> None:
    institution = make_institution(db, name="老院名")
    correct_institution(db, institution, fields(db), actor=None, expected_version=1)
    db.commit()
    make_institution(db, code="P64010400001", name="兴庆区大药房")
    page = _page(admin, f"/staff/admin/institutions?q={query}")
    assert "H64010400012" in page and "P64010400001" not in page


def test_the_kind_and_region_filters_narrow_the_list(admin: FlaskClient, db: Session) -> None:
    make_institution(db)
    make_institution(db, code="P64010600003", name="金凤区大药房", kind="pharmacy", region="640106")
    page = _page(admin, "/staff/admin/institutions?kind=pharmacy&region=640106")
    assert "P64010600003" in page and "H64010400012" not in page


def test_a_region_outside_the_subtree_is_not_a_filter(admin: FlaskClient) -> None:
    assert admin.get("/staff/admin/institutions?region=110101").status_code == 400


def test_the_list_is_paginated(admin: FlaskClient, db: Session) -> None:
    for n in range(27):
        make_institution(db, code=f"H640104{n:05d}", name=f"医院{n}")
    first, second = (
        _page(admin, "/staff/admin/institutions"),
        _page(admin, "/staff/admin/institutions?page=2"),
    )
    assert "H64010400024" in first and "H64010400025" not in first
    assert "H64010400025" in second and 'rel="prev"' in second


def test_an_administrator_adds_an_institution_through_the_page(
    admin: FlaskClient, db: Session
) -> None:
    response = admin.post("/staff/admin/institutions/new", data=FORM)
    assert response.status_code == 303
    assert _count(db) == 1


def test_a_malformed_code_is_refused_on_the_form_keeping_what_was_typed(
    admin: FlaskClient, db: Session
) -> None:
    response = admin.post(
        "/staff/admin/institutions/new", data={**FORM, "code": "H6401", "address": "留下的地址"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "H6401" in page and "留下的地址" in page and _count(db) == 0


def test_suspension_dates_out_of_order_are_refused_on_their_field(admin: FlaskClient) -> None:
    data = {
        **FORM,
        "agreement_status": "suspended",
        "agreement_from": "2026-06-01",
        "agreement_to": "2026-01-01",
    }
    response = admin.post("/staff/admin/institutions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="agreement_to-error"' in page and 'value="2026-06-01"' in page


def test_a_code_of_an_unknown_region_is_refused_keeping_what_was_typed(
    admin: FlaskClient, db: Session
) -> None:
    response = admin.post(
        "/staff/admin/institutions/new", data={**FORM, "code": "H64019900012", "name": "新医院名"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "640199" in page and "新医院名" in page and _count(db) == 0


def test_the_edit_page_shows_the_former_names(admin: FlaskClient, db: Session) -> None:
    institution = make_institution(db, name="老院名")
    correct_institution(db, institution, fields(db), actor=None, expected_version=1)
    db.commit()
    page = _page(admin, f"/staff/admin/institutions/{institution.id}")
    assert 'id="former-names"' in page and "老院名" in page


def test_a_rename_through_the_page_keeps_the_former_name(admin: FlaskClient, db: Session) -> None:
    institution = make_institution(db)
    response = admin.post(
        f"/staff/admin/institutions/{institution.id}",
        data={**FORM, "name": "宁夏第一人民医院", "note": "更名", "version": "1"},
    )
    assert response.status_code == 303
    db.expire_all()
    assert [n.name for n in db.get(Institution, institution.id).former_names] == [
        "银川市第一人民医院"
    ]


def test_a_stale_page_shows_the_record_now_and_saves_on_the_second_send(
    admin: FlaskClient, db: Session
) -> None:
    institution = make_institution(db)
    correct_institution(
        db, institution, fields(db, address="别人改的地址"), actor=None, expected_version=1
    )
    db.commit()
    path = f"/staff/admin/institutions/{institution.id}"
    data = {**FORM, "address": "我改的地址", "version": "1"}
    first = admin.post(path, data=data)
    page = first.get_data(as_text=True)
    assert first.status_code == 409
    assert 'id="current-record"' in page and "别人改的地址" in page and "我改的地址" in page
    assert 'name="version" type="hidden" value="2"' in page
    assert admin.post(path, data={**data, "version": "2"}).status_code == 303


def test_an_institution_of_another_province_looks_missing(admin: FlaskClient, db: Session) -> None:
    institution = make_institution(db, code="H11010100012", region="110101")
    assert admin.get(f"/staff/admin/institutions/{institution.id}").status_code == 404


def test_an_import_through_the_page_saves_and_sums_up(admin: FlaskClient, db: Session) -> None:
    data = csv_file(row(), bom=True)
    response = admin.post(
        "/staff/admin/institutions/import",
        data={"file": (io.BytesIO(data), "list.csv")},
        follow_redirects=True,
    )
    assert "flash-success" in response.get_data(as_text=True) and _count(db) == 1


def test_a_refused_import_lists_each_rows_problem_and_saves_nothing(
    admin: FlaskClient, db: Session
) -> None:
    data = csv_file(row(), row(机构编码="H99999900012"))
    response = admin.post(
        "/staff/admin/institutions/import", data={"file": (io.BytesIO(data), "list.csv")}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="import-problems"' in page and "H99999900012" in page and _count(db) == 0


def test_a_file_of_another_type_is_refused(admin: FlaskClient) -> None:
    response = admin.post(
        "/staff/admin/institutions/import", data={"file": (io.BytesIO(b"x"), "list.pdf")}
    )
    assert response.status_code == 422


def test_a_file_over_the_size_limit_is_refused(
    admin: FlaskClient, db: Session, monkeypatch: Any
) -> None:
    # The real limit is 5 MB; a small one spares the test client a spooled temporary file.
    monkeypatch.setattr(TableFileForm, "max_bytes", 100)
    data = csv_file(row())
    assert len(data) > 100
    response = admin.post(
        "/staff/admin/institutions/import", data={"file": (io.BytesIO(data), "list.csv")}
    )
    assert response.status_code == 422 and _count(db) == 0


def test_the_template_is_csv_with_a_bom_and_chinese_headers(admin: FlaskClient) -> None:
    response = admin.get("/staff/admin/institutions/template.csv")
    assert response.data.startswith("\ufeff机构编码,机构名称,机构类别".encode())
    assert response.headers["Content-Type"].startswith("text/csv")


def test_the_column_dictionary_names_every_column(admin: FlaskClient) -> None:
    page = _page(admin, "/staff/admin/institutions/columns")
    assert all(
        f"<code>{c.header}</code>" in page and f"<code>{c.key}</code>" in page for c in COLUMNS
    )
