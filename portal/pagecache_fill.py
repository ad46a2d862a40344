"""Filling the page cache: what an app answered, the entry kept, and refreshes behind a copy.

Pages that count reports (statistics, the home page, offices compared) expire within a
minute. No request waits for such a page to be drawn again: once its time is up, the
copy kept is still served as it is while one background thread per page draws a fresh
one with the same request (`RefreshBehind`), which then replaces it. A change of the
publish generation still drops the copy at once (portal/pagecache.py); a copy is served
this way for at most `PAGE_CACHE_STALE_SECONDS` past its time, should refreshing fail.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

# Set by views on cacheable responses; never leaves the app. Its value is the seconds a
# copy is fresh, followed by REFRESH_BEHIND when it may be refreshed behind a stale copy.
CACHE_HEADER = "X-Portal-Cache"
REFRESH_BEHIND = "; refresh-behind"


@dataclass
class Entry:
    """A kept response, its generation, and when it stops being fresh."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    expires: float
    generation: int
    stored: float
    refresh_behind: bool = False


class Answer:
    """The status and headers an app passed to start_response, and whether to keep it."""

    def __init__(self) -> None:
        self.status = "500 INTERNAL SERVER ERROR"
        self.headers: list[tuple[str, str]] = []
        self.ttl: str | None = None
        self.sets_cookie = False
        self.exc_info: tuple[Any, ...] = ()

    def start_response(self, status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        self.status = status
        self.ttl = next((v for k, v in headers if k == CACHE_HEADER), None)
        self.headers = [h for h in headers if h[0] != CACHE_HEADER]
        self.sets_cookie = any(k.lower() == "set-cookie" for k, _ in headers)
        self.exc_info = exc
        return lambda _data: None  # bodies come back as the returned iterable

    @property
    def keepable(self) -> bool:
        return self.ttl is not None and not self.sets_cookie and self.status.startswith("200")

    def entry(self, body_iter: Iterable[bytes], generation: int, now: float) -> Entry:
        try:
            body = b"".join(body_iter)
        finally:
            close_body(body_iter)
        etag = next((v for k, v in self.headers if k.lower() == "etag"), None)
        ttl = self.ttl or "0"
        behind = ttl.endswith(REFRESH_BEHIND)
        expires = now + int(ttl.removesuffix(REFRESH_BEHIND))
        return Entry(self.status, self.headers, body, etag, expires, generation, now, behind)


def close_body(body_iter: Iterable[bytes]) -> None:
    """Close an app's body iterable, as a WSGI server must."""
    close = getattr(body_iter, "close", None)
    if close is not None:
        close()


class RefreshBehind:
    """Draws pages again in background threads, at most one per page at a time."""

    def __init__(
        self,
        call: Callable[[dict[str, Any]], tuple[Answer, Iterable[bytes]]],
        store: Callable[[tuple[str, ...], Entry], None],
    ) -> None:
        self.call, self.store = call, store
        self.lock = threading.Lock()
        self.running: dict[tuple[str, ...], threading.Thread] = {}

    def start(self, key: tuple[str, ...], generation: int, environ: dict[str, Any]) -> None:
        """Draw the page of `key` again with a copy of `environ`, unless it is already drawn."""
        # A GET has no body; what a server or Flask put for this request stays behind.
        copy = {
            k: v
            for k, v in environ.items()
            if k != "HTTP_IF_NONE_MATCH" and not k.startswith(("werkzeug.", "gunicorn."))
        }
        copy["wsgi.input"] = io.BytesIO(b"")
        copy["CONTENT_LENGTH"] = "0"
        with self.lock:
            if key in self.running:
                return
            thread = threading.Thread(
                target=self._run, args=(key, generation, copy), name="page-refresh", daemon=True
            )
            self.running[key] = thread
        thread.start()

    def _run(self, key: tuple[str, ...], generation: int, environ: dict[str, Any]) -> None:
        try:
            answer, body_iter = self.call(environ)
            if answer.keepable:
                # Kept only if the generation has not moved meanwhile (PageCache._store).
                self.store(key, answer.entry(body_iter, generation, time.monotonic()))
            else:
                close_body(body_iter)
        except Exception as error:  # the stale copy stays; the next request tries again
            log.error("refreshing a cached page failed: %s", type(error).__name__)
        finally:
            with self.lock:
                self.running.pop(key, None)

    def wait(self, timeout: float = 10.0) -> None:
        """Wait for the refreshes under way (tests and shutdown)."""
        with self.lock:
            threads = list(self.running.values())
        for thread in threads:
            thread.join(timeout)
