"""Web helpers of the shell: the hard body limit, safe redirect targets, absolute URLs.

Features call `safe_next` for every redirect target that came from a request and
`external_url` for every absolute URL they put in a page, feed or API answer, so these
rules live in one place.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, abort, current_app, request, url_for

from portal.config import ConfigError


def safe_next(target: str | None, *, within: str = "/", default: str = "/") -> str:
    """Return `target` if it is a plain path on this site under `within`, else `default`."""
    if not target or not target.startswith(within):
        return default
    # No open redirect: "//host" and "/\host" are other sites to a browser, and a control
    # or whitespace character would end up in the Location header (a 500 for CR/LF).
    if target.startswith("//") or "\\" in target:
        return default
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    # "/staff/../report" leaves `within` once the browser resolves the dots (%2e too).
    if any(unquote(segment) in (".", "..") for segment in parts.path.split("/")):
        return default
    return target


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of `endpoint` under PUBLIC_URL (the request's host in development)."""
    base = current_app.config["PUBLIC_URL"]
    if base:
        # The Host header is the client's to choose: absolute URLs in feeds, the API and
        # cached pages never come from it once the public address is configured.
        return base + url_for(endpoint, **values)
    if current_app.config["ENV"] == "production":
        raise ConfigError("PORTAL_PUBLIC_URL must be set in production")
    return url_for(endpoint, _external=True, **values)


def _refuse_oversized_body() -> None:
    # Hard body limit (docs/security.md, "Abuse"): a body announced larger than
    # MAX_CONTENT_LENGTH is refused before anything reads it, parses it or spools it to
    # disk. Bodies without Content-Length (chunked) meet Werkzeug's streaming limit,
    # which stops reading at MAX_CONTENT_LENGTH and raises the same 413.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    length = request.content_length
    if limit is not None and length is not None and length > limit:
        abort(413)


def _no_host_in_redirects(response: Response) -> Response:
    # Werkzeug's own redirects (a missing trailing slash) name the request's Host header;
    # a path on this site is enough, and a forged host then never reaches a cache.
    location = response.headers.get("Location")
    if location and location.startswith(request.host_url):
        response.headers["Location"] = "/" + location[len(request.host_url) :]
    return response


def init_app(app: Flask) -> None:
    """Install the body limit first among the request hooks, and host-free redirects."""
    app.before_request(_refuse_oversized_body)
    app.after_request(_no_host_in_redirects)
