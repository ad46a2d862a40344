"""Guessing limits count before they check, and slow an attacker down without locking out."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pyotp
import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.attempts import guess_delay
from portal.audit import AuditEntry, verify_chain
from tests.conftest import STAFF_PASSWORD, test_config
from tests.portal.test_shared_limits import redis_answers

WRONG_CODE = "00000-00000-00000-00000"


def test_the_delay_doubles_from_the_first_up_to_the_maximum() -> None:
    assert [guess_delay(k, 30, 900) for k in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]


def _track(client: Any, case_number: str, code: str = WRONG_CODE) -> Any:
    return client.post("/track", data={"case_number": case_number, "access_code": code})


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 3, "RATELIMIT_TRACK_CLIENT": "100 per hour"}]
)
def test_after_the_quick_tries_the_next_waits_for_the_first_delay(
    app: Flask, make_report: Any, app_config: Any
) -> None:
    _, receipt = make_report()
    responses = [_track(app.test_client(), receipt.case_number) for _ in range(4)]
    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    assert 25 <= int(responses[-1].headers["Retry-After"]) <= 30


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 3, "RATELIMIT_TRACK_CLIENT": "1000 per hour"}]
)
def test_a_flood_of_wrong_codes_keeps_the_owner_out_for_minutes_not_an_hour(
    app: Flask, make_report: Any, app_config: Any
) -> None:
    _, receipt = make_report()
    for i in range(60):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{i}"
        last = _track(client, receipt.case_number)
    assert last.status_code == 429
    assert int(last.headers["Retry-After"]) <= app.config["GUESS_DELAY_MAX_SECONDS"]


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_TRACK_CASE_TRIES": 1,
            "RATELIMIT_TRACK_CLIENT": "100 per hour",
            "GUESS_DELAY_FIRST_SECONDS": 1,
        }
    ],
)
def test_once_the_delay_has_passed_one_more_try_is_checked_and_the_next_delay_is_longer(
    app: Flask, make_report: Any, app_config: Any
) -> None:
    _, receipt = make_report()
    client = app.test_client()
    assert _track(client, receipt.case_number).status_code == 401
    assert _track(client, receipt.case_number).status_code == 429
    time.sleep(1.1)
    assert _track(client, receipt.case_number).status_code == 401
    refused = _track(client, receipt.case_number)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 2


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_TRACK_CASE_TRIES": 2, "RATELIMIT_TRACK_CLIENT": "100 per hour"}]
)
def test_the_right_receipt_gets_through_the_quick_tries_after_wrong_ones(
    app: Flask, make_report: Any, app_config: Any
) -> None:
    _, receipt = make_report()
    _track(app.test_client(), receipt.case_number)
    response = _track(app.test_client(), receipt.case_number, receipt.access_code)
    assert response.status_code == 303


def _login(client: Any, username: str, password: str) -> Any:
    return client.post("/staff/login", data={"username": username, "password": password})


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_LOGIN_ACCOUNT_TRIES": 2, "RATELIMIT_LOGIN_CLIENT": "100 per hour"}]
)
def test_another_accounts_cookie_does_not_change_whose_password_is_counted(
    app: Flask, make_staff: Any, app_config: Any
) -> None:
    attacker, victim = make_staff("publisher"), make_staff("investigator")
    client = app.test_client()
    _login(client, attacker.username, STAFF_PASSWORD)  # a half session of the attacker's own
    codes = [_login(client, victim.username, "wrong wrong wrong").status_code for _ in range(3)]
    assert codes == [401, 401, 429]


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_LOGIN_ACCOUNT_TRIES": 2, "RATELIMIT_LOGIN_CLIENT": "100 per hour"}]
)
def test_knowing_the_password_does_not_reset_the_count_of_wrong_codes(
    app: Flask, make_staff: Any, app_config: Any
) -> None:
    user = make_staff("investigator")
    client = app.test_client()
    for _ in range(2):
        _login(client, user.username, STAFF_PASSWORD)
        client.post("/staff/login/code", data={"code": "000000"})
    _login(client, user.username, STAFF_PASSWORD)
    response = client.post("/staff/login/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.status_code == 429


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_LOGIN_ACCOUNT_TRIES": 2, "RATELIMIT_LOGIN_CLIENT": "100 per hour"}]
)
def test_a_custodians_password_cannot_be_guessed_through_an_approval(
    db: Any,
    make_report: Any,
    make_staff: Any,
    identity: Any,
    recovery_private_key: bytes,
    login_as: Any,
    app_config: Any,
) -> None:
    from intake.identity.access import request_access, seals_of
    from portal.security import data_cipher

    custodian = make_staff("approver", region_code="640000", custodian=True)
    officer = make_staff("investigator")
    report, _ = make_report(identity=identity)
    req = request_access(
        db, report, seals_of(db, report)[0], actor=officer, reason="核实", cipher=data_cipher()
    )
    db.commit()
    client = login_as(custodian)
    url = f"/staff/identity-requests/{req.id}/approve"
    field = f"req{req.id}-password"
    codes = [client.post(url, data={field: "guess guess guess"}).status_code for _ in range(3)]
    assert codes == [303, 303, 429]


# --- many guesses at once --------------------------------------------------------------

PARALLEL = 40
TRIES = 5


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on loopback with a thread per request, as several workers would."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _post_all(url: str, forms: list[dict[str, str]]) -> list[int]:
    def post(form: dict[str, str]) -> int:
        body = urllib.parse.urlencode(form).encode()
        try:
            with urllib.request.urlopen(url, data=body, timeout=60) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(post, forms))


def _counting(monkeypatch: pytest.MonkeyPatch, target: str) -> list[int]:
    module_name, name = target.rsplit(".", 1)
    module = __import__(module_name, fromlist=[name])
    original: Callable[..., Any] = getattr(module, name)
    calls: list[int] = []
    lock = threading.Lock()

    def counted(*args: Any, **kwargs: Any) -> Any:
        with lock:
            calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.fixture
def shared_limits_app(app: Flask, database_url: str, make_app: Callable[..., Flask]) -> Flask:
    """An app whose guessing limits live in Redis, as on several production hosts.

    The limiter is one object per process, set up by the app made last: this one comes
    after the test's `app`, so requests to it count in Redis.
    """
    if not redis_answers():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"guess-test-{time.time_ns()}"
    return make_app(
        test_config(
            database_url,
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15",
            RATELIMIT_KEY_PREFIX=prefix,
            RATELIMIT_TRACK_CASE_TRIES=TRIES,
            RATELIMIT_LOGIN_ACCOUNT_TRIES=TRIES,
            RATELIMIT_TRACK_CLIENT="1000 per hour",
            RATELIMIT_LOGIN_CLIENT="1000 per hour",
        )
    )


def test_forty_parallel_wrong_codes_are_checked_at_most_the_limit(
    shared_limits_app: Flask, make_report: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, receipt = make_report()
    checked = _counting(monkeypatch, "intake.tracking.views.open_receipt")
    form = {"case_number": receipt.case_number, "access_code": WRONG_CODE}
    with serving(shared_limits_app) as base:
        codes = _post_all(f"{base}/track", [form] * PARALLEL)
    assert len(checked) <= TRIES
    assert sorted(set(codes)) == [401, 429]


def test_forty_parallel_wrong_passwords_are_checked_at_most_the_limit(
    shared_limits_app: Flask, make_staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_staff("investigator")
    checked = _counting(monkeypatch, "portal.accounts.views_signin.authenticate")
    form = {"username": user.username, "password": "wrong wrong wrong"}
    with serving(shared_limits_app) as base:
        codes = _post_all(f"{base}/staff/login", [form] * PARALLEL)
    assert len(checked) <= TRIES
    assert sorted(set(codes)) == [401, 429]


def test_parallel_failed_sign_ins_are_each_audited_in_one_unbroken_chain(
    app: Flask, make_app: Callable[..., Flask], database_url: str, fresh: Any
) -> None:
    # Every client and account its own, so that every attempt is checked and audited.
    audited = make_app(
        test_config(
            database_url, RATELIMIT_LOGIN_CLIENT="1000 per hour", RATELIMIT_LOGIN_ACCOUNT_TRIES=100
        )
    )
    forms = [{"username": f"nobody{i}", "password": "wrong wrong wrong"} for i in range(PARALLEL)]
    with serving(audited) as base:
        codes = _post_all(f"{base}/staff/login", forms)
    session = fresh()
    failures = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "staff.login_failed")
    )
    assert (codes, failures) == ([401] * PARALLEL, PARALLEL)
    assert verify_chain(session) is None


def test_the_counters_hold_no_address_or_username(
    shared_limits_app: Flask, make_staff: Any
) -> None:
    import redis

    user = make_staff("investigator")
    client = shared_limits_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    _login(client, user.username, "wrong wrong wrong")
    prefix = shared_limits_app.config["RATELIMIT_KEY_PREFIX"]
    with redis.Redis.from_url("redis://127.0.0.1:6379/15") as conn:
        keys = [k.decode() for k in conn.scan_iter(f"*{prefix}*")]
    assert keys and not any("203.0.113.77" in k or user.username in k for k in keys)
