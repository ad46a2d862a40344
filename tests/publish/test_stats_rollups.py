"""Statistics from rollups (docs/domain.md §5) equal a recount of the raw tables at every moment.

A seeded random sequence of real operations (tests/publish/stats_sequence.py) runs over a
year and a half; then every stored rollup equals that day's recount, and the published
figures read through the rollups equal those counted from the raw tables alone, with the
worker's refresh done, never done, or done now and then.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.identity.person import ReporterIdentity
from portal.jurisdictions.models import Region
from portal.jurisdictions.tree import subtree_ids
from portal.timeutil import today_in_china
from publish.stats.by_kind import kind_rows
from publish.stats.compute import RegionStats, compute, headline_totals, period_bounds
from publish.stats.refresh import refresh_rollups
from publish.stats.rollups import (
    Cell,
    StatsDirtyDay,
    StatsRollup,
    midnight,
    next_quarter,
    quarter_of,
    raw_counts,
    summed_rollups,
)

THRESHOLD = 3


@pytest.fixture
def staff(make_staff: Callable[..., Any], recovery_private_key: bytes) -> dict[str, Any]:
    """The province's staff (jurisdiction over every region used) and a county supervisor."""
    return {
        "intake": make_staff("intake_officer", region_code="640000"),
        "investigator": make_staff("investigator", region_code="640000"),
        "approver": make_staff("approver", region_code="640000"),
        "reward": make_staff("reward_officer", region_code="640000"),
        "supervisor": make_staff("social_supervisor", region_code="640104"),
    }


def run_sequence(
    db: Session,
    staff: dict[str, Any],
    identity: ReporterIdentity,
    seed: int,
    *,
    refresh_chance: float = 0.0,
    steps: int = 150,
) -> Any:
    """Run the seeded sequence, refreshing after a step with the given chance.

    The last few steps are never refreshed, so some changes always wait for the worker.
    """
    from tests.publish.stats_sequence import Sequence

    rng = random.Random(seed)

    def maybe_refresh() -> None:
        if rng.random() < refresh_chance:
            refresh_rollups(db)
            db.commit()

    sequence = Sequence(db, rng, staff, identity, after_step=maybe_refresh)
    sequence.run(steps - 5)
    sequence.after_step = None
    sequence.run(steps)
    return sequence


def stored_day(db: Session, day: date) -> dict[tuple[int, str, int], Cell]:
    """Return the rollups stored for `day`."""
    return summed_rollups(db, day, day + timedelta(days=1))


def recount_day(db: Session, day: date) -> dict[tuple[int, str, int], Cell]:
    """Return `day` counted from the raw tables."""
    return dict(raw_counts(db, midnight(day), midnight(day + timedelta(days=1))))


def figures(result: dict[int, RegionStats]) -> dict[int, tuple[dict[str, Any], set[str]]]:
    """Return every region's values and suppressed metrics, for comparison."""
    return {rid: (dict(s.values), set(s.suppressed)) for rid, s in result.items()}


def periods() -> list[tuple[int, int | None]]:
    """Return this year, last year and each quarter of both."""
    this = today_in_china().year
    return [(year, quarter) for year in (this - 1, this) for quarter in (None, 1, 2, 3, 4)]


def assert_published_figures_equal_a_raw_recount(db: Session) -> None:
    """Per region, and by kind of party everywhere and in one province's subtree."""
    province = db.scalars(select(Region).where(Region.parent_id.is_(None))).first()
    assert province is not None
    for year, quarter in periods():
        via_rollups = compute(db, year, quarter, THRESHOLD)
        from_raw = compute(db, year, quarter, THRESHOLD, source=raw_counts)
        assert figures(via_rollups) == figures(from_raw), (year, quarter)
        start, end = period_bounds(year, quarter)
        for region_ids in (None, subtree_ids(db, province.id)):
            by_kind = kind_rows(db, start, end, region_ids, THRESHOLD)
            by_kind_raw = kind_rows(db, start, end, region_ids, THRESHOLD, source=raw_counts)
            assert by_kind == by_kind_raw, (year, quarter, region_ids)


def test_every_rollup_equals_its_days_recount_after_a_random_sequence_and_a_refresh(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    # Refreshed now and then too: a change must mark days refreshed before it.
    sequence = run_sequence(db, staff, identity, seed=20261202, refresh_chance=0.2)
    refresh_rollups(db)
    db.commit()
    assert db.scalar(select(func.count()).select_from(StatsDirtyDay)) == 0
    first, last = min(sequence.days), today_in_china()
    day = first - timedelta(days=1)
    while day <= last:
        assert stored_day(db, day) == recount_day(db, day), day
        day += timedelta(days=1)
    stored = {metric for d in sequence.days for (_, metric, _) in stored_day(db, d)}
    assert {"received", "accepted", "closed", "handled", "opinions_answered"} <= stored


def _days_summed(db: Session, first: date, end: date) -> dict[tuple[int, str, int], Cell]:
    """Return the sum of the day rollups of [first, end), read one day at a time."""
    days: dict[tuple[int, str, int], Cell] = {}
    for day in range((end - first).days):
        for key, cell in stored_day(db, first + timedelta(days=day)).items():
            into = days.setdefault(key, Cell())
            into.count, into.timely = into.count + cell.count, into.timely + cell.timely
            into.amount += cell.amount
    return days


def test_every_quarters_rollups_are_the_sum_of_its_days_after_a_refresh(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    sequence = run_sequence(db, staff, identity, seed=20261202, refresh_chance=0.2)
    refresh_rollups(db)
    db.commit()
    quarter = quarter_of(min(sequence.days))
    while quarter <= today_in_china():
        end = next_quarter(quarter)
        assert summed_rollups(db, quarter, end) == _days_summed(db, quarter, end), quarter
        quarter = end


def test_every_years_rollups_are_the_sum_of_its_days_after_a_refresh(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    sequence = run_sequence(db, staff, identity, seed=20261203, refresh_chance=0.2)
    refresh_rollups(db)
    db.commit()
    for year in range(min(sequence.days).year, today_in_china().year + 1):
        first, end = date(year, 1, 1), date(year + 1, 1, 1)
        assert summed_rollups(db, first, end) == _days_summed(db, first, end), year


def test_published_figures_equal_a_raw_recount_after_a_refresh(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    run_sequence(db, staff, identity, seed=7, refresh_chance=0.2)
    refresh_rollups(db)
    db.commit()
    assert_published_figures_equal_a_raw_recount(db)


def test_published_figures_equal_a_raw_recount_with_no_refresh_ever(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    run_sequence(db, staff, identity, seed=11)
    assert db.scalar(select(func.count()).select_from(StatsRollup)) == 0
    assert_published_figures_equal_a_raw_recount(db)


def test_published_figures_equal_a_raw_recount_with_refreshes_now_and_then(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    run_sequence(db, staff, identity, seed=23, refresh_chance=0.2)
    assert db.scalar(select(func.count()).select_from(StatsDirtyDay)) > 0
    assert_published_figures_equal_a_raw_recount(db)


def test_the_sequence_takes_every_kind_of_operation(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    sequence = run_sequence(db, staff, identity, seed=20261202)
    assert set(sequence.done) >= {
        "submit",
        "accept",
        "decline",
        "transfer",
        "move",
        "handle",
        "handle_again",
        "feedback",
        "rate",
        "ask_review",
        "uphold",
        "send_back",
        "reward",
        "opinion",
        "answer",
        "extend",
        "merge",
    }


def test_the_home_pages_totals_equal_a_raw_recount_after_partial_refreshes(
    db: Session, staff: dict[str, Any], identity: ReporterIdentity
) -> None:
    run_sequence(db, staff, identity, seed=5, refresh_chance=0.3, steps=40)
    year = today_in_china().year
    raw = compute(db, year, None, 1, source=raw_counts)
    provinces = [s for s in raw.values() if s.region.parent_id is None]
    expected = {m: sum(s.values[m] for s in provinces) for m in ("received", "closed")}
    assert headline_totals(db, year, 1) == expected
