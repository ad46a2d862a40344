"""One way to show a date or a time to a person: `format_date` and `format_datetime` (portal/i18n.py)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask

from portal.errors import OperationError, message_for
from portal.i18n import format_date, format_datetime

# Formatting, not storage: run on SQLite only.
pytestmark = pytest.mark.one_backend

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_a_day_reads_in_chinese_by_default(app: Flask) -> None:
    with app.test_request_context():
        assert format_date(date(2026, 12, 1)) == "2026年12月1日"


def test_a_day_reads_day_month_year_in_english(app: Flask) -> None:
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert format_date(date(2026, 12, 1)) == "1 Dec 2026"


def test_a_stored_utc_time_is_shown_in_china_time(app: Flask) -> None:
    # 20:03 UTC on 1 December is 04:03 on 2 December in Beijing.
    moment = datetime(2026, 12, 1, 20, 3, tzinfo=UTC)
    with app.test_request_context():
        assert format_datetime(moment) == "2026年12月2日 04:03"
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert format_datetime(moment) == "2 Dec 2026, 04:03"


def test_the_day_of_a_stored_time_is_its_day_in_china(app: Flask) -> None:
    with app.test_request_context():
        assert format_date(datetime(2026, 12, 1, 20, 3, tzinfo=UTC)) == "2026年12月2日"


def test_a_day_in_a_refusal_reads_like_every_other_day(app: Flask) -> None:
    with app.test_request_context():
        words = message_for(OperationError("penalty_period_over", until=date(2026, 12, 1)))
    assert "2026年12月1日" in words and "2026-12-01" not in words


# Ways a template could print a date other than through the two filters. A machine
# format stays ISO 8601: `<time datetime="…">` attributes and URLs are not for reading.
_OTHER_WAYS = re.compile(r"\|\s*(string|localtime|datetimeformat|dateformat)\b|strftime\(")
_ISO = re.compile(r"\.isoformat\(\)")
_MACHINE = re.compile(r'datetime="\{\{[^}]*\.isoformat\(\) \}\}"|url_for\([^)]*\.isoformat\(\)')


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_prints_a_date_in_another_format(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not _OTHER_WAYS.search(text)
    assert not _ISO.search(_MACHINE.sub("", text))
