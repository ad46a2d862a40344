"""Public statistics: aggregates per region, small counts hidden, no hidden count recoverable."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.timeutil import today_in_china
from publish.stats import COUNTS, compute


@pytest.fixture
def reports(make_report: Any) -> None:
    for _ in range(3):
        make_report(region_code="640104")
    for _ in range(7):
        make_report(region_code="640106")
    for _ in range(6):
        make_report(region_code="110105")


def _by_code(db: Session) -> dict[str, Any]:
    return {s.region.code: s for s in compute(db, today_in_china().year, None, 5).values()}


def test_counts_roll_up_the_jurisdiction_tree(db: Session, reports: None) -> None:
    stats = _by_code(db)
    assert stats["640106"].shown("received") == 7
    assert stats["640100"].shown("received") == 10 and stats["640000"].shown("received") == 10


def test_a_count_below_the_threshold_is_hidden(db: Session, reports: None) -> None:
    assert _by_code(db)["640104"].shown("received") is None


def test_a_hidden_count_never_stands_alone_among_its_siblings(db: Session, reports: None) -> None:
    stats = _by_code(db)
    children: dict[str, list[Any]] = defaultdict(list)
    for s in stats.values():
        if s.region.parent is not None:
            children[s.region.parent.code].append(s)
    for metric in COUNTS:
        for parent, kids in children.items():
            hidden = [k for k in kids if metric in k.suppressed]
            assert len(hidden) != 1 or metric in stats[parent].suppressed, (metric, parent)


def test_subtracting_published_siblings_does_not_give_back_a_hidden_count(
    db: Session, reports: None
) -> None:
    stats = _by_code(db)
    siblings = [
        s
        for s in stats.values()
        if s.region.parent is not None and s.region.parent.code == "640100"
    ]
    published = sum(s.shown("received") for s in siblings if s.shown("received") is not None)
    remainder = stats["640100"].shown("received") - published
    hidden = [s for s in siblings if s.shown("received") is None]
    assert (
        len(hidden) >= 2 and remainder == 3
    )  # the remainder is shared by at least two hidden cells


def test_a_threshold_of_one_hides_nothing(db: Session, reports: None) -> None:
    stats = {s.region.code: s for s in compute(db, today_in_china().year, None, 1).values()}
    assert stats["640104"].shown("received") == 3


def test_the_page_marks_hidden_cells(client: Any, reports: None) -> None:
    page = client.get("/stats?region=640100").get_data(as_text=True)
    row = page.split('data-region="640104"')[1].split("</tr>")[0]
    assert 'data-metric="received">—<' in row


def test_the_csv_leaves_hidden_cells_empty(client: Any, reports: None) -> None:
    body = client.get("/stats.csv?region=640100").data
    assert body.startswith("\ufeff".encode())
    rows = {r["region_code"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["640104"]["received"] == "" and rows["640100"]["received"] == "10"


def test_the_json_gives_null_for_hidden_values(client: Any, reports: None) -> None:
    body = json.loads(client.get("/stats.json?region=640100").data)
    rows = {r["region_code"]: r for r in body["rows"]}
    assert rows["640104"]["received"] is None and body["suppression_threshold"] == 5


def test_bad_parameters_get_400(client: Any) -> None:
    assert client.get("/stats?year=abc&quarter=9").status_code == 400


def test_handling_on_time_and_days_to_close_are_measured(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    from decimal import Decimal

    from tests.conftest import handle_to_feedback

    people = {r: make_staff(r) for r in ("intake_officer", "investigator", "approver")}
    for _ in range(5):
        report, _ = make_report(region_code="640104")
        handle_to_feedback(
            db,
            report,
            intake=people["intake_officer"],
            investigator=people["investigator"],
            approver=people["approver"],
            recovered="10",
        )
    db.commit()
    stats = _by_code(db)["640104"]
    assert stats.shown("handled_on_time_rate") == 100.0
    assert stats.shown("median_days_to_close") == 0
    assert stats.shown("recovered_amount") == Decimal("50.00")


def test_the_home_headline_agrees_with_the_full_statistics(db: Session, make_report: Any) -> None:
    from publish.stats import headline_totals

    for _ in range(6):
        make_report(region_code="640104")
    for _ in range(5):
        make_report(region_code="110105")
    year = today_in_china().year
    provinces = [s for s in compute(db, year, None, 5).values() if s.region.parent_id is None]
    assert (
        headline_totals(db, year, 5)["received"]
        == sum(p.shown("received") for p in provinces)
        == 11
    )
