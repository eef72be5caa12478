"""A real SMTP server for tests (aiosmtpd in a thread): plain, STARTTLS or TLS, with AUTH, and
with the faults a real server has: a refused recipient, a "try later", a drop after DATA.

    with smtp_server(mode="starttls", users={"varsel": "hemmelig"}) as server:
        ... server.port, server.tls_client_context(), server.received ...
"""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from aiosmtpd.smtp import LoginPassword

HOST = "127.0.0.1"


@dataclass
class Received:
    """One message as the server took it: envelope and the parsed content."""

    sender: str
    recipients: list[str]
    raw: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Behaviour:
    """What the server does: refuse some recipients, defer, or drop after DATA."""

    refuse: set[str] = field(default_factory=set)  # answered 550 5.1.1 to RCPT
    defer: set[str] = field(default_factory=set)  # answered 451 4.3.0 to RCPT
    drop_after_data: bool = False  # take the content, then hang up without an answer
    hang_after_data_s: float = 0  # take the content, then answer this much later
    hang_up_after_reply: bool = False  # answer, then close the connection (an idle timeout)


class RecordingHandler:
    def __init__(self, behaviour: Behaviour, users: dict[str, str]) -> None:
        self.behaviour = behaviour
        self.users = users
        self.received: list[Received] = []
        self.connections = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if not getattr(session, "counted", False):
            session.counted = True
            self.connections += 1
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.behaviour.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in self.behaviour.defer:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        login = session.auth_data.login.decode() if session.auth_data else None
        raw = envelope.original_content or envelope.content
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), raw, login))
        if self.behaviour.drop_after_data:
            server.transport.close()
        if self.behaviour.hang_after_data_s:
            await asyncio.sleep(self.behaviour.hang_after_data_s)
        if self.behaviour.hang_up_after_reply:
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
        return "250 2.0.0 Ok: queued"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if self.users.get(login) == password:
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


class ClosingController(Controller):
    """A controller that hangs up every connection it took before it stops (no stray sockets)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.transports: list[asyncio.BaseTransport] = []

    def factory(self) -> Any:
        server = super().factory()
        made = server.connection_made

        def connection_made(transport: asyncio.BaseTransport) -> None:
            self.transports.append(transport)
            made(transport)

        server.connection_made = connection_made
        return server

    async def hang_up(self) -> None:
        for transport in self.transports:
            transport.close()
        await asyncio.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by the openssl command."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclass
class SmtpServer:
    port: int
    handler: RecordingHandler
    cert: Path | None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def tls_client_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate (and checks the name)."""
        assert self.cert is not None
        return ssl.create_default_context(cafile=str(self.cert))


@contextmanager
def smtp_server(
    *,
    mode: str = "none",
    users: dict[str, str] | None = None,
    behaviour: Behaviour | None = None,
    tmp: Path | None = None,
) -> Iterator[SmtpServer]:
    """A running server (mode none, starttls or tls); AUTH required when `users` are given."""
    handler = RecordingHandler(behaviour or Behaviour(), users or {})
    options: dict[str, Any] = {}
    cert = None
    if mode != "none":
        assert tmp is not None, "TLS needs a directory for the certificate"
        cert, key = self_signed(tmp)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        options["ssl_context" if mode == "tls" else "tls_context"] = context
        options["require_starttls"] = mode == "starttls"
    if users:
        options.update(authenticator=handler.authenticate, auth_required=True)
        options["auth_require_tls"] = mode != "none"
    port = free_port()
    controller = ClosingController(handler, hostname=HOST, port=port, **options)
    controller.start()
    try:
        yield SmtpServer(port, handler, cert)
    finally:
        asyncio.run_coroutine_threadsafe(controller.hang_up(), controller.loop).result(timeout=10)
        controller.stop()
