"""E-mail notices over SMTP (smtplib): STARTTLS, implicit TLS or a plain relay on the host."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from portal.notices.outbox import OpenNotice
from portal.notices.senders import DeliveryError, delivery_id


def error_code(error: BaseException) -> str:
    """Return what may be recorded of an SMTP failure: its status or its class, no text."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return "smtp:" + ",".join(str(code) for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"smtp:{error.smtp_code}"
    return type(error).__name__


class SmtpSender:
    """Sends each notice as one plain-text UTF-8 message, reusing a connection within a batch."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = str(config["SMTP_HOST"])
        self.port = int(config["SMTP_PORT"])
        self.security = str(config["SMTP_SECURITY"])
        self.username = str(config["SMTP_USERNAME"])
        self.password = str(config["SMTP_PASSWORD"])
        self.sender = str(config["SMTP_FROM"])
        self.timeout = float(config["SMTP_TIMEOUT_SECONDS"])
        # A relay with a certificate of a private authority names that authority's file.
        self.ca_file = str(config.get("SMTP_CA_FILE") or "") or None
        self.domain = self.sender.rpartition("@")[2].strip("> ") or "localhost"
        self._smtp: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _connect(self) -> smtplib.SMTP:
        smtp: smtplib.SMTP
        if self.security == "tls":
            smtp = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self._context()
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":
                # starttls raises when the server does not offer it: never fall back to
                # sending a contact in the clear.
                smtp.starttls(context=self._context())
            if self.username:
                smtp.login(self.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def message(self, key: str, notice: OpenNotice) -> EmailMessage:
        """Return the message of a notice: From, To, Subject, a Message-ID from its key."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notice.recipient
        message["Subject"] = notice.subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = f"<{delivery_id(key)}@{self.domain}>"
        # RFC 3834: no vacation replies or bounces to this automatic message.
        message["Auto-Submitted"] = "auto-generated"
        message["Content-Language"] = "zh-CN, en"
        message.set_content(notice.body, charset="utf-8")
        return message

    def send(self, key: str, kind: str, notice: OpenNotice) -> None:
        """Send one notice; any failure drops the connection and raises DeliveryError."""
        reached = self._smtp is not None
        try:
            if self._smtp is None:
                self._smtp = self._connect()
                reached = True
            self._smtp.send_message(self.message(key, notice))
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            down = not reached or isinstance(error, smtplib.SMTPServerDisconnected)
            raise DeliveryError(error_code(error), channel_down=down) from None

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()
            smtp.close()
