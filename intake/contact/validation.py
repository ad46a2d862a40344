"""What a reporter's contact may be: a mainland mobile number or an e-mail address.

An address is checked by the portal's one check (portal/mailbox.py), after full-width
characters (＠, ｍ) are folded as people type them on a Chinese keyboard.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from portal import mailbox
from portal.notices.models import Channel

# Mainland mobile numbers: 11 digits, 1 then 3–9 (docs/domain.md §10).
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Separators people type in a number; the country code is dropped after them.
_PHONE_SEPARATORS = re.compile(r"[\s\-–—()（）.]")


@dataclass(frozen=True)
class Contact:
    """A checked contact: how it travels and its normalised value."""

    channel: Channel
    value: str

    def __repr__(self) -> str:
        return f"<Contact {self.channel.value}>"


def normalize_mobile(value: str) -> str | None:
    """Return an 11-digit mainland mobile number from what was typed, or None."""
    digits = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if _MOBILE.fullmatch(digits) else None


def normalize_email(value: str) -> str | None:
    """Return an e-mail address as stored (portal/mailbox.py), full-width characters folded."""
    return mailbox.normalize_email(unicodedata.normalize("NFKC", value))


def parse_contact(value: str) -> Contact | None:
    """Return the contact typed — a mobile number or an e-mail address — or None if neither."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    if "@" in text:
        email = normalize_email(text)
        return Contact(Channel.EMAIL, email) if email else None
    mobile = normalize_mobile(text)
    return Contact(Channel.SMS, mobile) if mobile else None


def mask(contact: Contact) -> str:
    """Return the contact as the reporter's page shows it: 138****8000, w***@example.com."""
    if contact.channel is Channel.SMS:
        return f"{contact.value[:3]}****{contact.value[-4:]}"
    local, domain = contact.value.split("@")
    return f"{local[0]}***@{domain}"
