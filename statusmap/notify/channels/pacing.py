"""Pacing after a provider's 429: hold every sending thread back for a moment, longer while the
refusals keep coming, so a worker settles at the provider's rate instead of spinning on refusals.

The first 429 closes the gate for 50 ms, each next one in a row for twice as long (never longer
than the provider's Retry-After, nor a second); any answer that is not a 429 resets the streak.
"""

from __future__ import annotations

import threading
import time


class RateGate:
    """Shared by the threads sending through one channel."""

    def __init__(self, first_s: float = 0.05, most_s: float = 1.0) -> None:
        self.first_s, self.most_s = first_s, most_s
        self._lock = threading.Lock()
        self._open_at = 0.0
        self._streak = 0

    def wait(self) -> None:
        """Sleep until the gate is open."""
        while (delay := self._open_at - time.monotonic()) > 0:
            time.sleep(delay)

    def refused(self, retry_after: float | None) -> None:
        """A 429: close the gate for a while."""
        with self._lock:
            self._streak += 1
            pause = min(self.first_s * 2 ** (self._streak - 1), self.most_s)
            if retry_after is not None:
                pause = min(pause, retry_after)
            self._open_at = max(self._open_at, time.monotonic() + pause)

    def passed(self) -> None:
        """Any other answer: the provider has room again."""
        self._streak = 0
