"""Fund disclosures: import checks and revisions, public pages, charts and downloads."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from publish.disclosures.importing import (
    COLUMN_NAMES,
    ImportRefused,
    import_disclosures,
    read_table,
    template_csv,
)
from publish.disclosures.models import Disclosure, DisclosureRevision


def row(**overrides: str) -> dict[str, str]:
    base = {name: "" for name in COLUMN_NAMES}
    base.update(
        region_code="640000",
        year="2025",
        period="Y",
        fund="all",
        unit="亿元",
        income_total="100.00",
        expenditure_total="80.00",
        balance_current="20.00",
        balance_accumulated_previous="50.00",
        balance_accumulated="70.00",
        source="宁夏医保局决算（测试）",
    )
    base.update(overrides)
    return base


def csv_bytes(*rows: dict[str, str], bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMN_NAMES))
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def codes(exc: pytest.ExceptionInfo[ImportRefused]) -> list[str]:
    return [p.code for p in exc.value.problems]


def test_a_valid_file_creates_a_disclosure(db: Session) -> None:
    result = import_disclosures(
        db,
        [row(), row(fund="resident", balance_accumulated_previous="", balance_accumulated="")],
        change_note="",
        actor_id=None,
    )
    assert (result.created, result.revised) == (1, 0)
    assert len(db.scalar(select(Disclosure)).current.lines) == 2


def test_income_minus_expenditure_must_equal_the_current_balance(db: Session) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_disclosures(
            db,
            [row(balance_current="25.00", balance_accumulated="75.00")],
            change_note="",
            actor_id=None,
        )
    problem = exc.value.problems[0]
    assert (
        problem.code == "balance"
        and problem.params["difference"] == "20.00"
        and problem.params["stated"] == "25.00"
    )


def test_previous_plus_current_must_equal_the_accumulated_balance(db: Session) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_disclosures(db, [row(balance_accumulated="71.00")], change_note="", actor_id=None)
    assert codes(exc) == ["accumulated"]


def test_the_parts_must_add_up_to_their_total(db: Session) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_disclosures(
            db,
            [row(income_contributions="60.00", income_fiscal_subsidy="30.00")],
            change_note="",
            actor_id=None,
        )
    assert codes(exc) == ["parts"]


def test_one_bad_row_saves_nothing(db: Session) -> None:
    rows = [row(), row(region_code="640100", balance_current="1.00")]
    with pytest.raises(ImportRefused):
        import_disclosures(db, rows, change_note="", actor_id=None)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Disclosure)) == 0


def test_every_problem_is_listed_with_its_row(db: Session) -> None:
    rows = [row(region_code="999999"), row(period="Q5"), row(unit="元")]
    with pytest.raises(ImportRefused) as exc:
        import_disclosures(db, rows, change_note="", actor_id=None)
    assert [(p.row, p.code) for p in exc.value.problems] == [
        (2, "unknown_region"),
        (3, "period"),
        (4, "unit"),
    ]


def test_amounts_with_more_than_two_decimals_are_refused(db: Session) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_disclosures(db, [row(income_total="100.001")], change_note="", actor_id=None)
    assert "number" in codes(exc)


def test_a_correction_needs_a_change_note(db: Session) -> None:
    import_disclosures(db, [row()], change_note="", actor_id=None)
    with pytest.raises(ImportRefused) as exc:
        import_disclosures(
            db,
            [row(expenditure_total="81.00", balance_current="19.00", balance_accumulated="69.00")],
            change_note="",
            actor_id=None,
        )
    assert codes(exc) == ["needs_note"]


def test_a_correction_adds_a_revision_and_keeps_the_old_one(db: Session) -> None:
    import_disclosures(db, [row()], change_note="", actor_id=None)
    result = import_disclosures(
        db,
        [row(expenditure_total="81.00", balance_current="19.00", balance_accumulated="69.00")],
        change_note="更正支出数",
        actor_id=None,
    )
    assert result.revised == 1
    disclosure = db.scalar(select(Disclosure))
    assert [r.number for r in disclosure.revisions] == [1, 2]
    assert disclosure.revisions[0].lines[0].expenditure_total == Decimal("80.00")
    assert disclosure.current.change_note == "更正支出数"


def test_reimporting_the_same_figures_changes_nothing(db: Session) -> None:
    import_disclosures(db, [row()], change_note="", actor_id=None)
    assert import_disclosures(db, [row()], change_note="", actor_id=None).unchanged == 1
    assert db.scalar(select(func.count()).select_from(DisclosureRevision)) == 1


def test_the_template_imports_cleanly(db: Session) -> None:
    rows = read_table("template.csv", template_csv())
    assert import_disclosures(db, rows, change_note="", actor_id=None).created == 1


def test_csv_without_bom_and_in_gb18030_is_read() -> None:
    plain = csv_bytes(row(), bom=False)
    assert read_table("a.csv", plain)[0]["source"] == "宁夏医保局决算（测试）"
    gbk = plain.decode("utf-8").encode("gb18030")
    assert read_table("a.csv", gbk)[0]["source"] == "宁夏医保局决算（测试）"


def test_a_file_missing_a_column_is_refused_naming_it() -> None:
    with pytest.raises(ImportRefused) as exc:
        read_table("a.csv", b"region_code,year\n640000,2025\n")
    assert ("source", "missing_column") in [(p.column, p.code) for p in exc.value.problems]


def test_an_xlsx_file_is_imported(db: Session) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMN_NAMES))
    sheet.append([row()[n] for n in COLUMN_NAMES])
    out = io.BytesIO()
    book.save(out)
    rows = read_table("figures.xlsx", out.getvalue())
    assert import_disclosures(db, rows, change_note="", actor_id=None).created == 1


def test_a_damaged_xlsx_is_refused_cleanly() -> None:
    with pytest.raises(ImportRefused) as exc:
        read_table("figures.xlsx", b"PK\x03\x04 not really a workbook")
    assert codes(exc) == ["unreadable"]


@pytest.fixture
def published(db: Session) -> Disclosure:
    import_disclosures(
        db,
        [row(year="2024", balance_accumulated_previous="30.00", balance_accumulated="50.00")],
        change_note="",
        actor_id=None,
    )
    import_disclosures(db, [row()], change_note="", actor_id=None)
    db.commit()
    return db.scalar(select(Disclosure).where(Disclosure.year == 2025))


def test_the_detail_page_shows_the_table_and_two_svg_charts(
    client: Any, published: Disclosure
) -> None:
    page = client.get(f"/disclosures/{published.id}").get_data(as_text=True)
    assert 'id="figures"' in page and "100.00" in page
    assert page.count('class="chart"') == 2 and "style=" not in page.split('id="charts-title"')[1]


def test_the_detail_page_names_its_period_in_words(client: Any, published: Disclosure) -> None:
    page = client.get(f"/disclosures/{published.id}").get_data(as_text=True)
    title = page.split("<title>")[1].split("</title>")[0]
    assert "2025年全年" in title and " Y" not in title
    assert "2025年全年</h1>" in page


def test_each_chart_of_a_disclosure_has_a_title_and_a_legend(
    client: Any, published: Disclosure
) -> None:
    client.set_cookie("lang", "en")
    page = client.get(f"/disclosures/{published.id}").get_data(as_text=True)
    figures = page.split('class="chart-figure"')[1:]
    assert len(figures) == 2
    assert "Income and expenditure by period" in figures[0].split("</figcaption>")[0]
    assert "Accumulated balance over time" in figures[1].split("</figcaption>")[0]
    assert "Income</li>" in figures[0] and "Accumulated balance</li>" in figures[1]


def test_each_chart_of_a_disclosure_has_its_figures_as_a_table(
    client: Any, published: Disclosure
) -> None:
    page = client.get(f"/disclosures/{published.id}").get_data(as_text=True)
    for figure in page.split('class="chart-figure"')[1:]:
        table = figure.split("<details")[1].split("</details>")[0]
        assert "2024年全年" in table and "2025年全年" in table


def test_the_list_filters_by_year(client: Any, published: Disclosure) -> None:
    page = client.get("/disclosures?year=2024").get_data(as_text=True)
    assert f'/disclosures/{published.id}"' not in page and "2024" in page


def test_a_bad_filter_gets_400_not_a_crash(client: Any) -> None:
    assert client.get("/disclosures?year=abc&region=nowhere").status_code == 400


def test_the_csv_download_has_a_bom_and_matches_the_import(
    client: Any, published: Disclosure
) -> None:
    response = client.get(f"/disclosures/{published.id}.csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0]["income_total"] == "100.00" and rows[0]["balance_accumulated"] == "70.00"


def test_the_json_download_carries_the_revisions(client: Any, published: Disclosure) -> None:
    body = json.loads(client.get(f"/disclosures/{published.id}.json").data)
    assert body["funds"][0]["income_total"] == "100.00" and body["revisions"][0]["number"] == 1


def test_an_old_revision_stays_readable_and_says_it_was_replaced(
    client: Any, db: Session, published: Disclosure
) -> None:
    import_disclosures(
        db,
        [row(income_total="101.00", balance_current="21.00", balance_accumulated="71.00")],
        change_note="更正",
        actor_id=None,
    )
    db.commit()
    page = client.get(f"/disclosures/{published.id}/revisions/1").get_data(as_text=True)
    assert 'id="replaced"' in page and "100.00" in page


def test_an_unknown_revision_is_404(client: Any, published: Disclosure) -> None:
    assert client.get(f"/disclosures/{published.id}/revisions/9").status_code == 404
    assert client.get(f"/disclosures/{published.id}.csv?revision=x").status_code == 404


def test_the_column_dictionary_names_every_column(client: Any) -> None:
    page = client.get("/disclosures/columns").get_data(as_text=True)
    assert all(f"<code>{name}</code>" in page for name in COLUMN_NAMES)


def test_a_publisher_imports_a_file_through_the_page(
    make_staff: Any, login_as: Any, db: Session
) -> None:
    client = login_as(make_staff("publisher"))
    response = client.post(
        "/staff/publish/disclosures", data={"file": (io.BytesIO(csv_bytes(row())), "figures.csv")}
    )
    assert response.status_code == 303
    assert db.scalar(select(func.count()).select_from(Disclosure)) == 1


def test_the_import_page_lists_the_arithmetic_that_failed(make_staff: Any, login_as: Any) -> None:
    client = login_as(make_staff("publisher"))
    bad = csv_bytes(row(balance_current="25.00", balance_accumulated="75.00"))
    response = client.post(
        "/staff/publish/disclosures", data={"file": (io.BytesIO(bad), "figures.csv")}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "20.00" in page and "25.00" in page


def test_seed_demo_publishes_the_real_national_figures(app: Any, fresh: Any) -> None:
    app.test_cli_runner().invoke(args=["seed-demo"])
    disclosure = fresh().scalar(select(Disclosure).where(Disclosure.region_key == "100000"))
    line = next(ln for ln in disclosure.current.lines if ln.fund == "all")
    assert line.income_total == Decimal("30922.17") and line.balance_accumulated == Decimal(
        "42639.89"
    )


def test_a_publisher_enters_a_disclosure_in_the_form(
    make_staff: Any, login_as: Any, db: Session
) -> None:
    client = login_as(make_staff("publisher"))
    response = client.post("/staff/publish/disclosures/edit", data=row())
    assert response.status_code == 303
    assert db.scalar(select(Disclosure)).current.lines[0].income_total == Decimal("100.00")


def test_the_form_shows_the_arithmetic_and_keeps_the_figures(
    make_staff: Any, login_as: Any
) -> None:
    client = login_as(make_staff("publisher"))
    response = client.post(
        "/staff/publish/disclosures/edit",
        data=row(balance_current="25.00", balance_accumulated="75.00"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="25.00"' in page and "20.00" in page


def test_correcting_one_fund_in_the_form_keeps_the_others(
    make_staff: Any, login_as: Any, db: Session
) -> None:
    import_disclosures(
        db,
        [row(), row(fund="resident", balance_accumulated_previous="", balance_accumulated="")],
        change_note="",
        actor_id=None,
    )
    db.commit()
    client = login_as(make_staff("publisher"))
    fixed = row(
        income_total="101.00",
        balance_current="21.00",
        balance_accumulated="71.00",
        change_note="更正收入",
    )
    assert client.post("/staff/publish/disclosures/edit", data=fixed).status_code == 303
    db.expire_all()
    current = db.scalar(select(Disclosure)).current
    assert current.number == 2 and sorted(line.fund for line in current.lines) == [
        "all",
        "resident",
    ]
    assert current.change_note == "更正收入"


def test_the_form_opens_filled_in_for_an_existing_disclosure(
    make_staff: Any, login_as: Any, db: Session
) -> None:
    import_disclosures(db, [row()], change_note="", actor_id=None)
    db.commit()
    page = (
        login_as(make_staff("publisher"))
        .get("/staff/publish/disclosures/edit?region=640000&year=2025&period=Y&fund=all")
        .get_data(as_text=True)
    )
    assert 'value="100.00"' in page
