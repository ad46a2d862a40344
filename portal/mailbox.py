"""E-mail addresses people give us to be told things (docs/domain.md §10): one careful check.

No validating library is installed, so this is our own, deliberately narrower than RFC 5322:
it accepts what a relay delivers everywhere — a dot-atom local part of ASCII and a domain of
at least two DNS labels, internationalised domains stored in their ASCII (IDNA) form — and
refuses quoted local parts, comments, IP-literal domains and anything with spaces or controls.
"""

from __future__ import annotations

import re

# RFC 5321 §4.5.3.1: at most 64 octets before the "@", 254 in a usable forward path.
MAX_LOCAL = 64
MAX_ADDRESS = 254

# RFC 5322 §3.2.3 atext, joined by single dots (dot-atom): no leading, trailing or double dot.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
# A DNS label (RFC 1035, as relaxed by RFC 1123): letters, digits and inner hyphens.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def normalize_email(text: str) -> str | None:
    """Return the address in the form we store (domain lower-cased, in ASCII), or None.

    None means it is not an address a notice could be sent to.
    """
    value = text.strip()
    if not value or value.count("@") != 1 or any(c.isspace() for c in value):
        return None
    local, domain = value.split("@")
    if len(local) > MAX_LOCAL or not _LOCAL.fullmatch(local):
        return None
    ascii_domain = _ascii_domain(domain)
    if ascii_domain is None:
        return None
    address = f"{local}@{ascii_domain}"
    return address if len(address) <= MAX_ADDRESS else None


def _ascii_domain(domain: str) -> str | None:
    """Return the domain as lower-case ASCII labels, or None when it cannot be one."""
    domain = domain.lower()
    if not domain.isascii():
        try:
            # Python's codec is IDNA 2003: enough for the Chinese domains in use (例子.中国).
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    # A top-level domain is never all digits ("a@1.2.3.4" is an IP address, not a mailbox)
    # and never a single character.
    if labels[-1].isdigit() or len(labels[-1]) < 2:
        return None
    return domain
