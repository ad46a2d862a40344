"""How a notice leaves the portal: one sender per channel, and the console in development.

A sender either returns (the receiving server took the notice) or raises `DeliveryError`
carrying only a code — an exception class, an SMTP or HTTP status — never a server's text,
which could quote the recipient or the notice (docs/domain.md §10).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from typing import Any, Protocol

from portal.notices.models import Channel
from portal.notices.outbox import OpenNotice


class DeliveryError(Exception):
    """A notice did not reach the receiving server.

    `code` says why without saying what was sent; `channel_down` means the server could not
    be reached at all, so the rest of this batch on the channel waits for the next cycle.
    """

    def __init__(self, code: str, *, channel_down: bool = False) -> None:
        super().__init__(code)
        self.code = code[:200]
        self.channel_down = channel_down


class Sender(Protocol):
    """Delivers notices of one channel."""

    def send(self, key: str, kind: str, notice: OpenNotice) -> None:
        """Deliver one notice or raise DeliveryError."""

    def close(self) -> None:
        """Drop any connection kept between notices."""


def delivery_id(key: str) -> str:
    """Return the id a receiving server sees for the notice of `key` (Message-ID, idempotency key).

    Derived from the outbox key, so a notice sent again after a crash carries the same id and
    the receiver can drop the repeat; hashed, so the key's own wording (which names the kind
    of cause and a row id) does not travel.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def mask_recipient(recipient: str) -> str:
    """Return a recipient as the console may show it: 138****8000, a***@example.com."""
    if "@" in recipient:
        local, _, domain = recipient.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if len(recipient) <= 4:
        return "*" * len(recipient)
    return f"{recipient[:3]}****{recipient[-4:]}"


class ConsoleSender:
    """Prints what would be sent, recipient masked, and counts it as sent (development)."""

    def __init__(self, channel: Channel, out: Any = None) -> None:
        self.channel = channel
        self.out = out

    def send(self, key: str, kind: str, notice: OpenNotice) -> None:
        """Print the notice instead of sending it."""
        out = self.out or sys.stdout
        out.write(
            f"--- notice ({self.channel.value}, {kind}) to {mask_recipient(notice.recipient)}\n"
            f"Subject: {notice.subject}\n{notice.body}\n---\n"
        )
        out.flush()

    def close(self) -> None:
        """Nothing to close."""


def make_senders(config: Mapping[str, Any]) -> dict[Channel, Sender]:
    """Return the sender of each channel for `config["NOTICE_DELIVERY"]`."""
    if config["NOTICE_DELIVERY"] == "console":
        return {channel: ConsoleSender(channel) for channel in Channel}
    from portal.notices.sms import SmsGateway
    from portal.notices.smtp import SmtpSender

    return {Channel.EMAIL: SmtpSender(config), Channel.SMS: SmsGateway(config)}
