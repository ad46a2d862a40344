"""Response headers, rate limiting, hashing profiles and privacy-preserving client keys."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

import argon2
from flask import Flask, Response, current_app, make_response, request
from flask_limiter import Limiter
from limits.errors import StorageError
from limits.strategies import RateLimiter

from portal.crypto import KDF_CHEAPEST, KDF_DEFAULT, DataCipher, KdfParams

# No inline script or style anywhere: charts and QR codes use SVG presentation attributes.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


# Set on every answer (unless its view set its own), in this order; Strict-Transport-Security
# too in production.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # no-referrer would make Flask-WTF reject HTTPS posts.
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def client_key() -> str:
    """Return an HMAC of the client address under a secret that changes every UTC day.

    Rate limits need to tell clients apart, but reporters' network addresses must never
    be stored (docs/domain.md §7): only this keyed digest reaches the limiter's storage.
    """
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    secret = current_app.config["SECRET_KEY"].encode()
    daily = hmac.new(secret, b"ratelimit-client:" + day.encode(), hashlib.sha256).digest()
    addr = (request.remote_addr or "unknown").encode()
    return "c:" + hmac.new(daily, addr, hashlib.sha256).hexdigest()[:32]


def keyed_digest(purpose: str, value: str) -> str:
    """Return a short HMAC of `value` for use as a storage key that reveals nothing."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=True)


def limit_strategy() -> RateLimiter:
    """Return the rate-limit strategy in use: the shared storage's, or this worker's memory.

    Flask-Limiter switches a worker to in-memory counting when the shared storage stops
    answering and back when it answers again (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED).
    """
    return limiter.limiter


def limit_storage_failed(error: StorageError) -> None:
    """Count in this worker's memory from now on: the shared storage failed mid-request.

    Flask-Limiter notices an outage when it checks a request's limits; a check of ours
    that meets it first switches over the same way, with the same single warning, and
    Flask-Limiter's own probe switches back once the storage answers.
    """
    if not limiter._storage_dead:
        limiter.logger.warning(
            "Rate limit storage unreachable - falling back to in-memory storage (%s)",
            type(error.storage_error).__name__,
        )
        limiter._storage_dead = True


_probed = {"at": float("-inf")}


def _probe_limit_storage() -> None:
    """While counting in memory, ask the shared storage every few seconds whether it is back.

    Flask-Limiter asks too, but less and less often as an outage goes on (up to half a
    minute apart); asking every RATELIMIT_STORAGE_PROBE_SECONDS bounds how long workers
    count alone after the storage returns.
    """
    if not limiter._storage_dead:
        return
    now = time.monotonic()
    if now - _probed["at"] < float(current_app.config["RATELIMIT_STORAGE_PROBE_SECONDS"]):
        return
    _probed["at"] = now
    try:
        back = limiter.storage.check()
    except Exception:  # noqa: BLE001 (a storage still failing is simply not back)
        back = False
    if back:
        limiter.logger.info("Rate limit storage recovered")
        limiter._storage_dead = False


def configured_limit(name: str) -> Callable[[], str]:
    """Return a limit provider that reads `name` from the app's configuration per request.

    Limits are configuration (`PORTAL_RATELIMIT_*`), so they are looked up when a request
    is checked, not when the module is imported.
    """

    def provider() -> str:
        return str(current_app.config[name])

    provider.__name__ = f"limit_{name.lower()}"
    return provider


# Every staff form post shares one generous limit; sign-in has its own, stricter ones.
staff_post_limit = configured_limit("RATELIMIT_STAFF_POST")


def password_hasher(app: Flask | None = None) -> argon2.PasswordHasher:
    """Return the Argon2id hasher of the configured profile (cheap in tests only)."""
    cfg = (app or current_app).config
    if cfg["ARGON2_PROFILE"] == "cheapest":
        return argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    return argon2.PasswordHasher.from_parameters(argon2.profiles.RFC_9106_LOW_MEMORY)


def kdf_params(app: Flask | None = None) -> KdfParams:
    """Return the Argon2id cost for password-derived keys of the configured profile."""
    cfg = (app or current_app).config
    return KDF_CHEAPEST if cfg["ARGON2_PROFILE"] == "cheapest" else KDF_DEFAULT


def private_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view's responses as never cached and never indexed (intake and tracking pages)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


class _ScrubAddressFilter(logging.Filter):
    """Replace the client address at the start of Werkzeug's access log lines with '-'."""

    _ADDRESS = re.compile(r"^\S+ - - \[")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self._ADDRESS.sub("- - - [", record.msg)
        return True


def init_app(app: Flask) -> None:
    """Install security headers, the rate limiter and address-free logging on `app`."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    app.before_request(_probe_limit_storage)
    logging.getLogger("werkzeug").addFilter(_ScrubAddressFilter())

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        wanted = SECURITY_HEADERS
        if app.config["ENV"] == "production":
            wanted += (HSTS,)
        # Each header unless the view set its own. Asked one by one (`setdefault`), Werkzeug
        # raised and caught an exception for every header missing, on every answer.
        present = {name.lower() for name, _value in headers.items()}
        for name, value in wanted:
            if name.lower() not in present:
                headers.add(name, value)
        return response


def data_cipher() -> DataCipher:
    """Return the cipher for data at rest under the configured data key."""
    return DataCipher(current_app.config["DATA_KEY_BYTES"])
