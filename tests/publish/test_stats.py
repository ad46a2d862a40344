"""Public statistics: aggregates per region, small counts hidden, no hidden count recoverable."""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from portal.timeutil import today_in_china
from publish.stats.compute import COUNTS, compute


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


def _cell(page: str, region: str, metric: str) -> str:
    row = page.split(f'data-region="{region}"')[1].split("</tr>")[0]
    return row.split(f'data-metric="{metric}"')[1].split("</td>")[0]


def test_the_page_marks_hidden_cells_with_a_mark_and_words(client: Any, reports: None) -> None:
    page = client.get("/stats?region=640100").get_data(as_text=True)
    cell = _cell(page, "640104", "received")
    assert 'data-suppressed="true"' in cell and '<span aria-hidden="true">*</span>' in cell
    assert '<span class="visually-hidden">隐藏</span>' in cell


def test_the_page_marks_nothing_to_measure_unlike_a_hidden_cell(client: Any, reports: None) -> None:
    page = client.get("/stats?region=640100").get_data(as_text=True)
    cell = _cell(page, "640106", "accepted_on_time_rate")
    assert "data-suppressed" not in cell and "—" in cell


def test_the_page_explains_its_marks(client: Any, reports: None) -> None:
    page = client.get("/stats?region=640100").get_data(as_text=True)
    assert 'id="cell-legend"' in page and 'aria-describedby="cell-legend"' in page


def test_the_csv_marks_hidden_cells_apart_from_empty_ones(client: Any, reports: None) -> None:
    body = client.get("/stats.csv?region=640100").data
    assert body.startswith("\ufeff".encode())
    rows = {r["region_code"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["640104"]["received"] == "suppressed" and rows["640100"]["received"] == "10"
    assert rows["640106"]["accepted_on_time_rate"] == ""


def test_the_json_gives_null_for_hidden_values_and_names_them(client: Any, reports: None) -> None:
    body = json.loads(client.get("/stats.json?region=640100").data)
    rows = {r["region_code"]: r for r in body["rows"]}
    assert rows["640104"]["received"] is None and "received" in rows["640104"]["suppressed"]
    assert "accepted_on_time_rate" not in rows["640106"]["suppressed"]
    assert body["suppression_threshold"] == 5


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
    from publish.stats.compute import headline_totals

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


@pytest.mark.parametrize(
    ("received", "closed", "days"),
    [
        # 23:30 and 00:30 in Beijing: one day apart in China, the same day in UTC.
        ("2026-03-01T15:30:00+00:00", "2026-03-01T16:30:00+00:00", 1),
        # 00:30 and 23:30 in Beijing on 1 March: the same day in China, not in UTC.
        ("2026-02-28T16:30:00+00:00", "2026-03-01T15:30:00+00:00", 0),
    ],
)
def test_days_are_counted_between_dates_in_china(
    db: Session, received: str, closed: str, days: int
) -> None:
    from datetime import datetime

    from sqlalchemy import bindparam, select

    from portal.db import UTCDateTime
    from portal.timeutil import china_days_between

    later = bindparam("later", datetime.fromisoformat(closed), type_=UTCDateTime)
    earlier = bindparam("earlier", datetime.fromisoformat(received), type_=UTCDateTime)
    assert db.scalar(select(china_days_between(later, earlier))) == days


@given(st.lists(st.integers(min_value=0, max_value=400), max_size=40))
def test_the_median_of_counted_days_is_the_median_of_the_days(values: list[int]) -> None:
    from collections import Counter

    from publish.stats.compute import median_of_counts

    expected = statistics.median(values) if values else None
    assert median_of_counts(Counter(values)) == expected


def test_the_median_days_to_close_comes_from_each_reports_own_days(
    db: Session, make_report: Any
) -> None:
    from datetime import timedelta

    from portal.db import utcnow

    now = utcnow()
    for taken in (1, 3, 10, 10, 2):
        report, _ = make_report(region_code="640104")
        report.received_at = now - timedelta(days=taken)
        report.closed_at = now
    db.commit()
    assert _by_code(db)["640104"].shown("median_days_to_close") == 3
