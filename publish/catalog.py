"""Closed lists of publishing (docs/domain.md §5): funds, units, periods, case fields."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_skeleton
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake.catalog import Choice
from portal.i18n import CHINESE

FUNDS: tuple[Choice, ...] = (
    Choice("all", _l("Basic medical insurance, all funds")),
    Choice("employee", _l("Employee basic medical insurance (with maternity)")),
    Choice("employee_pooled", _l("Employee insurance: pooled fund")),
    Choice("employee_individual", _l("Employee insurance: individual accounts")),
    Choice("resident", _l("Urban-rural resident basic medical insurance")),
    Choice("serious_illness", _l("Serious-illness insurance")),
    Choice("medical_assistance", _l("Medical assistance")),
)
FUND_CODES = frozenset(c.code for c in FUNDS)

UNITS: tuple[Choice, ...] = (
    Choice("wan", _l("10,000 yuan (万元)")),
    Choice("yi", _l("100 million yuan (亿元)")),
)
# The one name of each unit in every format: CSV and JSON downloads, the API, the columns
# page (the code is only how it is stored). Spreadsheets write it so; imports take both.
UNIT_NAMES = {"wan": "万元", "yi": "亿元"}
UNIT_ALIASES = {"wan": "wan", "万元": "wan", "yi": "yi", "亿元": "yi"}

SUBJECT_KINDS: tuple[Choice, ...] = (
    Choice("institution", _l("Medical institution")),
    Choice("pharmacy", _l("Pharmacy")),
    Choice("individual", _l("Individual")),
)
DISCOVERY: tuple[Choice, ...] = (
    Choice("report_clue", _l("A report (举报线索)")),
    Choice("special_inspection", _l("Special inspection")),
    Choice("flying_inspection", _l("Flying inspection (飞行检查)")),
    Choice("big_data", _l("Big-data model")),
)

_PERIOD = re.compile(r"^(Y|Q[1-4]|M(0[1-9]|1[0-2]))$")


def valid_period(value: str) -> bool:
    """Return whether `value` is Y, Q1–Q4 or M01–M12."""
    return bool(_PERIOD.match(value))


def period_sort_key(period: str) -> tuple[int, int]:
    """Order periods within a year: months, then quarters, then the year."""
    if period.startswith("M"):
        return (0, int(period[1:]))
    if period.startswith("Q"):
        return (1, int(period[1:]))
    return (2, 0)


def period_name(year: int, period: str) -> str:
    """Return a period as people write it: 2022年全年, 2022年第1季度, 2022年3月 (or in English).

    Pages, feeds and download titles all name a disclosure's period (Y, Q1–Q4, M01–M12)
    through this one function, in the language of the request.
    """
    if period.startswith("Q"):
        return str(_("Q%(quarter)d %(year)d", quarter=int(period[1:]), year=year))
    if period.startswith("M"):
        return format_skeleton("yMMMM", date(year, int(period[1:]), 1), locale=get_locale())
    return str(_("%(year)d (full year)", year=year))


def chinese_period_name(year: int, period: str) -> str:
    """Return a period's name in Chinese, the language of published records (feeds, JSON)."""
    with force_locale(CHINESE):
        return period_name(year, period)
