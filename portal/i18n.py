"""Language selection: Simplified Chinese by default, English by an explicit switch."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.support import NullTranslations
from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from portal.timeutil import CHINA
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


def _template_translations() -> NullTranslations:
    """Return the translations of the locale in force, looked up once per locale and request.

    Flask-Babel's own lookup walks its request context three times for every string (the
    domain, the locale, the cache key), and a page draws from thirty to a few hundred
    strings (bench/README.md). Keyed on the locale object, so `force_locale` still switches.
    """
    locale = get_locale()
    found: tuple[object, NullTranslations] | None = g.get("_template_translations")
    if found is None or found[0] is not locale:
        found = (locale, get_translations())
        g._template_translations = found
    return found[1]


# Where a template rendered through Flask finds the translations of its render: the
# context processor below puts them there once, so each string costs a dictionary lookup.
_RENDER_TRANSLATIONS = "_render_translations"


@pass_context
def _gettext(context: Context, string: str, **variables: Any) -> str:
    """Translate `string` in a template: Jinja's newstyle gettext, without its detours.

    The same result as the callable `install_gettext_callables(newstyle=True)` makes:
    Markup when the template autoescapes, and always a format string ("%%" is "%"). It
    skips two `Context.call`s and formats only a string with variables or a "%", which
    made a `_()` cost about 20 µs where a page draws thirty or more (bench/README.md).
    Templates rendered without the context processor (imported macros) look the
    translations up as before.
    """
    translations = context.get(_RENDER_TRANSLATIONS) or _template_translations()
    text: str = translations.ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our own catalogue, as Jinja's gettext trusts it)
    return text % variables if variables or "%" in text else text


def init_app(app: Flask) -> None:
    """Install Flask-Babel with our selector and template helpers."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    Babel(app, locale_selector=select_locale)
    # Templates translate through the lookup above, in place of the callables Flask-Babel
    # installed (the i18n extension it added to Jinja defines the method).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _template_translations().ugettext(s),
        ngettext=lambda s, p, n: _template_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _template_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _template_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(gettext=_gettext, _=_gettext)

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
            # Inside `force_locale` when the caller renders in another language.
            _RENDER_TRANSLATIONS: _template_translations(),
        }

    @app.after_request
    def _content_language(response: Response) -> Response:
        # The page cache draws a stale page's notice in this language (portal/pagecache.py).
        response.headers.setdefault("Content-Language", "en" if is_english() else "zh-CN")
        return response

    app.add_template_filter(format_date, "format_date")
    app.add_template_filter(format_datetime, "format_datetime")


# The one way a date or a time is shown to a person (docs/architecture.md, "Dates"): one
# pattern per language, times in China time on a 24-hour clock. Machine formats (CSV,
# JSON, feeds, `<time datetime>`) stay ISO 8601 and never come through here.
_PATTERNS = {
    "zh": ("y年M月d日", "y年M月d日 HH:mm"),
    "en": ("d MMM y", "d MMM y, HH:mm"),
}


def _patterns() -> tuple[str, str]:
    return _PATTERNS[page_language()]


def format_date(value: date | None) -> str:
    """Return a day as people read it: 2026年12月1日, or 1 Dec 2026 in English.

    A timestamp is shown as its day in China.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(CHINA).date()
    return babel_date(value, _patterns()[0], locale=page_language())


def format_datetime(value: datetime | date | None) -> str:
    """Return a stored UTC time in China time: 2026年12月1日 14:03, or 1 Dec 2026, 14:03."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value)
    return babel_datetime(value, _patterns()[1], tzinfo=CHINA, locale=page_language())
