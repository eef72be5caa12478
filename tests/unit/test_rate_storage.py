"""memory+swept://: limits' counts in memory, expired ones freed in passing, no timer threads."""

from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from statusmap.rate_storage import SweptMemoryStorage


def test_the_scheme_gives_the_swept_storage_and_it_limits_as_memory_does() -> None:
    storage = storage_from_string("memory+swept://")
    assert isinstance(storage, SweptMemoryStorage)
    limiter = FixedWindowRateLimiter(storage)
    three = parse("3/minute")
    assert [limiter.hit(three, "client-a") for _ in range(5)] == [True] * 3 + [False] * 2
    assert limiter.hit(three, "client-b"), "another key has its own count"


def test_counting_many_clients_starts_no_thread() -> None:
    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    time.sleep(0.05)  # the one timer MemoryStorage.__init__ starts has run and ended
    before = {t.ident for t in threading.enumerate()}
    for n in range(2000):
        limiter.hit(parse("5/minute"), f"client-{n}")
    started = {t.ident for t in threading.enumerate()} - before
    assert started == set()


def test_expired_counts_are_freed_at_the_next_sweep() -> None:
    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    limiter.hit(parse("5/second"), "gone-soon")
    limiter.hit(parse("5/hour"), "stays")
    time.sleep(1.1)
    storage._next_sweep = 0.0  # as if SWEEP_S had passed
    limiter.hit(parse("5/hour"), "another")
    assert any("stays" in k for k in storage.storage)
    assert any("another" in k for k in storage.storage)
    assert not any("gone-soon" in k for k in storage.storage)
