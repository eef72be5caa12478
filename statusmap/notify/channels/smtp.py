"""E-mail over SMTP (smtplib): plain, STARTTLS or TLS, with login when configured.

What a failure means (base.py explains the three errors):

- the server cannot be reached, or answers 4xx anywhere (it says: later): TransientError;
- a 5xx answer to the sender, a recipient or the content (it says: never): PermanentError;
- the connection drops or times out after the server said 354 to DATA, i.e. while or after the
  message itself went over: it may have been taken, so UncertainError. SMTP has no idempotency
  key (the Message-ID lets a receiving system spot a repeat, nothing more): idempotent = False.

Each worker thread keeps its own connection open between messages; one that the server closed
meanwhile is opened again once, which is safe because nothing of the message had gone out.
Errors carry the reply code and enhanced status only: server texts repeat the address.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import threading
from collections.abc import Mapping
from email.headerregistry import Address
from typing import Any

from statusmap.notify import channel_settings as settings
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError
from statusmap.notify.channels.email_message import build_email

DATA_GO_AHEAD = 354
ENHANCED = re.compile(rb"^[245]\.\d{1,3}\.\d{1,3}")


class _Tracking:
    """Remembers the last reply code, to tell "before the message went" from "after"."""

    last_code = 0

    def getreply(self) -> tuple[int, bytes]:
        code, text = super().getreply()  # type: ignore[misc]
        self.last_code = code
        return code, text


class TrackingSMTP(_Tracking, smtplib.SMTP):
    pass


class TrackingSMTPSSL(_Tracking, smtplib.SMTP_SSL):
    pass


def _reply(code: int, text: bytes | str) -> str:
    """A reply as code and enhanced status, without the server's words."""
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else text
    enhanced = ENHANCED.match(raw or b"")
    return f"{code} {enhanced.group(0).decode()}" if enhanced else str(code)


class _Refused(Exception):
    """An SMTP refusal with its code (the server still talks to us)."""

    def __init__(self, step: str, code: int, text: bytes | str) -> None:
        super().__init__(f"smtp: {step} refused: {_reply(code, text)}")
        self.code = code


class SmtpChannel:
    """Sends e-mail through one SMTP server."""

    name = "email"
    provider = "smtp"
    idempotent = False

    def __init__(
        self,
        *,
        host: str,
        port: int,
        security: str,
        sender: Address,
        username: str = "",
        password: str = "",
        timeout_s: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.security = host, port, security
        self.sender = sender
        self.username, self.password = username, password
        self.timeout_s = timeout_s
        self.tls_context = tls_context or ssl.create_default_context()
        self._local = threading.local()
        self._open: set[smtplib.SMTP] = set()
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> Accepted:
        try:
            email = build_email(message, self.sender)
            content = email.as_bytes()
        except (ValueError, TypeError) as exc:  # e.g. a line break in an address or subject
            raise PermanentError("smtp: the message cannot be written as e-mail") from exc
        for reused in (True, False):
            connection, was_open = self._connection(fresh=not reused)
            try:
                self._transmit(connection, message.recipient, content)
            except _Refused as refused:
                self._reset(connection)
                error = PermanentError if refused.code >= 500 else TransientError
                raise error(str(refused)) from refused
            except (smtplib.SMTPException, OSError) as exc:
                self._drop(connection)
                if getattr(connection, "last_code", 0) == DATA_GO_AHEAD:
                    raise UncertainError(f"smtp: connection lost after DATA ({exc!r:.80})") from exc
                if was_open and reused:
                    continue  # the server had closed our idle connection: nothing went out
                raise TransientError(f"smtp: {type(exc).__name__}") from exc
            return Accepted(provider_ref=str(email["Message-ID"]).strip("<>")[:100])
        raise AssertionError("unreachable")  # pragma: no cover

    def _transmit(self, connection: smtplib.SMTP, recipient: str, content: bytes) -> None:
        connection.last_code = 0  # type: ignore[attr-defined]
        options = ["SMTPUTF8"] if not recipient.isascii() else []
        if options and not connection.has_extn("smtputf8"):
            raise _Refused("recipient (no SMTPUTF8)", 553, b"")
        code, text = connection.mail(self.sender.addr_spec, options)
        if code != 250:
            raise _Refused("sender", code, text)
        code, text = connection.rcpt(recipient)
        if code not in (250, 251):
            raise _Refused("recipient", code, text)
        try:
            code, text = connection.data(content)
        except smtplib.SMTPDataError as exc:  # DATA itself refused: the message never went
            raise _Refused("message", exc.smtp_code, exc.smtp_error) from exc
        if code != 250:
            raise _Refused("message", code, text)

    def _connection(self, *, fresh: bool) -> tuple[smtplib.SMTP, bool]:
        """This thread's connection (opened if needed), and whether it was open already."""
        connection: smtplib.SMTP | None = getattr(self._local, "connection", None)
        if connection is not None and not fresh:
            return connection, True
        if connection is not None:
            self._drop(connection)
        try:
            connection = self._open_connection()
        except smtplib.SMTPResponseException as exc:
            raise TransientError(f"smtp: {_reply(exc.smtp_code, exc.smtp_error)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientError(f"smtp: could not connect ({type(exc).__name__})") from exc
        self._local.connection = connection
        with self._lock:
            self._open.add(connection)
        return connection, False

    def _open_connection(self) -> smtplib.SMTP:
        connection: smtplib.SMTP
        if self.security == "tls":
            connection = TrackingSMTPSSL(
                self.host, self.port, timeout=self.timeout_s, context=self.tls_context
            )
        else:
            connection = TrackingSMTP(self.host, self.port, timeout=self.timeout_s)
        try:
            connection.ehlo()
            if self.security == "starttls":
                connection.starttls(context=self.tls_context)
                connection.ehlo()
            if self.username:
                connection.login(self.username, self.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def _reset(self, connection: smtplib.SMTP) -> None:
        """After a refusal the session goes on: forget the refused envelope."""
        try:
            connection.rset()
        except (smtplib.SMTPException, OSError):
            self._drop(connection)

    def _drop(self, connection: smtplib.SMTP) -> None:
        connection.close()
        with self._lock:
            self._open.discard(connection)
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None

    def close(self) -> None:
        """Say goodbye on every connection any thread opened."""
        with self._lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()


def from_config(config: Mapping[str, Any]) -> SmtpChannel:
    """The channel from STATUSMAP_SMTP_* and STATUSMAP_MAIL_FROM (ChannelConfigError)."""
    settings.require(config, "smtp")
    return SmtpChannel(
        host=settings.text(config, "SMTP_HOST"),
        port=settings.smtp_port(config),
        security=settings.smtp_security(config),
        sender=settings.mail_from(config),
        username=settings.text(config, "SMTP_USERNAME"),
        password=settings.text(config, "SMTP_PASSWORD"),
        timeout_s=float(config.get("SMTP_TIMEOUT_S") or 30),
    )
