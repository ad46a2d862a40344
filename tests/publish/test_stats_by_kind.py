"""Statistics by kind of reported party: reports, founded cases, penalties, small counts hidden."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from intake.penalties.models import SubjectKind
from portal.institutions.models import InstitutionKind
from portal.timeutil import today_in_china
from publish.stats.by_kind import kind_rows
from publish.stats.compute import period_bounds
from tests.conftest import handle_to_feedback
from tests.publish.test_institution_pages import add_institution, add_penalty


def _rows(db: Session, region_ids: list[int] | None = None, threshold: int = 5) -> dict[str, Any]:
    start, end = period_bounds(today_in_china().year, None)
    return {row.kind: row.values for row in kind_rows(db, start, end, region_ids, threshold)}


def _file(make_report: Any, kind: str, count: int, region: str = "640104") -> list[Any]:
    return [make_report(region, party_kind=kind)[0] for _ in range(count)]


def test_reports_are_counted_by_kind_of_party(db: Session, make_report: Any) -> None:
    _file(make_report, "hospital", 6)
    _file(make_report, "pharmacy", 5)
    rows = _rows(db)
    assert (rows["hospital"]["reports"], rows["pharmacy"]["reports"]) == (6, 5)


def test_a_small_count_is_hidden(db: Session, make_report: Any) -> None:
    _file(make_report, "hospital", 6)
    _file(make_report, "pharmacy", 5)
    _file(make_report, "insured_person", 2)
    assert _rows(db)["insured_person"]["reports"] is None


def test_a_lone_hidden_count_hides_the_next_smallest_of_its_column(
    db: Session, make_report: Any
) -> None:
    _file(make_report, "hospital", 6)
    _file(make_report, "pharmacy", 5)
    _file(make_report, "insured_person", 2)
    assert _rows(db)["pharmacy"]["reports"] is None and _rows(db)["hospital"]["reports"] == 6


def test_a_founded_case_counts_once_its_handling_is_decided(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    intake, investigator, approver = (
        make_staff("intake_officer"),
        make_staff("investigator"),
        make_staff("approver"),
    )
    for report in _file(make_report, "hospital", 2):
        handle_to_feedback(db, report, intake=intake, investigator=investigator, approver=approver)
    db.commit()
    assert _rows(db, threshold=1)["hospital"]["founded"] == 2


def test_penalties_count_under_their_institutions_kind(db: Session, make_staff: Any) -> None:
    pharmacy = add_institution(db, "P64010400357", "宁夏康泰大药房", kind=InstitutionKind.PHARMACY)
    clinic = add_institution(db, "H64010400013", "兴庆区某诊所", kind=InstitutionKind.PRIMARY_CARE)
    this_year = date(today_in_china().year, 1, 2)
    add_penalty(db, make_staff, pharmacy, decided_on=this_year)
    add_penalty(db, make_staff, clinic, decided_on=this_year)
    rows = _rows(db, threshold=1)
    assert (rows["pharmacy"]["penalties"], rows["hospital"]["penalties"]) == (1, 1)


def test_a_penalty_against_an_individual_counts_under_insured_persons(
    db: Session, make_staff: Any
) -> None:
    clinic = add_institution(db, "H64010400013", "兴庆区某诊所")
    add_penalty(
        db,
        make_staff,
        clinic,
        institution=None,
        subject_kind=SubjectKind.INDIVIDUAL,
        subject_name="张三",
        article=41,
        decided_on=date(today_in_china().year, 1, 2),
    )
    assert _rows(db, threshold=1)["insured_person"]["penalties"] == 1


def test_counts_are_limited_to_the_region_asked_for(
    client: Any, db: Session, make_report: Any
) -> None:
    _file(make_report, "hospital", 5)
    _file(make_report, "hospital", 5, region="110105")
    body = client.get("/stats.json?region=640000").get_json()
    hospital = next(r for r in body["by_party_kind"] if r["party_kind"] == "hospital")
    assert hospital["reports"] == 5


def test_the_page_shows_the_table_by_kind(client: Any, make_report: Any) -> None:
    _file(make_report, "hospital", 5)
    page = client.get("/stats").get_data(as_text=True)
    assert 'id="stats-by-kind"' in page and 'data-kind="hospital"' in page


def test_the_csv_by_kind_marks_hidden_cells_as_suppressed(client: Any, make_report: Any) -> None:
    _file(make_report, "hospital", 6)
    _file(make_report, "pharmacy", 5)
    _file(make_report, "insured_person", 2)
    text = client.get("/stats/party-kinds.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {r["party_kind"]: r for r in csv.DictReader(io.StringIO(text))}
    assert (rows["insured_person"]["reports"], rows["hospital"]["reports"]) == ("suppressed", "6")


def test_the_api_gives_the_counts_by_kind(client: Any, make_report: Any) -> None:
    _file(make_report, "hospital", 5)
    body = client.get("/api/v1/stats").get_json()
    hospital = next(r for r in body["by_party_kind"] if r["party_kind"] == "hospital")
    counts = {k: hospital[k] for k in ("party_kind", "reports", "founded", "penalties")}
    assert counts == {"party_kind": "hospital", "reports": 5, "founded": 0, "penalties": 0}
