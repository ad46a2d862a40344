"""What a reporter's contact may be: a mainland mobile number or an e-mail address.

No e-mail library is among our dependencies, so the address check is our own, kept to what
mail servers accept (RFC 5321 lengths, a dot-atom local part, a host name with a dot).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from portal.notices.models import Channel

# Mainland mobile numbers: 11 digits, 1 then 3–9 (docs/domain.md §10).
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Separators people type in a number; the country code is dropped after them.
_PHONE_SEPARATORS = re.compile(r"[\s\-–—()（）.]")
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_TOP_LABEL = re.compile(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}")


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
    """Return an e-mail address with its domain in lower case (IDN as ASCII), or None."""
    text = unicodedata.normalize("NFKC", value).strip()
    if text.count("@") != 1 or len(text) > 254:
        return None
    local, domain = text.split("@")
    if not 1 <= len(local) <= 64 or not _LOCAL.fullmatch(local):
        return None
    try:
        # A domain in Chinese (例子.中国) travels as its ASCII form.
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253:
        return None
    if not all(_LABEL.fullmatch(label) for label in labels):
        return None
    if not _TOP_LABEL.fullmatch(labels[-1]):
        return None
    return f"{local}@{ascii_domain}"


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
