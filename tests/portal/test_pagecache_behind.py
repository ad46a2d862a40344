"""Pages that count reports: an expired copy is served while a fresh one is drawn behind it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from portal import create_app
from portal.pagecache import PUBLISH, CacheGeneration, cache_page
from tests.conftest import test_config, wipe


class SlowView:
    """A view counting its calls; from the second call on it waits until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = threading.Event()

    def __call__(self) -> str:
        self.calls += 1
        if self.calls > 1:
            self.release.wait(10)
        return f"drawn {self.calls}"


@pytest.fixture
def slow() -> SlowView:
    return SlowView()


@pytest.fixture
def app(database_url: str, slow: SlowView) -> Iterator[Flask]:
    """An app whose `/slow` page is cached like the statistics, for a minute."""
    application = create_app(test_config(database_url, STATS_CACHE_SECONDS=60))
    application.add_url_rule(
        "/slow", "slow", cache_page("STATS_CACHE_SECONDS", refresh_behind=True)(slow)
    )
    yield application
    application.extensions["page_cache"].behind.wait()
    wipe(application)


def _expire(app: Flask, by: float = 1.0) -> None:
    for entry in app.extensions["page_cache"].entries.values():
        entry.expires = time.monotonic() - by


def test_an_expired_copy_answers_at_once_while_a_fresh_one_is_drawn(
    app: Flask, client: FlaskClient, slow: SlowView
) -> None:
    client.get("/slow")
    _expire(app)
    started = time.monotonic()
    answer = client.get("/slow").get_data(as_text=True)
    assert (answer, time.monotonic() - started < 5) == ("drawn 1", True)
    slow.release.set()


def test_the_next_request_after_the_refresh_gets_the_fresh_copy(
    app: Flask, client: FlaskClient, slow: SlowView
) -> None:
    client.get("/slow")
    _expire(app)
    client.get("/slow")
    slow.release.set()
    app.extensions["page_cache"].behind.wait()
    assert client.get("/slow").get_data(as_text=True) == "drawn 2"


def test_one_refresh_at_a_time_per_page(app: Flask, client: FlaskClient, slow: SlowView) -> None:
    client.get("/slow")
    _expire(app)
    for _ in range(5):
        client.get("/slow")
    slow.release.set()
    app.extensions["page_cache"].behind.wait()
    assert slow.calls == 2


def test_a_copy_too_long_expired_is_drawn_again_before_answering(
    app: Flask, client: FlaskClient, slow: SlowView
) -> None:
    slow.release.set()
    client.get("/slow")
    _expire(app, by=app.config["PAGE_CACHE_STALE_SECONDS"] + 1)
    assert client.get("/slow").get_data(as_text=True) == "drawn 2"


def test_a_publication_on_another_host_still_drops_the_expired_copy_at_once(
    app: Flask, client: FlaskClient, slow: SlowView
) -> None:
    slow.release.set()
    client.get("/slow")
    _expire(app)
    with app.extensions["db_engine"].begin() as conn:
        conn.execute(insert(CacheGeneration).values(name=PUBLISH, value=99))
    assert client.get("/slow").get_data(as_text=True) == "drawn 2"


def test_a_page_not_marked_to_refresh_behind_is_drawn_again_once_expired(
    database_url: str, slow: SlowView
) -> None:
    application = create_app(test_config(database_url, PUBLIC_CACHE_SECONDS=60))
    application.add_url_rule("/plain", "plain", cache_page("PUBLIC_CACHE_SECONDS")(slow))
    try:
        slow.release.set()
        client: Any = application.test_client()
        client.get("/plain")
        _expire(application)
        assert client.get("/plain").get_data(as_text=True) == "drawn 2"
    finally:
        wipe(application)


@pytest.mark.parametrize(
    "path", ["/", "/stats", "/stats.csv", "/stats.json", "/performance", "/api/v1/stats"]
)
def test_the_pages_that_count_reports_are_refreshed_behind(database_url: str, path: str) -> None:
    application = create_app(test_config(database_url, STATS_CACHE_SECONDS=60))
    try:
        assert application.test_client().get(path).status_code == 200
        entries = list(application.extensions["page_cache"].entries.values())
        assert [entry.refresh_behind for entry in entries] == [True]
    finally:
        wipe(application)
