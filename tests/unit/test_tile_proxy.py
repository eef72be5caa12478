"""The tile proxy's own rules, with a fake fetch: bounds, memory, and tile geometry."""

from __future__ import annotations

import threading
import time

import pytest

from statusmap.tiles.proxy import TileProxy
from statusmap.tiles.proxy import TileSettings
from statusmap.tiles.proxy import tile_bounds
from tests.fake_tiles import tile_at

GRAN_AREA = [(10.4, 60.3, 10.7, 60.45)]
SETTINGS = TileSettings(upstream="http://t/{layer}/{z}/{x}/{y}", layers=("grey",), max_upstream=1)


def test_tile_bounds_are_web_mercator() -> None:
    assert tile_bounds(0, 0, 0) == pytest.approx((-180.0, -85.0511, 180.0, 85.0511), abs=1e-4)
    x, y = tile_at(10.56, 60.35, 14)
    min_lon, min_lat, max_lon, max_lat = tile_bounds(14, x, y)
    assert min_lon <= 10.56 <= max_lon and min_lat <= 60.35 <= max_lat


def test_upstream_fetches_are_bounded() -> None:
    """With every upstream slot busy, a request is answered at once rather than queued."""
    release = threading.Event()

    def slow(url: str, timeout: float, agent: str) -> tuple[int, str, bytes]:
        release.wait(5)
        return 200, "image/png", b"png"

    proxy = TileProxy(SETTINGS, lambda: GRAN_AREA, fetch=slow)
    x, y = tile_at(10.56, 60.35, 14)
    first = threading.Thread(target=proxy.get, args=("grey", 14, x, y))
    first.start()
    time.sleep(0.1)
    started = time.monotonic()
    busy = proxy.get("grey", 14, x + 1, y)
    assert busy.status == 503 and busy.reason == "too many upstream fetches"
    assert time.monotonic() - started < 1.5
    release.set()
    first.join()
    assert proxy.get("grey", 14, x, y).reason == "cached"


def test_memory_is_bounded_and_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fetch(url: str, timeout: float, agent: str) -> tuple[int, str, bytes]:
        calls.append(url)
        return 200, "image/png", b"x" * 400

    settings = TileSettings(
        upstream="http://t/{layer}/{z}/{x}/{y}", layers=("grey",), cache_bytes=1000
    )
    proxy = TileProxy(settings, lambda: GRAN_AREA, fetch=fetch)
    x, y = tile_at(10.56, 60.35, 14)
    for dx in range(3):  # 1,200 bytes: the oldest tile must go
        proxy.get("grey", 14, x + dx, y)
    proxy.get("grey", 14, x + 2, y)
    assert len(calls) == 3, "the newest is still in memory"
    proxy.get("grey", 14, x, y)
    assert len(calls) == 4, "the oldest was dropped to stay under the bound"
    later = time.monotonic() + settings.cache_seconds + 1
    monkeypatch.setattr("statusmap.tiles.proxy.time.monotonic", lambda: later)
    proxy.get("grey", 14, x + 2, y)
    assert len(calls) == 5, "kept only as long as cache_seconds"
