import base64
import secrets

import pytest

from portal import create_app
from portal.config import ConfigError

GOOD_PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": "s" * 48,
    "DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
    "DATABASE_URL": "sqlite://",
    "PUBLIC_URL": "https://ybjg.example.gov.cn",
    "NOTICE_DELIVERY": "smtp_sms",
    "SMTP_FROM": "noreply@ybjg.example.gov.cn",
    "SMS_GATEWAY_URL": "https://sms.example.gov.cn/send",
    "SMS_GATEWAY_SECRET": "g" * 40,
}


def test_safe_production_configuration_starts():
    app = create_app(dict(GOOD_PRODUCTION))
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("SECRET_KEY", "dev-insecure-secret-key"),
        ("SECRET_KEY", "short"),
        ("DATA_KEY", ""),
        ("RATELIMIT_STORAGE_URI", "memory://"),
        ("DEBUG", True),
        ("ARGON2_PROFILE", "cheapest"),
        ("PUBLIC_URL", ""),
        ("NOTICE_DELIVERY", "console"),
        ("SMTP_FROM", ""),
        ("SMS_GATEWAY_URL", ""),
        ("SMS_GATEWAY_URL", "http://sms.example.gov.cn/send"),
        ("SMS_GATEWAY_SECRET", "short"),
        ("PUBLIC_URL", "http://ybjg.example.gov.cn"),
        ("PUBLIC_URL", "ybjg.example.gov.cn"),
        ("PUBLIC_URL", "https://"),
        ("PUBLIC_URL", "https://ybjg.example.gov.cn/portal"),
        ("PUBLIC_URL", "https://ybjg.example.gov.cn?next=/"),
        ("PUBLIC_URL", "https://user@ybjg.example.gov.cn"),
        ("PUBLIC_URL", "https://ybjg.example.gov.cn:port"),
        ("PUBLIC_URL", "https://ybjg.example.gov.cn\r\nX: 1"),
    ],
)
def test_production_refuses_an_unsafe_setting(setting, value):
    with pytest.raises(ConfigError):
        create_app({**GOOD_PRODUCTION, setting: value})


def test_production_refuses_smtp_without_tls_to_another_host():
    with pytest.raises(ConfigError, match="SMTP_SECURITY"):
        create_app({**GOOD_PRODUCTION, "SMTP_SECURITY": "none", "SMTP_HOST": "mail.example"})


def test_an_unknown_way_of_delivering_notices_is_refused_everywhere():
    with pytest.raises(ConfigError, match="NOTICE_DELIVERY"):
        create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "NOTICE_DELIVERY": "smtp"})


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"short").decode()])
def test_malformed_data_key_is_refused(value):
    with pytest.raises(ConfigError):
        create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "DATA_KEY": value})


def test_environment_variables_override_defaults(monkeypatch):
    monkeypatch.setenv("PORTAL_EVIDENCE_MAX_FILES", "3")
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://"})
    assert app.config["EVIDENCE_MAX_FILES"] == 3


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError):
        create_app({"ENV": "staging", "DATABASE_URL": "sqlite://"})


def test_csrf_time_limit_outlasts_a_long_writing_session():
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://"})
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 8 * 3600


def test_the_public_url_comes_from_the_environment_without_a_trailing_slash(monkeypatch):
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://ybjg.example.gov.cn/")
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://"})
    assert app.config["PUBLIC_URL"] == "https://ybjg.example.gov.cn"


def test_a_malformed_public_url_is_refused_in_development_too():
    with pytest.raises(ConfigError):
        create_app({"ENV": "development", "DATABASE_URL": "sqlite://", "PUBLIC_URL": "ftp://x"})
