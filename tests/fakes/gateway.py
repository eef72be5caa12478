"""A fake SMS/voice gateway speaking the generic JSON shape (notify/channels/generic_json.py).

A real aiohttp HTTP server on localhost, run in a thread (`running_gateway`) or in a process of
its own (`gateway_process`, for benchmarks, so it does not share the caller's GIL):

- per-request latency (`latency_s`) and a fixed rate limit (`rate_per_s`, a token bucket of
  `burst`): beyond it 429 with Retry-After, before anything else;
- fault injection: `fail_ratio` of admitted requests get 500 before accepting; `hang_ratio`
  are accepted (recorded) and then answered only after `hang_s`, past the client's timeout;
- idempotency by id: a repeat of an accepted id gets 409 {"error": "duplicate", "id": ...} and
  is not delivered again;
- a record of what it delivered: GET /_deliveries -> [{"id", "to", "text", "at"}], and what it
  answered: GET /_stats -> {"200": n, "409": n, "429": n, "500": n, "hung": n}; GET /_hung ->
  the recipients it hung on; GET /_count -> how many it delivered.

    python -m tests.fakes.gateway --latency 0.04 --rate 400   (prints its URL, serves until killed)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Behaviour:
    """How the gateway answers."""

    latency_s: float = 0.0
    rate_per_s: float = 0.0  # 0: no limit
    burst: float = 0.0  # tokens the bucket holds (0: a twentieth of a second's worth, >= 1)
    fail_ratio: float = 0.0
    hang_ratio: float = 0.0
    hang_s: float = 5.0
    token: str = "secret-token"
    seed: int = 7


@dataclass(frozen=True)
class Delivery:
    id: str
    to: str
    text: str
    at: float  # time.time() when it was accepted


class _Bucket:
    """A token bucket: `rate` per second, at most `size` at once."""

    def __init__(self, rate: float, size: float) -> None:
        self.rate, self.size = rate, max(size or rate / 20, 1.0)
        self.tokens, self.at = self.size, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.size, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class FakeGateway:
    """The gateway's state and its aiohttp application."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.random = random.Random(behaviour.seed)
        limited = behaviour.rate_per_s > 0
        self.bucket = _Bucket(behaviour.rate_per_s, behaviour.burst) if limited else None
        self.accepted: dict[str, Delivery] = {}
        self.answers: Counter[str] = Counter()
        self.hung: list[str] = []  # recipients of the sends it answered only after hang_s

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/send", self.send)
        app.router.add_get("/_deliveries", self.deliveries_view)
        app.router.add_get("/_stats", self.stats_view)
        app.router.add_get("/_hung", self.hung_view)
        app.router.add_get("/_count", self.count_view)
        return app

    def _answer(self, status: int, body: dict[str, Any], **headers: str) -> web.Response:
        self.answers[str(status)] += 1
        return web.json_response(body, status=status, headers=headers)

    async def send(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.behaviour.token}":
            return self._answer(401, {"error": "unauthorised"})
        if self.bucket is not None and not self.bucket.take():
            return self._answer(429, {"error": "rate limited"}, **{"Retry-After": "1"})
        try:
            data = await request.json()
            key, to, text = str(data["id"]), str(data["to"]), str(data["text"])
        except (ValueError, KeyError, TypeError):
            return self._answer(400, {"error": "bad request"})
        if self.behaviour.latency_s:
            await asyncio.sleep(self.behaviour.latency_s)
        if self.random.random() < self.behaviour.fail_ratio:
            return self._answer(500, {"error": "internal"})
        if key in self.accepted:
            return self._answer(409, {"error": "duplicate", "id": key})
        self.accepted[key] = Delivery(key, to, text, time.time())
        if self.random.random() < self.behaviour.hang_ratio:
            self.answers["hung"] += 1
            self.hung.append(to)
            await asyncio.sleep(self.behaviour.hang_s)  # the client gave up long ago
        return self._answer(200, {"id": key, "ref": f"gw-{len(self.accepted)}"})

    async def deliveries_view(self, _request: web.Request) -> web.Response:
        return web.json_response([asdict(d) for d in list(self.accepted.values())])

    async def count_view(self, _request: web.Request) -> web.Response:
        return web.json_response(len(self.accepted))

    async def stats_view(self, _request: web.Request) -> web.Response:
        return web.json_response(dict(self.answers))

    async def hung_view(self, _request: web.Request) -> web.Response:
        return web.json_response(list(self.hung))


class RunningGateway:
    """A started gateway: its send URL, its token, and what it delivered."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.url, self.token = base, f"{base}/send", token

    def deliveries(self) -> list[Delivery]:
        answer = httpx.get(f"{self.base}/_deliveries", timeout=60)
        return [Delivery(**row) for row in answer.json()]

    def delivered_count(self) -> int:
        return int(httpx.get(f"{self.base}/_count", timeout=10).json())

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.base}/_stats", timeout=10).json())

    def hung(self) -> list[str]:
        """The recipients of the sends it answered only after `hang_s`."""
        return [str(to) for to in httpx.get(f"{self.base}/_hung", timeout=10).json()]


async def _serve(gateway: FakeGateway, port: int) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(gateway.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    server = site._server
    assert server is not None
    return runner, int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]


@contextmanager
def running_gateway(behaviour: Behaviour | None = None) -> Iterator[RunningGateway]:
    """The gateway served from a thread of this process, for as long as the block runs."""
    gateway = FakeGateway(behaviour or Behaviour())
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner, port = asyncio.run_coroutine_threadsafe(_serve(gateway, 0), loop).result(10)
    try:
        yield RunningGateway(f"http://127.0.0.1:{port}", gateway.behaviour.token)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@contextmanager
def gateway_process(behaviour: Behaviour | None = None) -> Iterator[RunningGateway]:
    """The gateway served by a process of its own, for as long as the block runs."""
    chosen = behaviour or Behaviour()
    fields = json.dumps(asdict(chosen))
    command = [sys.executable, "-m", "tests.fakes.gateway", "--behaviour", fields]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        if not base.startswith("http://"):
            raise RuntimeError(f"the fake gateway did not start: {base!r}")
        yield RunningGateway(base, chosen.token)
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake generic JSON SMS gateway.")
    parser.add_argument("--behaviour", default="{}", help="Behaviour's fields as JSON")
    parser.add_argument("--latency", type=float)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    fields = json.loads(args.behaviour)
    if args.latency is not None:
        fields["latency_s"] = args.latency
    if args.rate is not None:
        fields["rate_per_s"] = args.rate
    gateway = FakeGateway(Behaviour(**fields))
    loop = asyncio.new_event_loop()
    _runner, port = loop.run_until_complete(_serve(gateway, args.port))
    print(f"http://127.0.0.1:{port}", flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
