"""The statutory public holidays of a year, estimated from the holiday law (docs/domain.md §13).

《全国年节及纪念日放假办法》 (revised 2024, in force 2025-01-01) fixes the holidays every
citizen has, some by the solar calendar, some by the lunar calendar and one by a solar
term. The lunar dates and the solar term come from borax's tables (1900–2100), never from
astronomy of our own. What the law leaves to the State Council's yearly schedule — the
days off in lieu of a holiday on a weekend, bridging days and the weekend days worked
instead (调休) — cannot be known in advance and is not estimated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from borax.calendars.lunardate import LunarDate, TermUtils
from flask_babel import lazy_gettext as _l

from intake.catalog import Choice

# The holidays of every citizen, in the law's order, with their stable codes.
HOLIDAYS: tuple[Choice, ...] = (
    Choice("new_year", _l("New Year's Day")),
    Choice("spring_festival", _l("Spring Festival")),
    Choice("qingming", _l("Qingming")),
    Choice("labour_day", _l("Labour Day")),
    Choice("dragon_boat", _l("Dragon Boat Festival")),
    Choice("mid_autumn", _l("Mid-Autumn Festival")),
    Choice("national_day", _l("National Day")),
)


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


@lru_cache(maxsize=32)
def statutory_holidays(year: int) -> Mapping[date, tuple[str, ...]]:
    """Return the statutory holidays of `year`, each with its holidays' codes (docs/domain.md §13).

    Empty for a year beyond borax's tables (they end with 2100): its deadlines count
    Monday to Friday, still marked as estimated.
    """
    try:
        return MappingProxyType(_statutory_holidays(year))
    except ValueError:  # borax's InvalidLunarDateError
        return MappingProxyType({})


def _statutory_holidays(year: int) -> dict[date, tuple[str, ...]]:
    # Lunar New Year's Eve is the last day of the twelfth month of the year before, the
    # 29th or the 30th: borax knows which.
    new_years_eve = LunarDate.last_day(year - 1, 12).to_solar_date()
    by_code = {
        "new_year": [date(year, 1, 1)],
        "spring_festival": _days(new_years_eve, 4),  # New Year's Eve and the 1st–3rd
        "qingming": [TermUtils.nth_term_day(year, term_name="清明")],
        "labour_day": _days(date(year, 5, 1), 2),
        "dragon_boat": [LunarDate(year, 5, 5).to_solar_date()],
        "mid_autumn": [LunarDate(year, 8, 15).to_solar_date()],
        "national_day": _days(date(year, 10, 1), 3),
    }
    # Two holidays may share a day (the Mid-Autumn Festival of 2028 is on 3 October): it
    # is still one day off, under both names.
    holidays: dict[date, tuple[str, ...]] = {}
    for code, days in by_code.items():
        for day in days:
            holidays[day] = (*holidays.get(day, ()), code)
    return dict(sorted(holidays.items()))
