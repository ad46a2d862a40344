"""Redis and PostgreSQL stop and start while the portal runs on gunicorn (docs/security.md, "Outages").

The portal, its database cluster and its Redis server are the test's own (tests/servers.py),
so stopping them disturbs nothing else. Each test starts with both running.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report, report_context
from portal.crypto import DataCipher
from portal.db import make_engine
from tests.servers import Stack, fetch, no_redirects, postgres_bin

pytestmark = pytest.mark.skipif(
    postgres_bin() is None or shutil.which("redis-server") is None,
    reason="needs the PostgreSQL and Redis server binaries (Debian: postgresql, redis-server)",
)

HOTLINE = "12393"
FACTS = "停电测试：该院组织参保人挂床住院，实际不在院，按住院结算医保费用。"
REPORT = {
    "party_kind": "hospital",
    "party_name": "银川停电测试医院",
    "party_details": "兴庆区某路 1 号",
    "region": "640104",
    "violation_types": "nominal_bed",
    "facts": FACTS,
    "how_known": "本人曾在该院就诊。",
    "amount": "1200",
    "identity_mode": "anonymous",
    "declaration": "y",
}
CACHED_PAGES = ["/", "/cases", "/feeds/cases.rss", "/api/v1/cases"]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    # More reports than a day's limit allows from one client.
    stack = Stack.start(RATELIMIT_REPORT="1000 per hour")
    yield stack
    stack.close()


@pytest.fixture
def up(stack: Stack) -> Iterator[Stack]:
    """The stack with both servers running at the start and the end of the test."""
    stack.ensure_running()
    yield stack
    stack.ensure_running()


def _form_post(
    opener: urllib.request.OpenerDirector, stack: Stack, path: str, data: dict[str, str]
) -> tuple[int, dict[str, str], str]:
    """GET the form at `path` (for its CSRF token and one-time key), then POST `data` to it."""
    _, _, page = fetch(opener, stack.url(path))
    fields = dict(re.findall(r'name="(csrf_token|submission_key)"[^>]*value="([^"]+)"', page))
    fields.update(
        {
            n: v
            for v, n in re.findall(r'value="([^"]+)"[^>]*name="(csrf_token|submission_key)"', page)
        }
    )
    return fetch(opener, stack.url(path), {**fields, **data})


def _file_report(stack: Stack) -> tuple[str, str]:
    """File a report through the form; return its case number and access code."""
    status, _, receipt = _form_post(no_redirects(), stack, "/report", REPORT)
    assert status == 201, receipt[:500]
    case = re.search(r"JB\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)
    code = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", receipt)
    assert case and code
    return case.group(0), code.group(0)


def _stop_postgres(stack: Stack) -> None:
    stack.postgres.stop()
    stack.settle()  # past the page cache's generation check


# --- Redis stopped -------------------------------------------------------------------------


def test_a_report_is_filed_while_redis_is_down(up: Stack) -> None:
    up.redis.stop()
    status, _, _ = _form_post(no_redirects(), up, "/report", REPORT)
    assert status == 201


def test_a_receipt_opens_the_tracking_page_while_redis_is_down(up: Stack) -> None:
    case, code = _file_report(up)
    up.redis.stop()
    status, headers, _ = _form_post(
        no_redirects(), up, "/track", {"case_number": case, "access_code": code}
    )
    assert (status, headers.get("Location", "").endswith("/track")) == (303, True)


def test_staff_sign_in_works_while_redis_is_down(up: Stack) -> None:
    up.redis.stop()
    status, headers, _ = _form_post(
        no_redirects(),
        up,
        "/staff/login",
        {"username": "yc-intake", "password": up.staff_password},
    )
    assert status == 303 and "/staff/" in headers.get("Location", "")


def test_guessing_limits_still_apply_per_worker_while_redis_is_down(up: Stack) -> None:
    up.redis.stop()
    wrong = {"case_number": "JB2026-WXYZ-0000", "access_code": "00000-00000-00000-00000"}
    opener = no_redirects()
    statuses = [_form_post(opener, up, "/track", wrong)[0] for _ in range(7)]
    assert statuses[:5] == [401] * 5 and 429 in statuses[5:]


def test_one_warning_is_logged_for_a_redis_outage(up: Stack) -> None:
    before = up.portal.output().count("Rate limit storage unreachable")
    up.redis.stop()
    opener = no_redirects()
    for _ in range(4):
        _form_post(opener, up, "/report", REPORT)
    assert up.portal.output().count("Rate limit storage unreachable") - before == 1


def test_limits_go_back_to_redis_once_it_answers_again(up: Stack) -> None:
    import redis

    up.redis.stop()
    _form_post(no_redirects(), up, "/report", REPORT)
    up.redis.start()
    counters = redis.Redis(port=up.redis.port)
    deadline = time.monotonic() + 60
    while not counters.dbsize() and time.monotonic() < deadline:
        _form_post(no_redirects(), up, "/report", REPORT)
        time.sleep(0.25)
    assert counters.dbsize() > 0


def test_readiness_tells_the_rate_limit_storage_apart_from_the_database(up: Stack) -> None:
    up.redis.stop()
    status, _, body = fetch(no_redirects(), up.url("/readyz"))
    state = json.loads(body)
    assert (status, state["database"], state["rate_limit_storage"]) == (200, "ok", "unavailable")


# --- PostgreSQL stopped --------------------------------------------------------------------


def test_cached_public_pages_are_served_with_their_age_while_postgres_is_down(up: Stack) -> None:
    reader = urllib.request.build_opener()
    for path in CACHED_PAGES:
        assert fetch(reader, up.url(path))[0] == 200
    _stop_postgres(up)
    answers = [fetch(reader, up.url(path)) for path in CACHED_PAGES]
    assert [(status, "Age" in headers) for status, headers, _ in answers] == [(200, True)] * len(
        CACHED_PAGES
    )


def test_a_stale_page_says_its_figures_may_be_minutes_old(up: Stack) -> None:
    reader = urllib.request.build_opener()
    fetch(reader, up.url("/cases"))
    _stop_postgres(up)
    _, _, page = fetch(reader, up.url("/cases"))
    assert "几分钟前" in page


def test_an_uncached_page_answers_503_with_the_hotline_while_postgres_is_down(up: Stack) -> None:
    _stop_postgres(up)
    status, headers, page = fetch(urllib.request.build_opener(), up.url("/cases?page=7"))
    assert (status, "Retry-After" in headers, HOTLINE in page, "没有保存" in page) == (
        503,
        True,
        True,
        True,
    )


def test_the_report_form_comes_back_with_what_was_typed_while_postgres_is_down(up: Stack) -> None:
    opener = no_redirects()
    _, _, page = fetch(opener, up.url("/report"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert token is not None
    _stop_postgres(up)
    status, _, again = fetch(
        opener,
        up.url("/report"),
        {**REPORT, "csrf_token": token.group(1), "submission_key": "k" * 24},
    )
    typed = [FACTS, REPORT["party_name"], 'value="640104" selected']
    assert (status, [t in again for t in typed]) == (503, [True, True, True])


def test_the_reply_form_comes_back_with_the_message_while_postgres_is_down(up: Stack) -> None:
    case, code = _file_report(up)
    opener = no_redirects()
    _form_post(opener, up, "/track", {"case_number": case, "access_code": code})
    _, _, page = fetch(opener, up.url("/track"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    _stop_postgres(up)
    message = "停电期间补充的情况：该院还虚开药品。"
    status, _, again = fetch(
        opener, up.url("/track/reply"), {"csrf_token": token.group(1), "body": message}
    )
    assert (status, message in again) == (503, True)


def test_readiness_answers_503_while_postgres_is_down(up: Stack) -> None:
    _stop_postgres(up)
    status, _, body = fetch(no_redirects(), up.url("/readyz"))
    assert (status, json.loads(body)["database"]) == (503, "unavailable")


def test_no_answer_is_a_500_while_postgres_is_down(up: Stack) -> None:
    opener = no_redirects()
    _stop_postgres(up)
    paths = [
        "/", "/report", "/track", "/cases", "/cases?page=3", "/disclosures", "/stats",
        "/feeds/cases.atom", "/api/v1/cases?page=2", "/api/v1/openapi.json", "/staff/login",
        "/staff/", "/follow", "/about/privacy", "/no-such-page",
    ]  # fmt: skip
    answers = [fetch(opener, up.url(path))[0] for path in paths]
    answers.append(fetch(opener, up.url("/report"), REPORT)[0])
    answers.append(fetch(opener, up.url("/staff/login"), {"username": "x", "password": "y"})[0])
    assert 500 not in answers


def test_a_database_outage_logs_no_traceback(up: Stack) -> None:
    before = up.portal.output().count("Traceback")
    _stop_postgres(up)
    opener = no_redirects()
    for path in ("/cases?page=9", "/report", "/staff/", "/api/v1/cases?page=9", "/readyz"):
        fetch(opener, up.url(path))
    fetch(opener, up.url("/report"), REPORT)
    assert up.portal.output().count("Traceback") == before


def test_a_report_filed_before_an_outage_is_intact_after_it(up: Stack) -> None:
    case, code = _file_report(up)
    _stop_postgres(up)
    up.postgres.start()
    opened, _, _ = _form_post(
        no_redirects(), up, "/track", {"case_number": case, "access_code": code}
    )
    engine = make_engine(up.postgres.url)
    with Session(engine) as session:
        report = session.scalars(select(Report).where(Report.case_number == case)).one()
        facts = DataCipher(up.data_key).decrypt_text(
            report.facts_enc, report_context(case, "facts")
        )
    engine.dispose()
    assert (opened, facts) == (303, FACTS)


def test_pages_are_fresh_again_once_postgres_is_back(up: Stack) -> None:
    reader = urllib.request.build_opener()
    fetch(reader, up.url("/cases"))
    _stop_postgres(up)
    up.postgres.start()
    up.settle()
    answers = [fetch(reader, up.url(path)) for path in ("/cases", "/report")]
    assert [(status, "Age" in headers) for status, headers, _ in answers] == [(200, False)] * 2
