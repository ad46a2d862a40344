"""A per-worker cache of public pages, invalidated when published content changes.

Public pages (typical cases, disclosures, feeds, statistics) are read far more often than
they change. A view opts in with `cache_page(...)`; the WSGI middleware `PageCache` then
keeps the finished response (status 200, no cookie set) and answers the same request
from memory, with a 304 when the client already holds its ETag.

Invalidation: any flush that adds, changes or deletes a tracked row (cases, corrections,
disclosures and their figures, regions) increments a generation number in the database
inside the same transaction. A worker compares its entries' generation with the database
at most every `PAGE_CACHE_CHECK_SECONDS` (default 0.25 s) and drops them all when it
moved; the worker that made the change drops them at once on commit. So a change shows
on every host within a second. Pages that count reports (statistics, the home page's headline)
are cached for `STATS_CACHE_SECONDS` only, as reports change all the time.

What a cached response may depend on is exactly the key: host (unless PUBLIC_URL is
set), scheme, path, query string, the `lang` cookie and the Accept header. A request
that carries the Flask session cookie (it may hold flashed messages) bypasses the cache,
and so does every method other than GET and any request with a Range or
If-Modified-Since header.

While the database does not answer, the worker serves what it holds regardless of age
(stale-if-error): with the page's age in the standard `Age` header, `Cache-Control:
no-cache` so no other cache keeps it, and on HTML pages a short notice that figures may
be some minutes old, in the page's language. What it does not hold reaches the app,
which answers 503 (portal/unavailable.py).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, make_response
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import Integer, String, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.sansio.http import parse_cookie

from portal.db import Base
from portal.i18n import LANG_COOKIE
from portal.pagecache_fill import CACHE_HEADER, REFRESH_BEHIND, Answer, RefreshBehind
from portal.pagecache_fill import Entry as _Entry
from portal.pagecache_fill import close_body as _close

__all__ = [
    "CACHE_HEADER",
    "CacheGeneration",
    "cache_page",
    "publication_changed",
    "read_generation",
    "track_changes",
]

PUBLISH = "publish"
_TRACKED: set[type] = set()
_caches: weakref.WeakSet[PageCache] = weakref.WeakSet()
_caches_lock = threading.Lock()
# Where base.html lets a stale copy say so: replaced by a notice when served stale.
STALE_MARKER = b"<!--stale-notice-->"


class CacheGeneration(Base):
    """A counter that moves whenever published content changes (portal/pagecache.py).

    App workers compare it with the generation of their cached public pages, so a change
    made on one host reaches every host's cache within a second.
    """

    __tablename__ = "cache_generations"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def track_changes(*classes: type) -> None:
    """Let a change to rows of `classes` invalidate cached public pages."""
    _TRACKED.update(classes)


def cache_page(
    seconds: int | str, *, refresh_behind: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a public view's 200 responses cacheable for `seconds` (or a config key's value).

    `refresh_behind`: once expired, the copy is still served while a fresh one is drawn
    behind it (portal/pagecache_fill.py), so no request waits for the page to be counted
    again: for the pages that count reports, kept for STATS_CACHE_SECONDS.
    """
    behind = REFRESH_BEHIND if refresh_behind else ""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            response = make_response(view(*args, **kwargs))
            ttl = int(current_app.config[seconds] if isinstance(seconds, str) else seconds)
            private = any(
                word in response.headers.get("Cache-Control", "")
                for word in ("private", "no-store")
            )
            # A 304 is marked too: the cache then fetches the page itself and keeps it.
            if response.status_code in (200, 304) and ttl > 0 and not private:
                response.headers[CACHE_HEADER] = f"{ttl}{behind}"
            return response

        return wrapper

    return decorator


def read_generation(connection: Any) -> int:
    """Return the publish generation (0 before anything was ever published)."""
    value = connection.execute(
        select(CacheGeneration.value).where(CacheGeneration.name == PUBLISH)
    ).scalar()
    return int(value or 0)


def _bump(session: Session) -> None:
    # One statement, inserting the row the first time: two first publications at once
    # cannot both insert it.
    connection = session.connection()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(
        insert(CacheGeneration)
        .values(name=PUBLISH, value=1)
        .on_conflict_do_update(
            index_elements=[CacheGeneration.name], set_={"value": CacheGeneration.value + 1}
        )
    )


def publication_changed(session: Session) -> None:
    """Move the publish generation for a change written without the ORM's tracked rows."""
    if not session.info.get("publish_changed"):
        session.info["publish_changed"] = True
        _bump(session)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    # The session's new/dirty/deleted still hold what this flush wrote.
    if session.info.get("publish_changed"):
        return
    written = (*session.new, *session.deleted)
    if any(type(obj) in _TRACKED for obj in written) or any(
        type(obj) in _TRACKED and session.is_modified(obj) for obj in session.dirty
    ):
        session.info["publish_changed"] = True
        _bump(session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("publish_changed", False):
        with _caches_lock:
            caches = list(_caches)
        for cache in caches:
            cache.clear()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("publish_changed", None)


class PageCache:
    """WSGI middleware answering cacheable public GETs from this worker's memory."""

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.max_bytes = int(app.config["PAGE_CACHE_MAX_BYTES"])
        self.check_seconds = float(app.config["PAGE_CACHE_CHECK_SECONDS"])
        self.entries: OrderedDict[tuple[str, ...], _Entry] = OrderedDict()
        self.size = 0
        self.generation = -1
        self.checked_at = float("-inf")
        # A request with the Flask session cookie may see its own flashed messages.
        self.session_cookie = app.config["SESSION_COOKIE_NAME"]
        self.public_url = app.config["PUBLIC_URL"]
        self.lock = threading.Lock()
        self.hits = 0
        # Whether the database answered the last generation check (stale-if-error if not).
        self.reachable = True
        self.notices: dict[str, bytes] = {}
        self.stale_seconds = float(app.config["PAGE_CACHE_STALE_SECONDS"])
        self.behind = RefreshBehind(self._call, self._store)
        with _caches_lock:
            _caches.add(self)

    def clear(self) -> None:
        """Drop every entry (this worker changed published content)."""
        with self.lock:
            self.entries.clear()
            self.size = 0
            self.checked_at = float("-inf")

    def _current_generation(self, now: float) -> int | None:
        """Return the publish generation, or None while the database does not answer."""
        if now - self.checked_at < self.check_seconds:
            return self.generation if self.reachable else None
        try:
            with self.app.extensions["db_engine"].connect() as conn:
                generation = read_generation(conn)
        except SQLAlchemyError:
            # Asked again after `check_seconds`, not on every request of the outage.
            with self.lock:
                self.reachable, self.checked_at = False, now
            return None
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
                self.size = 0
                self.generation = generation
            self.reachable, self.checked_at = True, now
        return generation

    def _key(self, environ: dict[str, Any]) -> tuple[str, ...] | None:
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        if "HTTP_RANGE" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            return None
        # Parsed as Flask's request.cookies parses them (no UTF-8 decoding), so a cookie
        # header that is not UTF-8 is read the same way here and in the app, never a 500.
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if self.session_cookie in cookies:
            return None
        return (
            environ.get("wsgi.url_scheme", ""),
            # With PUBLIC_URL set no answer depends on the Host header (portal/web.py
            # external_url), so forged hosts share the real host's pages.
            "" if self.public_url else environ.get("HTTP_HOST", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            cookies.get(LANG_COOKIE, ""),
            environ.get("HTTP_ACCEPT", ""),
        )

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self._strip(environ, start_response)
        now = time.monotonic()
        generation = self._current_generation(now)
        entry = self.entries.get(key)
        if generation is None:
            if entry is None:
                return self._strip(environ, start_response)
            return self._serve(self._stale(entry, now), environ, start_response)
        if entry is not None and entry.generation == generation and entry.expires > now:
            self.hits += 1
            return self._serve(entry, environ, start_response)
        if (
            entry is not None
            and entry.generation == generation
            and entry.refresh_behind
            and now < entry.expires + self.stale_seconds
        ):
            # Expired but not invalidated: served as it is while a fresh copy is drawn.
            self.behind.start(key, generation, environ)
            self.hits += 1
            return self._serve(entry, environ, start_response)
        return self._fill(key, generation, now, environ, start_response)

    def _serve(
        self, entry: _Entry, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if entry.etag and wanted and (wanted.strip() == "*" or entry.etag in wanted):
            headers = [
                (k, v)
                for k, v in entry.headers
                if k.lower() not in ("content-length", "content-type")
            ]
            start_response("304 NOT MODIFIED", headers)
            return []
        start_response(entry.status, entry.headers)
        return [entry.body]

    def _stale(self, entry: _Entry, now: float) -> _Entry:
        """Return `entry` as served while the database does not answer: aged and marked."""
        headers = [
            (k, v)
            for k, v in entry.headers
            if k.lower() not in ("cache-control", "age", "content-length")
        ]
        body = entry.body
        html = any(k.lower() == "content-type" and "text/html" in v for k, v in entry.headers)
        if html and STALE_MARKER in body:
            language = next(
                (v for k, v in entry.headers if k.lower() == "content-language"), "zh-CN"
            )
            body = body.replace(STALE_MARKER, self._notice(language), 1)
        headers += [
            ("Age", str(max(0, int(now - entry.stored)))),
            ("Cache-Control", "no-cache"),
            ("Content-Length", str(len(body))),
        ]
        return _Entry(entry.status, headers, body, entry.etag, entry.expires, -1, entry.stored)

    def _notice(self, language: str) -> bytes:
        """Return the stale page's notice in `language` (drawn once per language)."""
        notice = self.notices.get(language)
        if notice is None:
            with self.app.app_context(), force_locale("en" if language == "en" else "zh_Hans_CN"):
                text = _(
                    "The portal cannot reach its database just now: this is a copy kept "
                    "from a few minutes ago, and figures may have changed since."
                )
            notice = f'<p class="notice" role="status">{escape(text)}</p>'.encode()
            self.notices[language] = notice
        return notice

    def _strip(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        def strip_start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            return start_response(status, [h for h in headers if h[0] != CACHE_HEADER], *exc)

        return self.wsgi_app(environ, strip_start)

    def _call(self, environ: dict[str, Any]) -> tuple[Answer, Iterable[bytes]]:
        """Run the app, holding its status and headers back until we know what to do."""
        answer = Answer()
        body_iter = self.wsgi_app(environ, answer.start_response)
        return answer, body_iter

    def _fill(
        self,
        key: tuple[str, ...],
        generation: int,
        now: float,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
    ) -> Iterable[bytes]:
        answer, body_iter = self._call(environ)
        if answer.ttl is not None and answer.status.startswith("304"):
            # A reader's condition held, so there is no page to keep: fetch the whole
            # page once without the condition; it is kept and the condition answered from
            # it below (a 200 would also be a right answer, should it not be kept).
            _close(body_iter)
            answer, body_iter = self._call(
                {k: v for k, v in environ.items() if k != "HTTP_IF_NONE_MATCH"}
            )
        if not answer.keepable:
            start_response(answer.status, answer.headers, *answer.exc_info)
            return body_iter
        entry = answer.entry(body_iter, generation, now)
        self._store(key, entry)
        return self._serve(entry, environ, start_response)

    def _store(self, key: tuple[str, ...], entry: _Entry) -> None:
        with self.lock:
            if entry.generation != self.generation or len(entry.body) > self.max_bytes // 4:
                return
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.max_bytes and self.entries:
                _, evicted = self.entries.popitem(last=False)
                self.size -= len(evicted.body)


def init_app(app: Flask) -> None:
    """Put the page cache in front of the app (inside ProxyFix, so the key sees the client's host)."""
    cache = PageCache(app, app.wsgi_app)
    app.extensions["page_cache"] = cache
    app.wsgi_app = cache  # type: ignore[method-assign]
