"""Every refusal of publishing's operations has its words, in English and in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from flask_babel import force_locale

from portal.errors import message_for
from publish.messages import MESSAGES

# Words, headers and pages, not the database: checked on SQLite alone.
pytestmark = pytest.mark.one_backend

UNKNOWN = "no-such-refusal-code"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_refusal_code_has_its_own_words(app: Any, code: str) -> None:
    with app.test_request_context():
        assert message_for(code, **_params(code)) != message_for(UNKNOWN)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_refusal_is_worded_in_chinese(app: Any, code: str) -> None:
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        words = message_for(code, **_params(code))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in words), words


def _params(code: str) -> dict[str, str]:
    # Fill every placeholder a code's words may have.
    names = ("income", "expenditure", "difference", "stated", "previous", "current", "sum")
    more = ("parts", "total", "value", "first", "year", "period", "max")
    return dict.fromkeys((*names, *more), "1") if code.startswith("import_") else {}
