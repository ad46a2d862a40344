"""Configuration: defaults here, `PORTAL_*` environment variables over them, test dicts last.

Every key below can be set as an environment variable with the `PORTAL_` prefix, e.g.
`PORTAL_DATABASE_URL=postgresql+psycopg://portal@db/portal`. Values are parsed as JSON
when they look like JSON (Flask's `from_prefixed_env`), so numbers and booleans work.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# The value a fresh checkout would run with; production refuses to start on it.
INSECURE_SECRET_KEY = "dev-insecure-secret-key"  # noqa: S105 (the sentinel we refuse)


# Where an SMTP relay may be reached without TLS: on this host only.
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or incomplete for the environment."""


DEFAULTS: dict[str, Any] = {
    # "development", "testing" or "production"; production refuses unsafe settings.
    "ENV": "development",
    "SECRET_KEY": INSECURE_SECRET_KEY,
    # Empty means SQLite in the instance folder.
    "DATABASE_URL": "",
    # Base64 of 32 random bytes. Encrypts facts, messages and evidence at rest
    # (docs/domain.md §7); kept out of the database so a dump alone reveals nothing.
    "DATA_KEY": "",
    "RATELIMIT_STORAGE_URI": "memory://",
    # The level of the portal's log on stderr; `make run` sets WARNING for its set-up
    # commands so that the first start prints only what a person needs.
    "LOG_LEVEL": "INFO",
    # While the shared storage (Redis) is unreachable, each worker counts in its own memory
    # and goes back to the storage when it answers again (docs/security.md, "Outages"). A
    # storage that does not answer within a second counts as unreachable; its errors
    # arrive as the `limits` package's StorageError.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_STORAGE_OPTIONS": {
        "wrap_exceptions": True,
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
    },
    "RATELIMIT_STORAGE_PROBE_SECONDS": 5,
    "RATELIMIT_HEADERS_ENABLED": True,
    # Seconds a client is asked to wait (Retry-After) when the database does not answer.
    "UNAVAILABLE_RETRY_AFTER": 60,
    "RATELIMIT_REPORT": "20 per hour",
    "RATELIMIT_REPLY": "30 per hour",
    # Finding the reported institution: suggestions as one types (a request every few
    # keystrokes), and the search buttons of the form without JavaScript.
    "RATELIMIT_SUGGEST": "120 per minute",
    "RATELIMIT_INSTITUTION_SEARCH": "60 per hour",
    # Guessing secrets (portal/attempts.py): strict limits per client; per case number or
    # account a few quick tries, then one try per delay doubling from the first to the
    # maximum, so an attacker cannot lock the rightful owner out for long. Failures are
    # forgotten after GUESS_FORGET_SECONDS.
    "RATELIMIT_TRACK_CLIENT": "30 per hour",
    "RATELIMIT_TRACK_CASE_TRIES": 5,
    "RATELIMIT_LOGIN_CLIENT": "30 per hour",
    "RATELIMIT_LOGIN_ACCOUNT_TRIES": 5,
    "GUESS_DELAY_FIRST_SECONDS": 30,
    "GUESS_DELAY_MAX_SECONDS": 15 * 60,
    "GUESS_FORGET_SECONDS": 24 * 3600,
    "RATELIMIT_STAFF_POST": "600 per hour",
    # Staff sessions: 30 minutes idle, 8 hours at most (docs/security.md, "Staff sign-in").
    "STAFF_IDLE_SECONDS": 30 * 60,
    "STAFF_ABSOLUTE_SECONDS": 8 * 3600,
    # Finish handling within 90 calendar days of opening a case; one extension (docs/domain.md §3).
    "HANDLE_CALENDAR_DAYS": 90,
    "HANDLE_EXTENSION_DAYS": 30,
    # A reward lapses when not claimed within this many months of the notice (docs/domain.md §3).
    "REWARD_CLAIM_MONTHS": 2,
    # The identity of a closed report is destroyed after this many months (docs/domain.md §7).
    "IDENTITY_RETENTION_MONTHS": 60,
    # Work queue: reports due within this many days count as due soon.
    "DUE_SOON_DAYS": 3,
    # Public pages kept in each worker's memory (portal/pagecache.py): how long a page of
    # cases, disclosures or feeds may be kept, how long pages that count reports may be
    # kept, how often a worker looks for changes published by other hosts, and how much
    # memory the pages may take per worker.
    "PUBLIC_CACHE_SECONDS": 300,
    "STATS_CACHE_SECONDS": 60,
    # A quarter of a second: a change shows on the other hosts well within a second even
    # when their workers are busy (bench/results.md, "Two hosts"), for one indexed
    # one-row read per worker four times a second.
    "PAGE_CACHE_CHECK_SECONDS": 0.25,
    "PAGE_CACHE_MAX_BYTES": 32 * 1024 * 1024,
    # How long past its time a page that counts reports may still be served while a fresh
    # copy is drawn behind it (portal/pagecache_fill.py), should drawing it fail.
    "PAGE_CACHE_STALE_SECONDS": 600,
    # Public statistics hide counts below this, so nobody can be picked out (docs/domain.md §5).
    "STATS_MIN_COUNT": 5,
    # How long a published penalty decision stays on the public list, counted from the
    # decision date (docs/domain.md §9): a year by default, three years for a terminated
    # service agreement or a serious-dishonesty listing (严重失信), as provincial credit
    # rules set. A credit repair (信用修复) ends a listing earlier.
    "PENALTY_PUBLIC_DAYS": 365,
    "PENALTY_PUBLIC_DAYS_SERIOUS": 3 * 365,
    # Telling people (docs/domain.md §10): notices wait in the outbox table and a worker
    # (`flask --app portal deliver-notices`) sends them. "console" prints each notice to the
    # log instead of sending it (development and the demo); "smtp_sms" sends e-mail over
    # SMTP and text messages through the HTTPS gateway below.
    "NOTICE_DELIVERY": "console",
    # E-mail: the SMTP relay. SMTP_SECURITY is "starttls", "tls" (implicit, port 465) or
    # "none" (a relay on the same host only).
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": 25,
    "SMTP_SECURITY": "starttls",
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "",
    "SMTP_TIMEOUT_SECONDS": 10,
    # A file of the authorities (PEM) that signed the relay's certificate, when it is not one
    # the system trusts (a private government CA); empty: the system's.
    "SMTP_CA_FILE": "",
    # Text messages: the provincial government SMS platform or a cloud provider, reached by
    # an HTTPS POST of signed JSON (HMAC-SHA256 of the body under the shared secret).
    "SMS_GATEWAY_URL": "",
    "SMS_GATEWAY_SECRET": "",
    "SMS_GATEWAY_TIMEOUT_SECONDS": 10,
    # Retries: the first after this many seconds, doubling up to the maximum, for ever.
    "NOTICE_RETRY_FIRST_SECONDS": 30,
    "NOTICE_RETRY_MAX_SECONDS": 3600,
    "NOTICE_BATCH_SIZE": 50,
    # How long the worker rests when nothing is due, and how often it runs the features'
    # periodic jobs (app.extensions["portal.periodic"]).
    "NOTICE_POLL_SECONDS": 5,
    "PERIODIC_SECONDS": 60,
    # The staff digest goes out once a day at this China time (docs/domain.md §10).
    "DIGEST_TIME": "08:30",
    # A reminder goes this many days before an unclaimed reward lapses (docs/domain.md §10).
    "REWARD_REMINDER_DAYS": 14,
    # Satisfaction and review (docs/domain.md §11): calendar days to ask for a review after
    # the feedback, and for the level above to answer.
    "REVIEW_REQUEST_DAYS": 30,
    "REVIEW_ANSWER_DAYS": 30,
    # Major cases and transfers (docs/domain.md §12): the amount (yuan) from which a report
    # is major, and the calendar days after which a transfer with no outcome is due.
    "MAJOR_CASE_AMOUNT": 1_000_000,
    "TRANSFER_OUTCOME_DAYS": 30,
    # Social supervisors' opinions (docs/domain.md §14): working days for the office's reply.
    "OPINION_REPLY_DAYS": 15,
    # A reporter may take hours to write; the default one hour would lose their work.
    "WTF_CSRF_TIME_LIMIT": 24 * 3600,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PREFERRED_URL_SCHEME": "http",
    # Evidence limits (docs/domain.md §7), configurable per deployment.
    "EVIDENCE_MAX_FILES": 10,
    "EVIDENCE_MAX_FILE_BYTES": 20 * 1024 * 1024,
    "EVIDENCE_MAX_TOTAL_BYTES": 50 * 1024 * 1024,
    # Hard limit of a request body (Flask's key): None means the evidence total plus
    # FORM_MARGIN_BYTES for the form's text; anything larger is a 413 before it is read.
    "MAX_CONTENT_LENGTH": None,
    # Memory one text field, or a whole form without files, may take while parsed.
    # Flask's own default, written here because the body limit above relies on it:
    # 10,000 Chinese characters percent-encoded are about 90 KB.
    "MAX_FORM_MEMORY_SIZE": 500_000,
    "FACTS_MAX_CHARS": 10000,
    # Reporter tracking sessions end after this many idle seconds.
    "TRACK_IDLE_SECONDS": 30 * 60,
    # Argon2id profile for access codes and staff passwords: "default" or "cheapest" (tests).
    "ARGON2_PROFILE": "default",
    # Number of proxies in front of the app whose X-Forwarded-For may be trusted.
    "PROXY_FIX_X_FOR": 0,
    "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": ["zh_Hans_CN", "en"],
    # Other ways to report, on every page: in Chinese, and in English for English pages
    # (empty: English pages show the Chinese text).
    "HOTLINE_TEXT": "全国医保服务热线 12393",
    "HOTLINE_TEXT_EN": "National medical security service hotline 12393",
    # Postal or visiting address for reports, shown on the home page; empty hides it.
    "REPORT_ADDRESS_TEXT": "",
    # The address the public reaches the portal at, scheme and host only, e.g.
    # https://ybjg.example.gov.cn. Every absolute URL (feeds, API, OpenAPI, private feed
    # addresses) is built on it, never on the request's Host header; production requires
    # it. Empty in development and tests: the request's host is used there.
    "PUBLIC_URL": "",
}
# Room for the text of a form next to the largest evidence allowed (multipart framing,
# the facts, the identity fields).
FORM_MARGIN_BYTES = 2 * 1024 * 1024


def load_config(app: Any, overrides: dict[str, Any] | None) -> None:
    """Fill `app.config` from defaults, `PORTAL_*` variables and `overrides`, in that order."""
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("PORTAL")
    if overrides:
        app.config.update(overrides)
    env = app.config["ENV"]
    if env not in {"development", "testing", "production"}:
        raise ConfigError(f"PORTAL_ENV must be development, testing or production, not {env!r}")
    app.config["TESTING"] = env == "testing" or app.config.get("TESTING", False)
    if app.config["MAX_CONTENT_LENGTH"] is None:
        app.config["MAX_CONTENT_LENGTH"] = (
            int(app.config["EVIDENCE_MAX_TOTAL_BYTES"]) + FORM_MARGIN_BYTES
        )

    instance = Path(app.instance_path)
    if not app.config["DATABASE_URL"]:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'portal.sqlite3'}"

    delivery = notice_delivery_problems(app.config, production=env == "production")
    if delivery and env != "production":
        raise ConfigError("; ".join(delivery))
    if env == "production":
        check_production(app.config)
    else:
        if app.config["PUBLIC_URL"]:
            problem = public_url_problem(app.config["PUBLIC_URL"], https_only=False)
            if problem:
                raise ConfigError(problem)
        # A development checkout gets per-install secrets kept in instance/, never in git.
        if app.config["SECRET_KEY"] == INSECURE_SECRET_KEY:
            app.config["SECRET_KEY"] = _instance_secret(instance / "secret.key", 32).hex()
        if not app.config["DATA_KEY"]:
            app.config["DATA_KEY"] = base64.b64encode(
                _instance_secret(instance / "data.key", 32)
            ).decode()
    app.config["DATA_KEY_BYTES"] = decode_data_key(app.config["DATA_KEY"])
    app.config["PUBLIC_URL"] = str(app.config["PUBLIC_URL"] or "").rstrip("/")


def decode_data_key(value: str) -> bytes:
    """Return the 32-byte data key encoded in `value` or raise ConfigError."""
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("PORTAL_DATA_KEY must be base64") from exc
    if len(key) != 32:
        raise ConfigError("PORTAL_DATA_KEY must encode exactly 32 bytes")
    return key


def public_url_problem(value: Any, *, https_only: bool) -> str | None:
    """Return what is wrong with `value` as PUBLIC_URL, or None when it is usable."""
    schemes = ("https",) if https_only else ("https", "http")
    wanted = (
        "PORTAL_PUBLIC_URL must be the portal's public address, scheme and host only, "
        f"such as https://ybjg.example.gov.cn ({' or '.join(schemes)})"
    )
    if not isinstance(value, str) or not value:
        return wanted
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return wanted
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        return wanted
    if (
        parts.scheme not in schemes
        or not parts.hostname
        or "@" in parts.netloc
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or value.endswith("?")
        or value.endswith("#")
    ):
        return wanted
    return None


def check_production(config: Any) -> None:
    """Refuse to start production with an unsafe setting (house style: config)."""
    problems = []
    if config["SECRET_KEY"] in ("", INSECURE_SECRET_KEY) or len(config["SECRET_KEY"]) < 32:
        problems.append("PORTAL_SECRET_KEY must be set to at least 32 random characters")
    if not config["DATA_KEY"]:
        problems.append("PORTAL_DATA_KEY must be set (base64 of 32 random bytes)")
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        problems.append(
            "PORTAL_RATELIMIT_STORAGE_URI must point at shared storage such as redis://; "
            "memory storage counts per worker process"
        )
    if config.get("DEBUG"):
        problems.append("debug must be off in production")
    if config["ARGON2_PROFILE"] != "default":
        problems.append("PORTAL_ARGON2_PROFILE must be 'default' in production")
    # Absolute URLs in feeds and the API (publicly cached) must not come from the Host
    # header a client chose (docs/security.md, "Web").
    public_url = public_url_problem(config.get("PUBLIC_URL", ""), https_only=True)
    if public_url:
        problems.append(public_url)
    problems.extend(notice_delivery_problems(config, production=True))
    if problems:
        raise ConfigError("unsafe production configuration: " + "; ".join(problems))
    config["SESSION_COOKIE_SECURE"] = True
    config["PREFERRED_URL_SCHEME"] = "https"


def notice_delivery_problems(config: Any, *, production: bool) -> list[str]:
    """Return what keeps notices from being delivered as configured (docs/domain.md §10).

    Production delivers for real: "console" would mark every notice sent while nobody is
    told. A reporter's contact may be a mobile number or an e-mail address, so both the
    relay and the SMS gateway must be configured.
    """
    problems = []
    delivery = config["NOTICE_DELIVERY"]
    if delivery not in ("console", "smtp_sms"):
        problems.append("PORTAL_NOTICE_DELIVERY must be 'console' or 'smtp_sms'")
    if config["SMTP_SECURITY"] not in ("starttls", "tls", "none"):
        problems.append("PORTAL_SMTP_SECURITY must be 'starttls', 'tls' or 'none'")
    if not production:
        return problems
    if delivery != "smtp_sms":
        problems.append(
            "PORTAL_NOTICE_DELIVERY must be 'smtp_sms' in production; 'console' only prints"
        )
    if config["SMTP_SECURITY"] == "none" and config["SMTP_HOST"] not in LOOPBACK_HOSTS:
        problems.append("PORTAL_SMTP_SECURITY 'none' is for a relay on this host only")
    if "@" not in str(config["SMTP_FROM"]):
        problems.append("PORTAL_SMTP_FROM must be the address notices are sent from")
    if urlsplit(str(config["SMS_GATEWAY_URL"])).scheme != "https":
        problems.append("PORTAL_SMS_GATEWAY_URL must be the gateway's https:// address")
    if len(str(config["SMS_GATEWAY_SECRET"])) < 32:
        problems.append("PORTAL_SMS_GATEWAY_SECRET must be at least 32 random characters")
    return problems


def _instance_secret(path: Path, size: int) -> bytes:
    """Read a random secret from `path`, creating it (mode 0600) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = path.read_bytes()
        if len(data) == size:
            return data
    except FileNotFoundError:
        pass
    data = secrets.token_bytes(size)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return data
