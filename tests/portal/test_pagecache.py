"""Cached public pages: served from memory, never stale after a change, never private."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from portal.pagecache import CACHE_HEADER, CacheGeneration, read_generation
from publish.cases.models import CaseStatus, TypicalCase
from publish.cases.operations import (
    CaseFields,
    correct_case,
    draft_case,
    publish_case,
    withdraw_case,
)
from tests.conftest import test_config


def _fields(db: Session, title: str) -> CaseFields:
    return CaseFields(
        title=title,
        region=get_region_by_code(db, "640104"),
        subject_kind="institution",
        subject_name="某医院",
        discovery="big_data",
        violation_codes=["nominal_bed"],
        body="经查属实，已依法处理。",
    )


@pytest.fixture
def publishers(make_staff: Any) -> tuple[Any, Any]:
    return make_staff("publisher"), make_staff("publisher")


@pytest.fixture
def case(db: Session, publishers: Any) -> Any:
    drafter, publisher = publishers
    made = draft_case(db, _fields(db, "挂床住院案"), actor=drafter)
    publish_case(db, made, actor=publisher)
    db.commit()
    return made


def _cache(app: Flask) -> Any:
    return app.extensions["page_cache"]


def test_a_second_read_of_a_case_page_is_answered_from_memory(
    app: Flask, client: Any, case: Any
) -> None:
    first = client.get(f"/cases/{case.id}")
    second = client.get(f"/cases/{case.id}")
    assert (first.data, _cache(app).hits) == (second.data, 1)


def test_the_internal_cache_mark_never_reaches_the_client(client: Any, case: Any) -> None:
    client.get(f"/cases/{case.id}")
    assert CACHE_HEADER not in client.get(f"/cases/{case.id}").headers


def test_a_correction_shows_at_once_on_the_host_that_made_it(
    client: Any, db: Session, case: Any, publishers: Any
) -> None:
    client.get(f"/cases/{case.id}")
    correct_case(db, case, _fields(db, "更正后的标题"), note="标题有误", actor=publishers[1])
    db.commit()
    assert "更正后的标题" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_a_new_case_shows_at_once_in_the_cached_list(
    client: Any, db: Session, case: Any, publishers: Any
) -> None:
    client.get("/cases")
    drafter, publisher = publishers
    second = draft_case(db, _fields(db, "第二个典型案例"), actor=drafter)
    publish_case(db, second, actor=publisher)
    db.commit()
    assert "第二个典型案例" in client.get("/cases").get_data(as_text=True)


def test_publishing_moves_the_generation_other_hosts_watch(
    app: Flask, db: Session, case: Any, publishers: Any
) -> None:
    engine = app.extensions["db_engine"]
    with engine.connect() as conn:
        before = read_generation(conn)
    withdraw_case(db, case, reason="当事人申请复议", actor=publishers[1])
    db.commit()
    with engine.connect() as conn:
        assert read_generation(conn) > before


def test_a_host_drops_its_pages_when_another_host_moved_the_generation(
    app: Flask, client: Any, db: Session, case: Any
) -> None:
    client.get(f"/cases/{case.id}")
    # Another host withdrew the case: its commit changed the rows and the generation.
    with app.extensions["db_engine"].begin() as conn:
        conn.execute(
            update(TypicalCase)
            .where(TypicalCase.id == case.id)
            .values(status=CaseStatus.WITHDRAWN, withdrawn_reason="当事人申请复议")
        )
        conn.execute(update(CacheGeneration).values(value=CacheGeneration.value + 1))
    db.expire_all()  # the test's session is also the requests' session (one app context)
    assert client.get(f"/cases/{case.id}").status_code == 410


def test_a_rolled_back_change_keeps_the_cache(
    app: Flask, client: Any, db: Session, case: Any
) -> None:
    client.get(f"/cases/{case.id}")
    case.title = "未保存的标题"
    db.flush()
    db.rollback()
    client.get(f"/cases/{case.id}")
    assert _cache(app).hits == 1


def test_a_reader_with_a_session_cookie_gets_a_fresh_page(
    app: Flask, client: Any, case: Any
) -> None:
    client.get(f"/cases/{case.id}")
    client.set_cookie("session", "anything")
    client.get(f"/cases/{case.id}")
    assert _cache(app).hits == 0


def test_each_language_has_its_own_cached_page(client: Any, case: Any) -> None:
    chinese = client.get("/cases").get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get("/cases").get_data(as_text=True)
    assert ('lang="zh-CN"' in chinese, 'lang="en"' in english) == (True, True)


def test_a_cached_feed_answers_304_to_its_etag(app: Flask, client: Any, case: Any) -> None:
    headers = {"Accept": "application/rss+xml"}
    etag = client.get("/feeds/cases.rss", headers=headers).headers["ETag"]
    response = client.get("/feeds/cases.rss", headers={**headers, "If-None-Match": etag})
    assert (response.status_code, response.data, _cache(app).hits) == (304, b"", 1)


def test_a_browser_and_a_feed_reader_get_their_own_answers(client: Any, case: Any) -> None:
    client.get("/feeds/cases.rss", headers={"Accept": "application/rss+xml"})
    page = client.get("/feeds/cases.rss", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html"


@pytest.fixture
def token(app: Flask, db: Session, case: Any, make_staff: Any) -> str:
    """The secret of a social supervisor's private feed."""
    from portal.crypto import DataCipher
    from publish.following.operations import new_feed_token

    made = new_feed_token(
        db, make_staff("social_supervisor"), DataCipher(app.config["DATA_KEY_BYTES"])
    )
    db.commit()
    return made


def test_a_supervisors_private_feed_is_never_kept(app: Flask, client: Any, token: str) -> None:
    client.get(f"/feeds/private/{token}.rss")
    client.get(f"/feeds/private/{token}.rss")
    assert _cache(app).hits == 0


def test_the_report_form_is_never_kept(app: Flask, client: Any) -> None:
    client.get("/report")
    client.get("/report")
    assert _cache(app).hits == 0


def test_a_refused_filter_is_never_kept(app: Flask, client: Any) -> None:
    client.get("/cases?year=abc")
    client.get("/cases?year=abc")
    assert _cache(app).hits == 0


@pytest.mark.parametrize("app_config", [{"PAGE_CACHE_MAX_BYTES": 40_000}])
def test_the_cache_stays_within_its_memory_bound(app: Flask, client: Any, case: Any) -> None:
    for page in range(1, 30):
        client.get(f"/cases?page={page}")
    assert 0 < _cache(app).size <= 40_000


@pytest.mark.parametrize("app_config", [{"STATS_CACHE_SECONDS": 60}])
def test_statistics_are_kept_for_the_configured_time(app: Flask, client: Any) -> None:
    client.get("/stats")
    client.get("/stats")
    assert _cache(app).hits == 1


def test_a_conditional_first_read_answers_304_and_keeps_the_page(
    app: Flask, make_app: Any, database_url: str, case: Any
) -> None:
    headers = {"Accept": "application/rss+xml"}
    etag = app.test_client().get("/feeds/cases.rss", headers=headers).headers["ETag"]
    cold = make_app(test_config(database_url, PAGE_CACHE_CHECK_SECONDS=0))
    reader = cold.test_client()
    answer = reader.get("/feeds/cases.rss", headers={**headers, "If-None-Match": etag})
    reader.get("/feeds/cases.rss", headers=headers)
    assert (answer.status_code, _cache(cold).hits) == (304, 1)


def test_a_private_feed_still_answers_304_itself(client: Any, token: str) -> None:
    headers = {"Accept": "application/rss+xml"}
    etag = client.get(f"/feeds/private/{token}.rss", headers=headers).headers["ETag"]
    again = client.get(f"/feeds/private/{token}.rss", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304


def test_without_a_public_url_each_host_gets_its_own_feed(client: Any, case: Any) -> None:
    # The links in the feed name the request's host (development only), so the host is
    # part of the key: one host's links are never served to another.
    client.get("/feeds/cases.atom", base_url="http://one.example")
    other = client.get("/feeds/cases.atom", base_url="http://two.example")
    assert b"one.example" not in other.data and b"two.example" in other.data


@pytest.mark.parametrize("app_config", [{"PUBLIC_URL": "https://ybjg.example.gov.cn"}])
def test_with_a_public_url_forged_hosts_share_the_real_hosts_page(
    app: Flask, client: Any, case: Any
) -> None:
    for host in ("ybjg.example.gov.cn", "evil.example", "other.example"):
        client.get("/feeds/cases.atom", environ_overrides={"HTTP_HOST": host})
    assert (_cache(app).hits, len(_cache(app).entries)) == (2, 1)
