"""Real HTTP servers (aiohttp, in a thread) speaking each provider's shape, for the channels' tests.

Each records every request (path, headers, raw body) and what it delivered, checks the fields
and the authentication the provider's docs demand (400 / 401 otherwise), and can be told what
to do with the next requests: answer a status, `hang` (deliver, then answer too late) or `drop`
(deliver, then hang up without an answer).

    with provider_server(target365_app(api_key="k")) as server:
        server.url, server.requests, server.delivered, server.plan("hang", 503)
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import uuid
from collections import deque
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from aiohttp import web

HOST = "127.0.0.1"
HANG_S = 3.0  # longer than the tests' read timeout


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Provider:
    """The state one fake shares between its handler and the test."""

    requests: list[Recorded] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    actions: deque[str | int] = field(default_factory=deque)

    def plan(self, *actions: str | int) -> None:
        """What to do with the next requests, in order: a status, "hang" or "drop"."""
        self.actions.extend(actions)


Handler = Callable[[web.Request, Provider, dict[str, Any]], Awaitable[web.StreamResponse]]


def _app(
    path: str, check: Callable[[web.Request, dict[str, Any]], int | None], deliver: Handler
) -> tuple[web.Application, Provider]:
    provider = Provider()

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        provider.requests.append(Recorded(request.path, dict(request.headers), body))
        action = provider.actions.popleft() if provider.actions else "ok"
        if isinstance(action, int):
            return web.json_response({"error": "planned"}, status=action)
        try:
            payload = json.loads(body.decode("utf-8"))
        except ValueError:
            return web.json_response({"error": "not JSON"}, status=400)
        refused = check(request, payload)
        if refused:
            return web.json_response({"error": "refused"}, status=refused)
        response = await deliver(request, provider, payload)
        if action == "hang":
            await asyncio.sleep(HANG_S)
        elif action == "drop":
            assert request.transport is not None
            request.transport.close()
        return response

    app = web.Application()
    app.router.add_post(path, handle)
    return app, provider


def _missing(payload: dict[str, Any], *names: str) -> bool:
    return not isinstance(payload, dict) or any(payload.get(name) in (None, "") for name in names)


def target365_app(api_key: str) -> tuple[web.Application, Provider]:
    """POST /api/out-messages, X-ApiKey; 201 with Location; a repeated TransactionId is 409."""

    def check(request: web.Request, payload: dict[str, Any]) -> int | None:
        if request.headers.get("X-ApiKey") != api_key:
            return 401
        return 400 if _missing(payload, "TransactionId", "Sender", "Recipient", "Content") else None

    async def deliver(
        request: web.Request, provider: Provider, payload: dict[str, Any]
    ) -> web.StreamResponse:
        transaction = payload["TransactionId"]
        if transaction in provider.seen:
            return web.json_response({"Message": "Duplicate TransactionId"}, status=409)
        provider.seen.add(transaction)
        provider.delivered.append(payload)
        location = f"{request.url.origin()}/api/out-messages/{transaction}"
        return web.Response(status=201, headers={"Location": location})

    return _app("/api/out-messages", check, deliver)


def link_mobility_app(username: str, password: str) -> tuple[web.Application, Provider]:
    """POST /sms/send with Basic auth; answers a messageId; a repeated refId is sent again."""
    expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    def check(request: web.Request, payload: dict[str, Any]) -> int | None:
        if request.headers.get("Authorization") != expected:
            return 401
        required = ("source", "destination", "userData", "platformId", "platformPartnerId")
        return 400 if _missing(payload, *required) else None

    async def deliver(
        request: web.Request, provider: Provider, payload: dict[str, Any]
    ) -> web.StreamResponse:
        provider.delivered.append(payload)
        message_id = f"link-{uuid.uuid4().hex[:12]}"
        answer = {"messageId": message_id, "resultCode": 1005, "description": "Queued"}
        return web.json_response({**answer, "refId": payload.get("refId")})

    return _app("/sms/send", check, deliver)


def voice_app(token: str) -> tuple[web.Application, Provider]:
    """POST /calls with a bearer token, the documented voice shape; a repeated id is 409."""

    def check(request: web.Request, payload: dict[str, Any]) -> int | None:
        if request.headers.get("Authorization") != f"Bearer {token}":
            return 401
        if payload.get("language") not in ("nb-NO", "nn-NO", "en-GB"):
            return 400
        return 400 if _missing(payload, "id", "to", "from", "script") else None

    async def deliver(
        request: web.Request, provider: Provider, payload: dict[str, Any]
    ) -> web.StreamResponse:
        if payload["id"] in provider.seen:
            return web.json_response({"error": "duplicate"}, status=409)
        provider.seen.add(payload["id"])
        provider.delivered.append(payload)
        return web.json_response({"id": f"call-{len(provider.delivered)}"}, status=201)

    return _app("/calls", check, deliver)


def webhook_receiver_app() -> tuple[web.Application, Provider]:
    """POST /hook: takes anything JSON (the test checks the signature it recorded)."""

    async def deliver(
        request: web.Request, provider: Provider, payload: dict[str, Any]
    ) -> web.StreamResponse:
        provider.delivered.append(payload)
        return web.Response(status=204)

    return _app("/hook", lambda request, payload: None, deliver)


@dataclass
class ProviderServer:
    url: str
    provider: Provider

    @property
    def requests(self) -> list[Recorded]:
        return self.provider.requests

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return self.provider.delivered

    def plan(self, *actions: str | int) -> None:
        self.provider.plan(*actions)


@contextmanager
def provider_server(made: tuple[web.Application, Provider]) -> Iterator[ProviderServer]:
    """Serve one fake on 127.0.0.1 (a free port) in its own thread, for the block."""
    app, provider = made
    # The loop runs in its own thread from the start, and the server is set up there: this
    # thread may already run a loop of its own (Playwright's sync API does, in browser tests).
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner = web.AppRunner(app, shutdown_timeout=0.1)

    async def serve() -> int:
        await runner.setup()
        site = web.TCPSite(runner, HOST, 0)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    port = asyncio.run_coroutine_threadsafe(serve(), loop).result(timeout=10)
    try:
        yield ProviderServer(f"http://{HOST}:{port}", provider)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
