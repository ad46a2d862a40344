"""Several app hosts share one Redis: limits must hold across them (README.md, "Production")."""

import os
import socket

import pytest

from tests.conftest import test_config

REDIS = "redis://127.0.0.1:6379/15"
# flask-limiter keeps the first non-empty key prefix it sees in a process, so one fixed
# prefix is used here and its keys are cleared before each test.
PREFIX = f"portal-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def clean_redis():
    import redis

    conn = redis.Redis.from_url(REDIS)
    for key in conn.scan_iter(f"*{PREFIX}*"):
        conn.delete(key)
    yield
    conn.close()


def test_wrong_codes_on_one_host_count_on_another(database_url, make_report, make_app):
    settings = test_config(
        database_url,
        RATELIMIT_STORAGE_URI=REDIS,
        RATELIMIT_KEY_PREFIX=PREFIX,
        RATELIMIT_TRACK_CASE_TRIES=2,
    )
    _, receipt = make_report()
    host_a, host_b = make_app(dict(settings)), make_app(dict(settings))
    wrong = {"case_number": receipt.case_number, "access_code": "00000-00000-00000-00000"}
    codes = [
        host_a.test_client().post("/track", data=wrong).status_code,
        host_b.test_client().post("/track", data=wrong).status_code,
        host_a.test_client().post("/track", data=wrong).status_code,
    ]
    assert codes == [401, 401, 429]


def test_limit_counters_live_in_redis_without_client_addresses(database_url, make_app):
    import redis

    app = make_app(
        test_config(database_url, RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_KEY_PREFIX=PREFIX)
    )
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.99"
    client.post("/track", data={"case_number": "JB2026-0000-0000", "access_code": "0" * 20})
    with redis.Redis.from_url(REDIS) as conn:
        keys = [k.decode() for k in conn.scan_iter(f"*{PREFIX}*")]
    assert keys and not any("203.0.113.99" in k for k in keys)
