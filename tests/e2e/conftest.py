"""Browser journeys: the real app served on loopback, driven by Debian's Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page

from portal import create_app
from portal.accounts.keys import create_recovery_key
from portal.db import Base, db_session, make_engine
from portal.devserver import make_dev_server
from portal.jurisdictions.seed import seed_regions
from tests.conftest import test_config
from tests.e2e.accessibility import AxeWatch

E2E_DIR = Path(__file__).parent
AXE_WATCH = pytest.StashKey[AxeWatch]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Playwright cannot download its own browser here; Debian's Chromium is used.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser(
    browser: Browser, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Browser:
    """The session's browser, every context it opens for this test watched by axe-core.

    pytest-playwright's `context` and `page` come from `browser.new_context`, and so do the
    contexts tests open themselves: each is put under an `AxeWatch`, which checks every
    document they receive and the pages open at the end (tests/e2e/accessibility.py).
    A test marked `without_axe` is left unwatched: only the hostile-text sweep, whose pages
    full of payloads the journeys visit and check with real data.
    """
    if request.node.get_closest_marker("without_axe"):
        return browser
    new_context, new_page = browser.new_context, browser.new_page
    watch = AxeWatch(new_context=new_context)
    request.node.stash[AXE_WATCH] = watch

    def watched_context(**options: Any) -> BrowserContext:
        context = new_context(**options)
        watch.watch(context, javascript=options.get("java_script_enabled", True))
        return context

    def watched_page(**options: Any) -> Page:
        page = new_page(**options)
        watch.watch(page.context, javascript=options.get("java_script_enabled", True))
        return page

    monkeypatch.setattr(browser, "new_context", watched_context)
    monkeypatch.setattr(browser, "new_page", watched_page)
    return browser


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a browser test whose pages break a WCAG 2.1 A/AA rule, naming page, rule and elements."""
    result = yield
    watch = item.stash.get(AXE_WATCH, None)
    if watch is not None:
        watch.finish()
        if watch.violations or watch.errors:
            pytest.fail(watch.report(), pytrace=False)
    return result


@pytest.fixture
def live_server(live_site: tuple[str, Flask]) -> str:
    """The base URL of the live site."""
    return live_site[0]


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve a fresh app (SQLite, CSRF on, recovery key present); yield its URL and the app."""
    url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app(test_config(url, WTF_CSRF_ENABLED=True))
    with app.app_context():
        seed_regions(db_session())
        create_recovery_key(db_session())
        db_session().commit()
    server = make_dev_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["db_engine"].dispose()
