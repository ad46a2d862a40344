"""Each rule of marking changed days (publish/stats/dirty.py), the refresh and the exact read.

Every test brings the rollups up to date first, makes one change the way the product
does, and looks at the marks and the refreshed rollups of the days concerned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from intake.models import Report
from intake.office import acceptance, handling
from intake.penalties.models import Penalty, PenaltyStatus
from intake.review.models import Rating, Satisfaction
from portal.institutions.models import InstitutionKind
from portal.jurisdictions.models import get_region_by_code
from portal.notices.worker import PERIODIC
from portal.security import data_cipher
from portal.timeutil import CHINA, today_in_china
from publish.stats.compute import compute
from publish.stats.dirty import mark_days
from publish.stats.refresh import rebuild_rollups, refresh_job, refresh_rollups
from publish.stats.rollups import Cell, StatsDirtyDay, summed_rollups
from tests.conftest import handle_to_feedback
from tests.publish.test_institution_pages import add_institution, add_penalty

PAST = today_in_china() - timedelta(days=40)


def at(day: date, hour: int = 10) -> datetime:
    """Return `hour` o'clock of `day` in China."""
    return datetime.combine(day, time(hour), CHINA)


def marks(db: Session) -> set[date]:
    """Return the days marked and not yet refreshed."""
    return set(db.scalars(select(StatsDirtyDay.day)))


def refreshed(db: Session) -> None:
    """Refresh the rollups as the worker does, in a transaction of its own."""
    refresh_rollups(db)
    db.commit()


def stored(db: Session, day: date) -> dict[tuple[int, str, int], Cell]:
    """Return the rollups of `day`."""
    return summed_rollups(db, day, day + timedelta(days=1))


def one_received(db: Session, code: str) -> dict[tuple[int, str, int], Cell]:
    """Return the rollups of one report about a hospital received in region `code`."""
    rid = region_id(db, code)
    return {(rid, "received", 0): Cell(1), (rid, "kind_reports:hospital", 0): Cell(1)}


def region_id(db: Session, code: str) -> int:
    region = get_region_by_code(db, code)
    assert region is not None
    return region.id


@pytest.fixture
def staff(make_staff: Callable[..., Any]) -> dict[str, Any]:
    return {
        "intake": make_staff("intake_officer", region_code="640000"),
        "investigator": make_staff("investigator", region_code="640000"),
        "approver": make_staff("approver", region_code="640000"),
    }


@pytest.fixture
def past_report(db: Session, make_report: Callable[..., Any]) -> Report:
    """A report of 640104 received 40 days ago, its rollups up to date."""
    report, _ = make_report("640104")
    report.received_at = at(PAST)
    db.commit()
    refreshed(db)
    return report


def test_a_new_report_marks_its_day_of_receipt(db: Session, make_report: Any) -> None:
    make_report("640104")
    assert marks(db) == {today_in_china()}


def test_a_refresh_counts_the_marked_days_and_drops_their_marks(
    db: Session, past_report: Report
) -> None:
    assert marks(db) == set()
    assert stored(db, PAST) == one_received(db, "640104")


def test_a_report_moved_to_another_region_moves_its_past_days_count_there(
    db: Session, past_report: Report, staff: dict[str, Any]
) -> None:
    acceptance.move_report(
        db,
        past_report,
        actor=staff["intake"],
        region=get_region_by_code(db, "640106"),  # type: ignore[arg-type]
        reason="分级办理",
        cipher=data_cipher(),
    )
    db.commit()
    assert PAST in marks(db)
    refreshed(db)
    assert stored(db, PAST) == one_received(db, "640106")


def test_a_report_sent_back_on_review_leaves_the_day_it_had_closed(
    db: Session, past_report: Report, staff: dict[str, Any]
) -> None:
    handle_to_feedback(
        db,
        past_report,
        intake=staff["intake"],
        investigator=staff["investigator"],
        approver=staff["approver"],
    )
    past_report.closed_at = at(PAST + timedelta(days=5))
    db.commit()
    refreshed(db)
    past_report.closed_at = None
    db.commit()
    assert PAST + timedelta(days=5) in marks(db)
    refreshed(db)
    assert not any(metric == "closed" for _, metric, _ in stored(db, PAST + timedelta(days=5)))


def test_a_rating_changed_later_leaves_the_day_it_was_first_given(
    db: Session, past_report: Report
) -> None:
    db.add(Rating(report_id=past_report.id, satisfaction=Satisfaction.MOSTLY, rated_at=at(PAST)))
    db.commit()
    refreshed(db)
    rating = db.scalar(select(Rating).where(Rating.report_id == past_report.id))
    assert rating is not None
    rating.satisfaction, rating.rated_at = Satisfaction.SATISFIED, at(PAST + timedelta(days=2))
    db.commit()
    assert marks(db) == {PAST, PAST + timedelta(days=2)}
    refreshed(db)
    county = region_id(db, "640104")
    assert (county, "rated_mostly", 0) not in stored(db, PAST)
    assert stored(db, PAST + timedelta(days=2))[(county, "rated_satisfied", 0)] == Cell(1)


def test_a_later_extension_marks_the_day_of_an_earlier_decision(
    db: Session, past_report: Report, staff: dict[str, Any]
) -> None:
    acceptance.accept_report(
        db, past_report, actor=staff["intake"], reason="", cipher=data_cipher()
    )
    db.flush()
    past_report.events[-1].created_at = at(PAST + timedelta(days=3))
    past_report.accept_due_on = PAST + timedelta(days=1)
    db.commit()
    refreshed(db)
    county = region_id(db, "640104")
    assert stored(db, PAST + timedelta(days=3))[(county, "accepted", 3)] == Cell(1, 0)
    past_report.accept_due_on = PAST + timedelta(days=10)
    db.commit()
    assert PAST + timedelta(days=3) in marks(db)
    refreshed(db)
    assert stored(db, PAST + timedelta(days=3))[(county, "accepted", 3)] == Cell(1, 1)


def test_a_new_handling_amount_moves_the_figure_of_the_earlier_decisions_day(
    db: Session, past_report: Report, staff: dict[str, Any]
) -> None:
    handle_to_feedback(
        db,
        past_report,
        intake=staff["intake"],
        investigator=staff["investigator"],
        approver=staff["approver"],
        recovered="100.10",
    )
    decided = next(e for e in past_report.events if e.kind == "handling_decided")
    decided.created_at = at(PAST + timedelta(days=7))
    db.commit()
    refreshed(db)
    past_report.recovered_amount = Decimal("250.25")
    db.commit()
    assert PAST + timedelta(days=7) in marks(db)
    refreshed(db)
    cell = stored(db, PAST + timedelta(days=7))[(region_id(db, "640104"), "handled", 0)]
    assert cell.amount == Decimal("250.25")


def test_an_event_statistics_do_not_count_marks_nothing(
    db: Session, past_report: Report, staff: dict[str, Any]
) -> None:
    acceptance.accept_report(
        db, past_report, actor=staff["intake"], reason="", cipher=data_cipher()
    )
    db.commit()
    refreshed(db)
    handling.send_message(
        db, past_report, actor=staff["intake"], body="请补充材料", cipher=data_cipher()
    )
    db.commit()
    assert marks(db) == set()


def test_a_change_rolled_back_leaves_no_mark(db: Session, past_report: Report) -> None:
    past_report.closed_at = at(PAST + timedelta(days=1))
    db.flush()
    assert marks(db) == {PAST + timedelta(days=1)}
    db.rollback()
    assert marks(db) == set()


def test_days_marked_beside_the_orm_are_refreshed_like_the_others(
    db: Session, past_report: Report
) -> None:
    mark_days(db, [PAST, PAST])
    db.commit()
    assert marks(db) == {PAST}
    refreshed(db)
    assert marks(db) == set()


def test_figures_count_a_change_before_any_refresh(db: Session, past_report: Report) -> None:
    county = region_id(db, "640104")
    before = compute(db, PAST.year, None, 1)[county].values["received"]
    past_report.received_at = at(PAST - timedelta(days=400))
    db.commit()
    assert compute(db, PAST.year, None, 1)[county].values["received"] == before - 1


@pytest.fixture
def pharmacy_penalty(db: Session, make_staff: Callable[..., Any]) -> Penalty:
    """A published penalty against a pharmacy of 640104 decided on PAST, rollups up to date."""
    pharmacy = add_institution(db, "P64010400357", "宁夏康泰大药房", kind=InstitutionKind.PHARMACY)
    penalty = add_penalty(db, make_staff, pharmacy, decided_on=PAST)
    refreshed(db)
    return penalty


def test_a_published_penalty_marks_the_day_it_was_decided(
    db: Session, make_staff: Callable[..., Any]
) -> None:
    pharmacy = add_institution(db, "P64010400357", "宁夏康泰大药房", kind=InstitutionKind.PHARMACY)
    add_penalty(db, make_staff, pharmacy, decided_on=PAST)
    assert marks(db) == {PAST}


def test_a_penalty_is_counted_under_its_institutions_kind_on_its_day(
    db: Session, pharmacy_penalty: Penalty
) -> None:
    rid = region_id(db, "640104")
    assert stored(db, PAST) == {(rid, "kind_penalties:pharmacy", 0): Cell(1)}


def test_a_change_of_an_institutions_kind_moves_its_penalties_count(
    db: Session, pharmacy_penalty: Penalty
) -> None:
    institution = pharmacy_penalty.institution
    assert institution is not None
    institution.kind = InstitutionKind.OTHER
    db.commit()
    assert marks(db) == {PAST}
    refreshed(db)
    rid = region_id(db, "640104")
    assert stored(db, PAST) == {(rid, "kind_penalties:other", 0): Cell(1)}


def test_a_withdrawn_penalty_leaves_the_count_of_its_day(
    db: Session, pharmacy_penalty: Penalty
) -> None:
    pharmacy_penalty.status = PenaltyStatus.WITHDRAWN
    db.commit()
    refreshed(db)
    assert stored(db, PAST) == {}


def test_a_rebuild_stores_what_refreshes_stored(db: Session, past_report: Report) -> None:
    kept = stored(db, PAST)
    rebuild_rollups(db)
    db.commit()
    assert stored(db, PAST) == kept


def test_the_notice_worker_refreshes_the_rollups(app: Flask, db: Session, make_report: Any) -> None:
    make_report("640104")
    assert refresh_job in app.extensions[PERIODIC]
    refresh_job(db, datetime.now(CHINA))
    db.commit()
    assert marks(db) == set()


def test_the_command_rebuilds_every_day(app: Flask, db: Session, past_report: Report) -> None:
    result = app.test_cli_runner().invoke(args=["stats-rollup", "--rebuild"])
    assert result.exit_code == 0, result.output
    db.rollback()
    assert stored(db, PAST) == one_received(db, "640104")


def test_the_rebuild_command_leaves_the_planner_figures_of_the_tables_it_rewrote_fresh(
    app: Flask, db: Session, past_report: Report
) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("planner figures are PostgreSQL's")
    result = app.test_cli_runner().invoke(args=["stats-rollup", "--rebuild"])
    assert result.exit_code == 0, result.output
    db.rollback()
    rows = db.execute(
        text(
            "SELECT reltuples FROM pg_class WHERE relname IN ('stats_rollups', 'stats_rollups_quarters')"
        )
    ).scalars()
    assert all(n > 0 for n in rows)
