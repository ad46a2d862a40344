"""Publishers' formatted text made safe to show: the one sanitizer, built on bleach.

Typical cases are written by publishers but read by everyone, in pages and in feed
readers, so their text may carry only a little formatting: paragraphs, lists, emphasis
and links to legal texts. Everything else is escaped and shown as the characters typed
(never dropped silently, so a publisher sees what was refused); a link survives only to
an http(s) address and never passes the page's address or authority on
(rel="noopener noreferrer nofollow"); a link anywhere else keeps its words, not its
target. Plain text, as every case held before formatting was allowed, keeps its line
breaks as paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "em", "strong", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer nofollow"

_BLOCKS = frozenset({"p", "ul", "ol", "li"})
_INLINE = frozenset({"em", "strong", "a"})
_HTML = "http://www.w3.org/1999/xhtml"
_START_P = {"type": "StartTag", "namespace": _HTML, "name": "p", "data": {}}
_END_P = {"type": "EndTag", "namespace": _HTML, "name": "p"}


def _web_address(href: str) -> bool:
    # bleach has already refused other schemes, but keeps relative addresses ("/x",
    # "//host"), which would point into this site or borrow its scheme.
    parts = urlsplit(href)
    return parts.scheme.lower() in ALLOWED_PROTOCOLS and bool(parts.netloc)


class _SafeLinks(Filter):
    """Keep a link only to an http(s) address, marked rel=noopener noreferrer nofollow."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        kept: list[bool] = []  # the parser balances tags, so ends match starts
        for token in super().__iter__():
            if token.get("name") != "a" or token["type"] not in {"StartTag", "EndTag"}:
                yield token
            elif token["type"] == "StartTag":
                href = token["data"].get((None, "href"), "").strip()
                kept.append(_web_address(href))
                if kept[-1]:
                    yield {**token, "data": {(None, "href"): href, (None, "rel"): LINK_REL}}
            elif kept and kept.pop():
                yield token


class _Paragraphs(Filter):
    """Wrap text outside any block in paragraphs, one per line typed."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        blocks = inline = 0
        open_p = False
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if name in _BLOCKS and kind in {"StartTag", "EndTag"}:
                if kind == "StartTag" and blocks == 0 and open_p:
                    yield _END_P
                    open_p = False
                blocks += 1 if kind == "StartTag" else -1
                yield token
            elif blocks or inline or kind not in {"Characters", "SpaceCharacters"}:
                if blocks == 0 and name in _INLINE and kind in {"StartTag", "EndTag"}:
                    if kind == "StartTag" and not open_p:
                        yield _START_P
                        open_p = True
                    inline += 1 if kind == "StartTag" else -1
                yield token
            else:
                for number, line in enumerate(token["data"].split("\n")):
                    if number and open_p:
                        yield _END_P
                        open_p = False
                    if line.strip() and not open_p:
                        yield _START_P
                        open_p = True
                    if line and open_p:
                        yield {"type": "Characters", "data": line}
        if open_p:
            yield _END_P


_CLEANER = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,  # escape what is not allowed: the reader sees it as text
    strip_comments=True,
    filters=[_SafeLinks, _Paragraphs],
)


def rich_text(text: str | None) -> Markup:
    """Return a publisher's text as safe HTML: the allowed formatting kept, the rest escaped."""
    if not text or not text.strip():
        return Markup("")
    # The cleaner's output holds only the allowed tags and attributes; all text is escaped.
    return Markup(_CLEANER.clean(text))  # noqa: S704
