"""Rate-limit counts in the worker's memory, swept in passing instead of by a timer thread.

limits' own memory:// storage starts a timer thread 10 ms after any count changes, and that
thread walks every key it holds (one per client seen today, as the report limit counts a day).
Under a surge of reports that is a new thread about every 10 ms in each worker, each start
waiting until the OS runs it, and a walk of thousands of keys a hundred times a second.

Counts are read with their expiry already (an expired count reads as zero), so the walk only
frees memory: here it runs in the request that finds the last one SWEEP_S ago. Everything
else is limits' MemoryStorage. The scheme is `memory+swept://`; `memory://` still works.
"""

from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SWEEP_S = 5.0


class SweptMemoryStorage(MemoryStorage):
    """limits' MemoryStorage without its timer thread: expired counts freed every SWEEP_S."""

    STORAGE_SCHEME = ["memory+swept"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_S

    # limits calls its private __schedule_expiry on every change: this is that method.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_S
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweep_lock.release()
