"""Time in the portal: stored in UTC, shown and counted in China's time zone (notes.md)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from portal.db import utcnow

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    """Return today's date in Beijing time, the day deadlines are counted from."""
    return utcnow().astimezone(CHINA).date()
