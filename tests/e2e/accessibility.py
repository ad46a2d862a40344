"""axe-core on every page the browser tests visit: WCAG 2.1 A and AA, no violation allowed.

`AxeWatch` watches browser contexts; tests/e2e/conftest.py puts every context of every
browser test under watch, so no test can forget the check. Two checks together:

- every HTML document a watched page receives is checked as served: a route fetches each
  navigation for the page and keeps its HTML, which is written, at the same viewport, with
  a <base> at its address so the same style sheets load, into the one page of the
  checker's own context, where JavaScript is off (the pages work without it), and axe,
  loaded once into that page, runs there;
- at the end of the test, and when a test closes a page or a context, axe runs in the
  real pages as they are then, their scripts' work included.

Why a copy rather than the real page at each load: while a page navigates, Chromium's
DevTools hold back every command to it until the new document commits, so a check
started on `load` loses the race with a test that clicks on at once, and holding the
navigation to finish the check deadlocks (tried: Playwright 1.65, Chromium 156). The
copy never touches the page under test.

axe runs through Playwright's evaluate, which goes over the DevTools protocol and is not
subject to the site's Content-Security-Policy (no `bypass_csp` needed; the pages keep
their real policy). axe-core itself is the npm package pinned in
tests/e2e/axe/package-lock.json, installed by `make test`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Error, Page, Response, Route, ViewportSize

AXE_SCRIPT = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# The rules of WCAG 2.0 and 2.1 at levels A and AA (axe-core's tags for them).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# How long the checker waits for a navigation's answer before leaving it to the browser.
FETCH_TIMEOUT_MS = 10_000
# How long the end of a test waits for the copies still being checked (60 s).
FINISH_WAIT_STEP_MS = 20
FINISH_WAIT_STEPS = 3000

# Runs axe and returns its violations as plain data, or "absent" when the document has no
# axe yet: it is then given by `load_axe` — once to the copies' page, whose window keeps it
# while copy after copy is written into its document, and to a test's own page only when
# it is checked (at the end of the test or as it closes, when nothing navigates it any
# more), so the 550 KB of axe are not sent with every check.
# A context with JavaScript disabled still lets Playwright evaluate, but its timers never
# fire; axe only waits on `setTimeout(fn, 0)` between steps, so there those become
# microtasks while axe runs (longer timers are timeouts for frames and preloads, which
# these pages lack).
RUN_AXE = """async ([tags, timersWork]) => {
  if (document.contentType !== 'text/html') return null;
  if (typeof window.axe === 'undefined') return 'absent';
  const setTimeoutBefore = window.setTimeout;
  if (!timersWork) {
    window.setTimeout = (fn, ms, ...args) => {
      if (!ms) Promise.resolve().then(() => fn(...args));
      return 0;
    };
  }
  try {
    const results = await axe.run(document, {
      runOnly: {type: 'tag', values: tags},
      resultTypes: ['violations'],
      preload: false,
    });
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact || '',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      html: v.nodes.map((n) => n.html),
    }));
  } finally {
    window.setTimeout = setTimeoutBefore;
  }
}"""


@cache
def axe_source() -> str:
    """Return axe-core's script, installed by `make test`."""
    if not AXE_SCRIPT.exists():
        raise RuntimeError(
            f"{AXE_SCRIPT} is missing: run `make test` (or `npm ci` in tests/e2e/axe) first"
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


@cache
def load_axe() -> str:
    """Return a function that defines `window.axe` in the document it is evaluated in."""
    return "() => {\n" + axe_source() + "\n}"


_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def _with_base(html: str, url: str) -> str:
    """Return `html` with a <base> naming `url`, so its relative addresses resolve as served."""
    base = f'<base href="{escape(url, quote=True)}">'
    found = _HEAD.search(html)
    if found is None:
        return base + html
    return html[: found.end()] + base + html[found.end() :]


def _is_html(headers: dict[str, str]) -> bool:
    return "text/html" in headers.get("content-type", "")


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one page, with the elements that break it."""

    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    html: tuple[str, ...]

    def __str__(self) -> str:
        nodes = "\n".join(
            f"      {target}   {snippet[:160]}"
            for target, snippet in zip(self.targets, self.html, strict=True)
        )
        return f"  {self.url}\n    {self.rule} ({self.impact}): {self.help}\n{nodes}"


@dataclass
class AxeWatch:
    """Check every HTML document the watched contexts receive, and the pages left open."""

    # Opens the context the copies are checked in (the browser's own, not a watched one).
    new_context: Callable[..., BrowserContext]
    violations: list[Violation] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    # What went wrong inside an event handler, where raising would only be logged.
    errors: list[str] = field(default_factory=list)
    # Redirect targets whose body was gone before it could be read.
    unread: list[str] = field(default_factory=list)
    _contexts: list[BrowserContext] = field(default_factory=list)
    _no_script: set[int] = field(default_factory=set)
    _queue: list[tuple[str, str, ViewportSize | None]] = field(default_factory=list)
    _draining: bool = False
    _copies: Page | None = None

    def watch(self, context: BrowserContext, *, javascript: bool = True) -> None:
        """Check each document `context` receives, and its pages as they are when closed."""
        if context in self._contexts:
            return
        self._contexts.append(context)
        if not javascript:
            self._no_script.add(id(context))
        context.route("**/*", self._fetch_document)
        context.on("response", self._on_redirected_response)
        close_context = context.close

        def check_then_close(*args: Any, **kwargs: Any) -> None:
            self.check_open_pages(context)
            close_context(*args, **kwargs)

        context.close = check_then_close  # type: ignore[method-assign]
        for page in context.pages:
            self._watch_page(page)
        context.on("page", self._watch_page)

    def _watch_page(self, page: Page) -> None:
        close_page = page.close

        def check_then_close(*args: Any, **kwargs: Any) -> None:
            self.check(page)
            close_page(*args, **kwargs)

        page.close = check_then_close  # type: ignore[method-assign]

    def _fetch_document(self, route: Route) -> None:
        # The page's own navigations are fetched here and handed to the page unchanged,
        # so the HTML is in hand whatever the test does next (uploads and all: the
        # request goes out as the browser made it).
        request = route.request
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            route.fallback()
            return
        try:
            response = route.fetch(max_redirects=0, timeout=FETCH_TIMEOUT_MS)
        except Error as error:
            # The server did not answer in time (a test that stops it on purpose). A GET
            # is left to the browser, and the page is checked in place at the end of the
            # test if it is still open; a form sent again could be saved twice, so it is
            # refused and the test told why.
            self.unread.append(request.url)
            if request.method in ("GET", "HEAD"):
                route.fallback()
            else:
                self.errors.append(
                    f"axe's checker got no answer to {request.method} {request.url}: {error}"
                )
                route.abort()
            return
        route.fulfill(response=response)
        if 200 <= response.status < 300 and _is_html(response.headers):
            self._queue_copy(response.url, response.text(), request.frame.page)

    def _on_redirected_response(self, response: Response) -> None:
        # The browser follows a redirect itself and routes do not see the request it
        # makes; its answer is read here, as soon as it arrives. A test that clicks on
        # before the body is in can leave it unreadable: then only the end-of-test
        # check sees that document, if it is still open.
        request = response.request
        if (
            request.redirected_from is None
            or request.frame.parent_frame is not None
            or not 200 <= response.status < 300
            or not _is_html(response.headers)
        ):
            return
        try:
            html = response.text()
        except Error:
            self.unread.append(response.url)
            return
        self._queue_copy(response.url, html, request.frame.page)

    def _queue_copy(self, url: str, html: str, page: Page) -> None:
        self._queue.append((url, html, page.viewport_size))
        if not self._draining:
            try:
                self._drain()
            except Exception as error:
                self.errors.append(f"axe could not check {url}: {error}")

    def _drain(self) -> None:
        self._draining = True
        try:
            while self._queue:
                url, html, viewport = self._queue.pop(0)
                self._check_copy(url, html, viewport)
        finally:
            self._draining = False

    def _check_copy(self, url: str, html: str, viewport: ViewportSize | None) -> None:
        page = self._copies_page()
        if viewport:
            page.set_viewport_size(viewport)
        # Written into the checker's one page rather than navigated to: a navigation per
        # copy cost as much as axe itself. <base> makes the style sheets and images load
        # from the live server at the document's own address; the page has no script
        # (JavaScript is off in the checker's context), axe stays loaded between copies.
        page.set_content(_with_base(html, url), wait_until="load")
        self.check(page, javascript=False, url=url)

    def _copies_page(self) -> Page:
        if self._copies is None:
            # The HTML the test's page received, without its scripts: the pages work
            # without JavaScript (docs/architecture.md), so this is each document as every
            # visitor first gets it.
            self._copies = self.new_context(java_script_enabled=False).new_page()
        return self._copies

    def finish(self) -> None:
        """Wait for the copies still queued, check the pages left open, close the checker."""
        for _ in range(FINISH_WAIT_STEPS):
            if not (self._queue or self._draining):
                break
            self._copies_page().wait_for_timeout(FINISH_WAIT_STEP_MS)
        self.check_open_pages()
        if self._copies is not None:
            self._copies.context.close()
            self._copies = None

    def check(self, page: Page, *, javascript: bool | None = None, url: str | None = None) -> None:
        """Run axe on the page's current document and keep what it finds (`url`: its address)."""
        if page.is_closed() or not (url or page.url).startswith(("http://", "https://")):
            return
        if javascript is None:
            javascript = id(page.context) not in self._no_script
        url = url or page.url
        try:
            found = page.evaluate(RUN_AXE, [list(WCAG_TAGS), javascript])
            if found == "absent":
                page.evaluate(load_axe())
                found = page.evaluate(RUN_AXE, [list(WCAG_TAGS), javascript])
        except Error as error:
            # The document went away under axe (a script navigated, the page closed):
            # nothing is left to check.
            if "context was destroyed" in str(error) or page.is_closed():
                return
            raise
        if found is None:
            return  # not an HTML document (a feed, a CSV, a JSON answer)
        self.checked.append(url)
        for item in found:
            violation = Violation(
                url=url,
                rule=item["rule"],
                impact=item["impact"],
                help=item["help"],
                targets=tuple(item["targets"]),
                html=tuple(item["html"]),
            )
            if violation not in self.violations:
                self.violations.append(violation)

    def check_open_pages(self, context: BrowserContext | None = None) -> None:
        """Check, as they are now (scripts and all), the pages open in one context or all."""
        for watched in [context] if context else list(self._contexts):
            for page in list(watched.pages):
                self.check(page)

    def report(self) -> str:
        """Describe the violations found, one block per page and rule, and any failed check."""
        return "\n".join(
            [f"axe-core found {len(self.violations)} WCAG 2.1 A/AA violation(s):"]
            + [str(v) for v in self.violations]
            + self.errors
        )
