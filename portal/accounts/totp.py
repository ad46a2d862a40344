"""Time-based one-time codes, the second factor of every staff sign-in."""

from __future__ import annotations

import secrets

import pyotp

from portal.db import utcnow

TOTP_ISSUER = "医保基金监管"


# A code from the previous or next 30-second step is accepted, for clocks a little off.
TOTP_WINDOW = 1


def new_totp_secret() -> str:
    """Return a new base32 TOTP secret."""
    return pyotp.random_base32()


def grouped_secret(secret: str) -> str:
    """Return the secret in groups of four, to read and type by hand (apps ignore spaces)."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_uri(secret: str, username: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the enrolment QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def accept_totp(secret: str, code: str, last_step: int) -> int | None:
    """Return the time step `code` belongs to if it is valid and newer than `last_step`.

    A code that was accepted once (or any older one) is refused, so a code seen over a
    shoulder or replayed from a log cannot be used again.
    """
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for offset in range(-TOTP_WINDOW, TOTP_WINDOW + 1):
        step = current + offset
        if step > last_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None
