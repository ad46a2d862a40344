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

# The value a fresh checkout would run with; production refuses to start on it.
INSECURE_SECRET_KEY = "dev-insecure-secret-key"  # noqa: S105 (the sentinel we refuse)


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or incomplete for the environment."""


DEFAULTS: dict[str, Any] = {
    # "development", "testing" or "production"; production refuses unsafe settings.
    "ENV": "development",
    "SECRET_KEY": INSECURE_SECRET_KEY,
    # Empty means SQLite in the instance folder.
    "DATABASE_URL": "",
    # Base64 of 32 random bytes. Encrypts facts, messages and evidence at rest
    # (domain.md §7); kept out of the database so a dump alone reveals nothing.
    "DATA_KEY": "",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_REPORT": "20 per hour",
    "RATELIMIT_TRACK_CLIENT": "30 per hour",
    "RATELIMIT_TRACK_CASE": "10 per hour",
    "RATELIMIT_REPLY": "30 per hour",
    # Failed staff sign-ins, per client and per account (successes do not count).
    "RATELIMIT_LOGIN_CLIENT": "30 per hour",
    "RATELIMIT_LOGIN_ACCOUNT": "10 per hour",
    "RATELIMIT_STAFF_POST": "600 per hour",
    # Staff sessions: 30 minutes idle, 8 hours at most (issue 3 §1).
    "STAFF_IDLE_SECONDS": 30 * 60,
    "STAFF_ABSOLUTE_SECONDS": 8 * 3600,
    # Finish handling within 90 calendar days of opening a case; one extension (domain.md §3).
    "HANDLE_CALENDAR_DAYS": 90,
    "HANDLE_EXTENSION_DAYS": 30,
    # A reward lapses when not claimed within this many months of the notice (§3).
    "REWARD_CLAIM_MONTHS": 2,
    # The identity of a closed report is destroyed after this many months (issue 5 §1).
    "IDENTITY_RETENTION_MONTHS": 60,
    # Work queue: reports due within this many days count as due soon.
    "DUE_SOON_DAYS": 3,
    # Public pages kept in each worker's memory (portal/pagecache.py): how long a page of
    # cases, disclosures or feeds may be kept, how long pages that count reports may be
    # kept, how often a worker looks for changes published by other hosts, and how much
    # memory the pages may take per worker.
    "PUBLIC_CACHE_SECONDS": 300,
    "STATS_CACHE_SECONDS": 60,
    "PAGE_CACHE_CHECK_SECONDS": 1.0,
    "PAGE_CACHE_MAX_BYTES": 32 * 1024 * 1024,
    # Public statistics hide counts below this, so nobody can be picked out (issue 4 §4).
    "STATS_MIN_COUNT": 5,
    # A reporter may take hours to write; the default one hour would lose their work.
    "WTF_CSRF_TIME_LIMIT": 24 * 3600,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PREFERRED_URL_SCHEME": "http",
    # Evidence limits (issue 2 §2), configurable per deployment.
    "EVIDENCE_MAX_FILES": 10,
    "EVIDENCE_MAX_FILE_BYTES": 20 * 1024 * 1024,
    "EVIDENCE_MAX_TOTAL_BYTES": 50 * 1024 * 1024,
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
    "HOTLINE_TEXT": "全国医保服务热线 12393",
    # Postal or visiting address for reports, shown on the home page; empty hides it.
    "REPORT_ADDRESS_TEXT": "",
}


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

    instance = Path(app.instance_path)
    if not app.config["DATABASE_URL"]:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'portal.sqlite3'}"

    if env == "production":
        check_production(app.config)
    else:
        # A development checkout gets per-install secrets kept in instance/, never in git.
        if app.config["SECRET_KEY"] == INSECURE_SECRET_KEY:
            app.config["SECRET_KEY"] = _instance_secret(instance / "secret.key", 32).hex()
        if not app.config["DATA_KEY"]:
            app.config["DATA_KEY"] = base64.b64encode(
                _instance_secret(instance / "data.key", 32)
            ).decode()
    app.config["DATA_KEY_BYTES"] = decode_data_key(app.config["DATA_KEY"])


def decode_data_key(value: str) -> bytes:
    """Return the 32-byte data key encoded in `value` or raise ConfigError."""
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("PORTAL_DATA_KEY must be base64") from exc
    if len(key) != 32:
        raise ConfigError("PORTAL_DATA_KEY must encode exactly 32 bytes")
    return key


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
    if problems:
        raise ConfigError("unsafe production configuration: " + "; ".join(problems))
    config["SESSION_COOKIE_SECURE"] = True
    config["PREFERRED_URL_SCHEME"] = "https"


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
