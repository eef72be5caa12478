"""A tile proxy that is not an open proxy: residents' browsers talk only to us, never upstream.

Only configured layers, a zoom range, and tiles that touch a served municipality (plus a margin)
are fetched. Upstream calls are bounded in number and time; a failure is answered at once and
remembered for a while, so a slow or dead tile server never holds up a worker. Tiles are kept in
memory only, for a short configurable time (Kartverket's terms: pass through, no long-term copy).
"""

from __future__ import annotations

import http.client
import math
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
MAX_TILE_BYTES = 2_000_000


@dataclass(frozen=True)
class TileSettings:
    """How the proxy behaves; from configuration (TILE_*)."""

    upstream: str  # URL template with {layer}, {z}, {x}, {y}
    layers: tuple[str, ...]
    min_zoom: int = 5
    max_zoom: int = 18
    timeout_s: float = 3.0  # for the whole upstream exchange
    cache_seconds: int = 3600
    cache_bytes: int = 64_000_000
    max_upstream: int = 4  # upstream fetches at once, per process
    failure_seconds: int = 30
    user_agent: str = "statusmap tile proxy"


@dataclass(frozen=True)
class TileAnswer:
    """What to send back: status, body, content type and how long browsers may keep it."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    max_age: int = 0
    reason: str = ""


Fetch = Callable[[str, float, str], tuple[int, str, bytes]]  # url, timeout, agent


def tile_bounds(z: int, x: int, y: int) -> BBox:
    """The lon/lat box of a Web Mercator (slippy map) tile."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return (x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y))


def _meets(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


class TileProxy:
    """Fetches permitted tiles from upstream, with a short memory of tiles and failures."""

    def __init__(
        self, settings: TileSettings, areas: Callable[[], list[BBox]], fetch: Fetch | None = None
    ) -> None:
        self.settings = settings
        self._areas = areas
        self._fetch = fetch or http_get
        self._slots = threading.BoundedSemaphore(settings.max_upstream)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[float, TileAnswer]] = OrderedDict()
        self._cached_bytes = 0
        self._failing_until: dict[str, float] = {}

    def get(self, layer: str, z: int, x: int, y: int) -> TileAnswer:
        """Answer a tile request: from memory, from upstream, or a refusal saying why."""
        refusal = self._refusal(layer, z, x, y)
        if refusal:
            return TileAnswer(404, refusal.encode(), reason=refusal)
        key = f"{layer}/{z}/{x}/{y}"
        now = time.monotonic()
        cached = self._cached(key, now)
        if cached is not None:
            return cached
        if self._failing_until.get(layer, 0.0) > now:
            return TileAnswer(503, b"tile source unavailable", reason="remembered failure")
        if not self._slots.acquire(timeout=min(1.0, self.settings.timeout_s)):
            return TileAnswer(503, b"tile source busy", reason="too many upstream fetches")
        try:
            answer = self._from_upstream(layer, z, x, y)
        finally:
            self._slots.release()
        if answer.status == 200 or answer.status == 404:
            self._remember(key, answer, now)
        else:
            self._failing_until[layer] = time.monotonic() + self.settings.failure_seconds
        return answer

    def _refusal(self, layer: str, z: int, x: int, y: int) -> str:
        """Why this tile is not ours to fetch, or ''."""
        s = self.settings
        if layer not in s.layers:
            return f"unknown layer {layer!r}"
        if not s.min_zoom <= z <= s.max_zoom:
            return f"zoom {z} is outside {s.min_zoom}-{s.max_zoom}"
        if not (0 <= x < 2**z and 0 <= y < 2**z):
            return "no such tile"
        box = tile_bounds(z, x, y)
        if not any(_meets(box, area) for area in self._areas()):
            return "the tile is outside every municipality served here"
        return ""

    def _from_upstream(self, layer: str, z: int, x: int, y: int) -> TileAnswer:
        s = self.settings
        url = s.upstream.format(layer=layer, z=z, x=x, y=y)
        try:
            status, content_type, body = self._fetch(url, s.timeout_s, s.user_agent)
        except (OSError, TimeoutError, ValueError) as exc:  # URLError, refused, timed out
            return TileAnswer(504, b"tile source did not answer", reason=str(exc))
        if status == 404:
            return TileAnswer(404, b"no such tile upstream", max_age=s.cache_seconds)
        if status != 200 or content_type not in IMAGE_TYPES:
            return TileAnswer(502, b"tile source failed", reason=f"{status} {content_type}")
        return TileAnswer(200, body, content_type, max_age=s.cache_seconds)

    def _cached(self, key: str, now: float) -> TileAnswer | None:
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                return None
            expires, answer = entry
            if expires <= now:
                self._drop(key)
                return None
            self._cache.move_to_end(key)
        remaining = max(0, int(expires - now))
        return TileAnswer(answer.status, answer.body, answer.content_type, remaining, "cached")

    def _remember(self, key: str, answer: TileAnswer, now: float) -> None:
        with self._lock:
            if key in self._cache:
                self._drop(key)
            self._cache[key] = (now + self.settings.cache_seconds, answer)
            self._cached_bytes += len(answer.body)
            while self._cached_bytes > self.settings.cache_bytes and self._cache:
                self._drop(next(iter(self._cache)))

    def _drop(self, key: str) -> None:
        _expires, answer = self._cache.pop(key)
        self._cached_bytes -= len(answer.body)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: the proxy fetches only the configured host."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def http_get(url: str, timeout_s: float, user_agent: str) -> tuple[int, str, bytes]:
    """GET a URL: no redirects, at most MAX_TILE_BYTES, the whole body within timeout_s.

    The socket timeout bounds the connection and each read of the headers; the body must arrive
    in full (its Content-Length) before the deadline, or the tile counts as failed.
    """
    deadline = time.monotonic() + timeout_s
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        response = _OPENER.open(request, timeout=timeout_s)
    except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
        return exc.code, exc.headers.get_content_type(), b""
    except http.client.HTTPException as exc:  # a garbled answer is a failure like any other
        raise OSError(f"bad answer from the tile source: {exc!r}") from exc
    with response:
        content_type = response.headers.get_content_type()
        declared = response.headers.get("Content-Length")
        try:
            body = _read_body(response, deadline)
        except http.client.HTTPException as exc:
            raise OSError(f"tile cut short: {exc!r}") from exc
        if declared is not None and declared.isdigit() and int(declared) != len(body):
            raise OSError(f"tile cut short: {len(body)} of {declared} bytes")
        return response.status, content_type, body


def _read_body(response: http.client.HTTPResponse, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("tile source too slow")
        if response.fp is not None and hasattr(response.fp, "raw"):
            sock = getattr(response.fp.raw, "_sock", None)  # socket.SocketIO keeps it there
            if sock is not None:
                sock.settimeout(remaining)
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_TILE_BYTES:
            raise ValueError("tile larger than allowed")
        chunks.append(chunk)
