"""Many open pages polling one URL: each page a keep-alive connection asking every `interval`
seconds (with jitter), for a bounded time, timed from the client's side (asyncio, no library)."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

from benchmarks.surge_wrk import BROWSER_HEADERS

REQUEST_TIMEOUT_S = 10.0


@dataclass
class PollResult:
    """What the pages saw: requests, answers by status, failures and latencies (ms)."""

    pages: int
    seconds: float
    interval_s: float
    statuses: dict[int, int] = field(default_factory=dict)
    failures: int = 0  # no answer: refused, reset or timed out
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.failures

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _request(host: str, path: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
    lines += [f"{name}: {value}" for name, value in BROWSER_HEADERS.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 answer whole; its status and whether the connection stays open."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


class _Page:
    """One open page: one connection, re-opened only when the server closes it."""

    def __init__(self, url: str, result: PollResult) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.request = _request(
            parts.netloc, parts.path + (f"?{parts.query}" if parts.query else "")
        )
        self.result = result
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def poll_once(self) -> None:
        start = time.perf_counter()
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                if self.streams is None:
                    self.streams = await asyncio.open_connection(self.host, self.port)
                reader, writer = self.streams
                writer.write(self.request)
                await writer.drain()
                status, keep = await _read_answer(reader)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.result.failures += 1
            self.close()
            return
        self.result.latencies_ms.append((time.perf_counter() - start) * 1000)
        self.result.statuses[status] = self.result.statuses.get(status, 0) + 1
        if not keep:
            self.close()

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None

    async def run(self, interval: float, jitter: float, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        next_at = loop.time() + random.uniform(0, interval)  # pages were opened at random times
        while next_at < deadline:
            await asyncio.sleep(max(0.0, next_at - loop.time()))
            await self.poll_once()
            next_at += interval * random.uniform(1 - jitter, 1 + jitter)
        self.close()


async def _poll(url: str, pages: int, interval: float, seconds: float, jitter: float) -> PollResult:
    result = PollResult(pages, seconds, interval)
    deadline = asyncio.get_running_loop().time() + seconds
    await asyncio.gather(
        *(_Page(url, result).run(interval, jitter, deadline) for _ in range(pages))
    )
    return result


def poll(
    url: str, *, pages: int, interval: float, seconds: float, jitter: float = 0.2
) -> PollResult:
    """Simulate `pages` open pages polling url every `interval` s (±jitter) for `seconds`."""
    return asyncio.run(_poll(url, pages, interval, seconds, jitter))
