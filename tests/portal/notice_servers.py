"""Servers a notice is delivered to in the tests: a real SMTP server and an SMS gateway.

Both run on loopback in threads of the test process: aiosmtpd for SMTP (with STARTTLS and
AUTH when asked, on a self-signed certificate made here), http.server for the gateway,
which checks the signature the way docs/security.md tells a gateway operator to.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import hmac
import ipaddress
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.servers import free_port


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Write a certificate for 127.0.0.1 and its key; return both paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "relay.pem", folder / "relay.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Received:
    """One message as the SMTP server took it."""

    sender: str
    recipients: list[str]
    message: email.message.EmailMessage


@dataclass
class _Handler:
    delay: float = 0.0
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.delay:
            time.sleep(self.delay)  # a slow relay, so a worker can be killed mid-batch
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a loopback port of its own; stop and start it again on the same port."""

    def __init__(
        self,
        *,
        delay: float = 0.0,
        certificate: tuple[Path, Path] | None = None,
        login: tuple[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.handler = _Handler(delay=delay)
        self.certificate = certificate
        self.login = login
        self.logins: list[str] = []
        self.controller: Controller | None = None
        self.start()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and self.login is not None
            and (data.login.decode(), data.password.decode()) == self.login
        )
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok)

    def start(self) -> None:
        kwargs: dict[str, Any] = {}
        if self.certificate is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.certificate)
            kwargs.update(tls_context=context, require_starttls=True)
        if self.login is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    def message_ids(self) -> list[str]:
        return [str(m.message["Message-ID"]) for m in self.messages]


class SmsGateway:
    """An HTTP gateway that checks each request's signature before it counts a message."""

    def __init__(self, secret: str, *, status: int = 200, delay: float = 0.0) -> None:
        self.secret = secret
        self.status = status
        self.delay = delay
        self.accepted: list[dict[str, Any]] = []
        self.refused = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.handle(self, body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def verify(self, headers: Any, body: bytes) -> bool:
        """The operator's check (docs/security.md): signature, then the key matches the body."""
        timestamp = headers.get("X-Portal-Timestamp", "")
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, headers.get("X-Portal-Signature", "")):
            return False
        payload = json.loads(body)
        return (
            str(payload["timestamp"]) == timestamp
            and payload["idempotency_key"] == headers.get("X-Portal-Idempotency-Key")
            and abs(time.time() - int(timestamp)) < 300
        )

    def handle(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        if self.delay:
            time.sleep(self.delay)
        if not self.verify(request.headers, body):
            self.refused += 1
            status = 401
        else:
            status = self.status
            if 200 <= status < 300:
                self.accepted.append(json.loads(body))
        try:
            request.send_response(status)
            request.send_header("Content-Length", "0")
            request.end_headers()
        except OSError:
            pass  # the portal gave up waiting

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def deliver(app: Any, *, smtp: SmtpServer | None = None, gateway: SmsGateway | None = None) -> None:
    """Deliver an app's outbox once to the servers given (e-mail over plain SMTP on loopback)."""
    from portal.notices.senders import make_senders
    from portal.notices.worker import Worker

    config = {
        **app.config,
        "NOTICE_DELIVERY": "smtp_sms",
        "SMTP_PORT": smtp.port if smtp is not None else free_port(),
        "SMTP_SECURITY": "none",
        "SMTP_FROM": "noreply@ybjg.example.gov.cn",
        "SMS_GATEWAY_URL": gateway.url if gateway is not None else "https://sms.invalid/send",
        "SMS_GATEWAY_SECRET": gateway.secret if gateway is not None else "g" * 40,
    }
    Worker(app, senders=make_senders(config)).drain()
