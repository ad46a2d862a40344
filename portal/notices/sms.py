"""Text-message notices: a signed JSON POST to the SMS gateway (wire format: docs/security.md).

The body is `{"to", "text", "idempotency_key", "timestamp"}` in UTF-8 JSON; the headers
repeat the timestamp and the idempotency key and carry an HMAC-SHA256 (hex) of
`timestamp + "." + body` under the shared secret, so the gateway can check that the
request comes from the portal, is recent, and is not a repeat. A 2xx answer is a send;
anything else, a redirect included, or no answer within the timeout is a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from portal.notices.outbox import OpenNotice
from portal.notices.senders import DeliveryError, delivery_id

TIMESTAMP_HEADER = "X-Portal-Timestamp"
IDEMPOTENCY_HEADER = "X-Portal-Idempotency-Key"
SIGNATURE_HEADER = "X-Portal-Signature"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return the hex HMAC-SHA256 of `timestamp + "." + body` under `secret`."""
    material = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), material, hashlib.sha256).hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would turn the POST into a GET elsewhere: count it as a failure."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class SmsGateway:
    """Posts each notice's text to the gateway."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.url = str(config["SMS_GATEWAY_URL"])
        self.secret = str(config["SMS_GATEWAY_SECRET"])
        self.timeout = float(config["SMS_GATEWAY_TIMEOUT_SECONDS"])
        self._opener = urllib.request.build_opener(_NoRedirects())

    def request(
        self, key: str, notice: OpenNotice, now: float | None = None
    ) -> urllib.request.Request:
        """Return the signed request of one notice."""
        timestamp = str(int(time.time() if now is None else now))
        idempotency_key = delivery_id(key)
        body = json.dumps(
            {
                "to": notice.recipient,
                "text": notice.body,
                "idempotency_key": idempotency_key,
                "timestamp": int(timestamp),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        return urllib.request.Request(  # noqa: S310 (an operator's https URL, checked at start)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                TIMESTAMP_HEADER: timestamp,
                IDEMPOTENCY_HEADER: idempotency_key,
                SIGNATURE_HEADER: signature(self.secret, timestamp, body),
            },
        )

    def send(self, key: str, kind: str, notice: OpenNotice) -> None:
        """Post one notice; a non-2xx answer or no answer raises DeliveryError."""
        try:
            with self._opener.open(self.request(key, notice), timeout=self.timeout) as answer:
                status = int(answer.status)
        except urllib.error.HTTPError as error:
            error.close()
            raise DeliveryError(f"http:{error.code}") from None
        except urllib.error.URLError as error:
            reason = error.reason
            name = type(reason).__name__ if isinstance(reason, BaseException) else "URLError"
            raise DeliveryError(name, channel_down=True) from None
        except (OSError, http.client.HTTPException) as error:
            raise DeliveryError(type(error).__name__, channel_down=True) from None
        if not 200 <= status < 300:
            raise DeliveryError(f"http:{status}")

    def close(self) -> None:
        """Nothing kept between notices."""
