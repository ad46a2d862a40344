"""A small HTTP client for the bench's Python load (bench/mixed.py, bench/hosts.py): one
request per connection (gunicorn's sync workers close each one anyway), its own cookies,
no redirects followed, forms posted urlencoded or multipart as a browser posts them.
"""

from __future__ import annotations

import http.client
import re
import secrets
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

CSRF = re.compile(rb'name="(?:[a-z_]+-)?csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Answer:
    """A response: status, headers (lower-case names; Set-Cookie joined), body, seconds."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


@dataclass
class Client:
    """Requests to one host with a jar of cookies (name → value, paths ignored)."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    keep: frozenset[str] | None = None  # cookie names kept from answers (None: all)
    timeout: float = 60.0
    last_seconds: float = 0.0  # how long the last request took

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Send one request and read the whole answer; time it from connecting to the end."""
        parsed = urllib.parse.urlsplit(self.base)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn = http.client.HTTPConnection(parsed.hostname or "", parsed.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            elapsed = self.last_seconds = time.perf_counter() - started
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                name = name.strip()
                if self.keep is None or name in self.keep:
                    self.cookies[name] = value
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
            return Answer(response.status, answer_headers, data, elapsed)
        finally:
            conn.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """GET `path`."""
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: Sequence[tuple[str, str]]) -> Answer:
        """POST urlencoded fields, as a form without files."""
        body = urllib.parse.urlencode(list(fields)).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_multipart(
        self,
        path: str,
        fields: Sequence[tuple[str, str]],
        files: Sequence[tuple[str, str, str, bytes]],
    ) -> Answer:
        """POST a multipart form: fields, and files as (field, filename, type, content)."""
        body, content_type = multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": content_type})

    def csrf_token(self, path: str) -> str:
        """GET a page with a form and return its CSRF token (the session cookie is kept)."""
        page = self.get(path)
        found = CSRF.search(page.body)
        if page.status != 200 or found is None:
            raise RuntimeError(f"{self.base}{path} answered {page.status} without a CSRF token")
        return found.group(1).decode()


def multipart(
    fields: Sequence[tuple[str, str]], files: Sequence[tuple[str, str, str, bytes]]
) -> tuple[bytes, str]:
    """Return a multipart/form-data body and its Content-Type."""
    boundary = "bench" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, kind, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
