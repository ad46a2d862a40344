"""The statutory holidays estimated for a year the official calendar does not cover (docs/domain.md §13).

Each estimate is checked against dates found another way: every day of the year is turned
into its lunar date and solar term by borax, and the days the law names are picked out
of that list; 2027 is also checked against the published almanac.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from borax.calendars.lunardate import LunarDate

from intake.calendar.holidays import statutory_holidays

YEARS = [2027, 2028]


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def _lunar_days(year: int, month: int, days: range) -> set[date]:
    """The solar days of `year` whose lunar date is one of `days` of the (non-leap) `month`."""
    found = set()
    for day in _days_of(year):
        lunar = LunarDate.from_solar(day)
        if (lunar.month, lunar.leap) == (month, 0) and lunar.day in days:
            found.add(day)
    return found


def _estimated(year: int, code: str) -> set[date]:
    return {day for day, codes in statutory_holidays(year).items() if code in codes}


@pytest.mark.parametrize("year", YEARS)
def test_spring_festival_is_lunar_new_years_eve_and_the_first_three_days(year: int) -> None:
    first_days = _lunar_days(year, 1, range(1, 4))
    new_years_eve = min(first_days) - timedelta(days=1)
    eve = LunarDate.from_solar(new_years_eve)
    # The eve is the last day of the twelfth month: the next day is the 1st of the 1st.
    assert (eve.month, eve.leap) == (12, 0) and eve.day in (29, 30)
    assert _estimated(year, "spring_festival") == first_days | {new_years_eve}


@pytest.mark.parametrize("year", YEARS)
def test_qingming_is_the_day_of_the_qingming_solar_term(year: int) -> None:
    term_days = {day for day in _days_of(year) if LunarDate.from_solar(day).term == "清明"}
    assert len(term_days) == 1
    assert _estimated(year, "qingming") == term_days


@pytest.mark.parametrize("year", YEARS)
def test_dragon_boat_is_the_fifth_day_of_the_fifth_lunar_month(year: int) -> None:
    assert _estimated(year, "dragon_boat") == _lunar_days(year, 5, range(5, 6))


@pytest.mark.parametrize("year", YEARS)
def test_mid_autumn_is_the_fifteenth_day_of_the_eighth_lunar_month(year: int) -> None:
    assert _estimated(year, "mid_autumn") == _lunar_days(year, 8, range(15, 16))


@pytest.mark.parametrize("year", YEARS)
def test_solar_holidays_are_new_year_labour_day_and_national_day(year: int) -> None:
    assert _estimated(year, "new_year") == {date(year, 1, 1)}
    assert _estimated(year, "labour_day") == {date(year, 5, 1), date(year, 5, 2)}
    assert _estimated(year, "national_day") == {date(year, 10, d) for d in (1, 2, 3)}


@pytest.mark.parametrize("year", YEARS)
def test_no_day_outside_the_law_is_estimated(year: int) -> None:
    law = {
        date(year, 1, 1),
        *_lunar_days(year, 1, range(1, 4)),
        min(_lunar_days(year, 1, range(1, 2))) - timedelta(days=1),
        *{day for day in _days_of(year) if LunarDate.from_solar(day).term == "清明"},
        date(year, 5, 1),
        date(year, 5, 2),
        *_lunar_days(year, 5, range(5, 6)),
        *_lunar_days(year, 8, range(15, 16)),
        *{date(year, 10, d) for d in (1, 2, 3)},
    }
    assert set(statutory_holidays(year)) == law


def test_2027_matches_the_published_almanac() -> None:
    # Spring Festival on Saturday 6 February 2027, so New Year's Eve on 5 February.
    assert sorted(_estimated(2027, "spring_festival")) == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
    ]
    assert _estimated(2027, "qingming") == {date(2027, 4, 5)}
    assert _estimated(2027, "dragon_boat") == {date(2027, 6, 9)}
    assert _estimated(2027, "mid_autumn") == {date(2027, 9, 15)}


def test_a_mid_autumn_on_national_day_is_one_day_off_under_both_names() -> None:
    # 15th of the 8th lunar month 2028 is 3 October.
    assert statutory_holidays(2028)[date(2028, 10, 3)] == ("mid_autumn", "national_day")
    assert len(statutory_holidays(2028)) == 12


def test_a_year_beyond_the_lunar_tables_has_no_estimate() -> None:
    assert dict(statutory_holidays(2101)) == {}
