"""Case numbers and access codes: the receipt a reporter keeps (docs/domain.md §2)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


# 20 symbols × 5 bits = 100 bits of entropy, above the 80 bits required.
ACCESS_CODE_SYMBOLS = 20


ACCESS_CODE_GROUP = 5


# 8 random symbols (40 bits) after the year: unguessable and never sequential, so the
# numbers reveal nothing about volume; collisions are retried on the unique index.
CASE_RANDOM_SYMBOLS = 8


CASE_PREFIX = "JB"


_CASE_RE = re.compile(rf"^{CASE_PREFIX}(\d{{4}})([{ALPHABET}]{{{CASE_RANDOM_SYMBOLS}}})$")


def _random_symbols(count: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(count))


def _clean(value: str) -> str:
    """Upper-case, drop separators and spaces, read look-alikes as digits."""
    return re.sub(r"[\s\-_–—.·]", "", value).upper().translate(_LOOKALIKES)


def new_case_number(now: datetime) -> str:
    """Return a fresh case number such as JB2026-7K3M-Q9XD for a report received at `now`."""
    body = _random_symbols(CASE_RANDOM_SYMBOLS)
    return f"{CASE_PREFIX}{now.year:04d}-{body[:4]}-{body[4:]}"


def normalize_case_number(value: str) -> str | None:
    """Return the canonical form of a typed case number, or None if it cannot be one."""
    cleaned = _clean(value)
    # The prefix letters are not in the look-alike set, but "JB" typed as "jb" is fine.
    match = _CASE_RE.match(cleaned)
    if not match:
        return None
    year, body = match.groups()
    return f"{CASE_PREFIX}{year}-{body[:4]}-{body[4:]}"


def new_access_code() -> str:
    """Return a fresh access code, grouped for reading aloud: XXXXX-XXXXX-XXXXX-XXXXX."""
    raw = _random_symbols(ACCESS_CODE_SYMBOLS)
    return format_access_code(raw)


def format_access_code(raw: str) -> str:
    """Group a normalised access code into blocks of five."""
    return "-".join(raw[i : i + ACCESS_CODE_GROUP] for i in range(0, len(raw), ACCESS_CODE_GROUP))


def normalize_access_code(value: str) -> str | None:
    """Return the canonical ungrouped access code typed as `value`, or None if malformed."""
    cleaned = _clean(value)
    if len(cleaned) != ACCESS_CODE_SYMBOLS or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def hash_submission_key(key: str) -> str:
    """Return the stored form of a one-time form submission key."""
    return hashlib.sha256(key.encode()).hexdigest()


class AccessCodeHasher:
    """Argon2id hashing of access codes, with equal cost whether or not a case exists."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self._hasher = hasher
        # A hash of a random value with the same parameters; verifying against it when the
        # case number is unknown makes a miss cost the same as a wrong code (docs/security.md, "Receipts").
        self._decoy = hasher.hash(secrets.token_hex(16))

    def hash(self, normalized_code: str) -> str:
        """Return the Argon2id hash (with its own salt) of a normalised access code."""
        return self._hasher.hash(normalized_code)

    def verify(self, stored_hash: str | None, normalized_code: str | None) -> bool:
        """Return whether the code matches; always pays one Argon2 verification."""
        candidate = normalized_code or ""
        try:
            ok = self._hasher.verify(stored_hash or self._decoy, candidate)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return ok and stored_hash is not None and normalized_code is not None

    def needs_rehash(self, stored_hash: str) -> bool:
        """Return whether a stored hash uses older parameters."""
        return self._hasher.check_needs_rehash(stored_hash)


def access_code_hasher() -> AccessCodeHasher:
    """Return the app's access-code hasher, made once per app so the decoy hash is reused."""
    from flask import current_app

    from portal.security import password_hasher

    hasher = current_app.extensions.get("access_code_hasher")
    if hasher is None:
        hasher = AccessCodeHasher(password_hasher())
        current_app.extensions["access_code_hasher"] = hasher
    return hasher
