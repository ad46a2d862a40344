"""The other ways to report (the hotline) are written in the page's language on every page."""

from __future__ import annotations

from typing import Any

import pytest

# Words, headers and pages, not the database: checked on SQLite alone.
pytestmark = pytest.mark.one_backend

PAGES = ["/", "/report", "/track", "/stats", "/cases"]


def _footer(page: str) -> str:
    return page.split("<footer")[1].split("</footer>")[0]


@pytest.mark.parametrize("path", PAGES)
def test_an_english_page_gives_the_hotline_in_english(client: Any, path: str) -> None:
    client.set_cookie("lang", "en")
    footer = _footer(client.get(path).get_data(as_text=True))
    assert "National medical security service hotline 12393" in footer
    assert "全国医保服务热线" not in footer


@pytest.mark.parametrize("path", PAGES)
def test_a_chinese_page_gives_the_hotline_in_chinese(client: Any, path: str) -> None:
    footer = _footer(client.get(path).get_data(as_text=True))
    assert "全国医保服务热线 12393" in footer and "hotline" not in footer


def test_the_english_home_page_gives_the_hotline_in_english(client: Any) -> None:
    client.set_cookie("lang", "en")
    main = client.get("/").get_data(as_text=True).split("<footer")[0]
    assert "National medical security service hotline 12393" in main
    assert "全国医保服务热线" not in main
