"""Time in the portal: stored in UTC, shown and counted in China's time zone."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.db import utcnow

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    """Return today's date in Beijing time, the day deadlines are counted from."""
    return utcnow().astimezone(CHINA).date()


class china_date(FunctionElement[date]):  # noqa: N801 (an SQL function, named like one)
    """SQL: the date in China of a stored UTC timestamp (UTC+8 all year, no daylight saving).

    Lets statistics count days in SQL the way `today_in_china` does in Python.
    """

    type = Date()
    inherit_cache = True


@compiles(china_date, "postgresql")
def _china_date_postgresql(element: china_date, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Shanghai' AS DATE)"


@compiles(china_date, "sqlite")
def _china_date_sqlite(element: china_date, compiler: Any, **kw: Any) -> str:
    # SQLite keeps the UTC timestamp as text; China has been UTC+8 without DST since 1991.
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


class china_days_between(FunctionElement[int]):  # noqa: N801
    """SQL: whole days from the China date of the second timestamp to that of the first."""

    type = Integer()
    inherit_cache = True


@compiles(china_days_between, "postgresql")
def _days_postgresql(element: china_days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(china_date(c), **kw) for c in element.clauses)
    return f"({later} - {earlier})"


@compiles(china_days_between, "sqlite")
def _days_sqlite(element: china_days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(china_date(c), **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
