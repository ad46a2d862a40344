"""Language selection: Simplified Chinese by default, English by an explicit switch."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import Babel, format_datetime

from portal.web import is_english, page_language

LANG_COOKIE = "lang"
# Babel normalises zh_CN to zh_Hans_CN; the catalogue lives under that name.
CHINESE = "zh_Hans_CN"
ENGLISH = "en"
# Blueprints answering programs rather than people: the Accept-Language header chooses.
_BY_HEADER: set[str] = set()


def choose_language_by_header(blueprint: str) -> None:
    """Let the Accept-Language header, not the language switch, choose `blueprint`'s language."""
    _BY_HEADER.add(blueprint)


def select_locale() -> str:
    """Return the reader's chosen language, Chinese unless they switched to English.

    Outside a request (CLI commands, operations run by tests) text is Chinese, the
    language of the records the portal publishes. An API answers in English when the
    request's Accept-Language prefers English to Chinese, else in Chinese: every word of
    one answer in one language.
    """
    if not has_request_context():
        return CHINESE
    if request.blueprint in _BY_HEADER:
        best = request.accept_languages.best_match(["zh", "en"], default="zh")
        return ENGLISH if best == "en" else CHINESE
    return ENGLISH if request.cookies.get(LANG_COOKIE) == ENGLISH else CHINESE


def hotline_text() -> str:
    """Return the other ways to report (HOTLINE_TEXT) in the page's language."""
    english = current_app.config.get("HOTLINE_TEXT_EN") if is_english() else None
    return str(english or current_app.config["HOTLINE_TEXT"])


def init_app(app: Flask) -> None:
    """Install Flask-Babel with our selector and template helpers."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def _language_helpers() -> dict[str, object]:
        english = is_english()
        return {
            "is_english": english,
            # The language models name things in: `region.label(page_language)`.
            "page_language": page_language(),
            "html_lang": "en" if english else "zh-CN",
            "other_language": CHINESE if english else ENGLISH,
            "hotline_text": hotline_text(),
        }

    @app.after_request
    def _content_language(response: Response) -> Response:
        # The page cache draws a stale page's notice in this language (portal/pagecache.py).
        response.headers.setdefault("Content-Language", "en" if is_english() else "zh-CN")
        return response

    @app.template_filter("localtime")
    def _localtime(value: datetime | None, fmt: str = "medium") -> str:
        """Show a stored UTC time in Asia/Shanghai (BABEL_DEFAULT_TIMEZONE)."""
        if value is None:
            return ""
        return str(format_datetime(value, fmt))
