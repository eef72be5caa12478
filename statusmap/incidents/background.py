"""The in-process scheduler: a daemon thread in each web worker that runs the scheduler's tick.

Every gunicorn worker runs one; they need not agree on anything, since each transition is applied
by exactly one runner (scheduler.py). Each tick uses a session of its own, never a request's.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from statusmap.incidents.scheduler import Transition
from statusmap.incidents.scheduler import tick
from statusmap.models.base import utcnow

log = logging.getLogger("statusmap.scheduler")


class BackgroundScheduler:
    """Ticks every interval_s seconds until stopped; a failed tick is logged and tried again."""

    def __init__(self, engine: Engine, interval_s: float) -> None:
        self.interval_s = interval_s
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="statusmap-scheduler", daemon=True)

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread.is_alive()

    def start(self) -> BackgroundScheduler:
        """Start the thread; it first ticks after one interval (a release may be migrating)."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop and wait for it (a tick under way is finished first)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def tick_once(self) -> list[Transition]:
        """Run one tick, logging what it did, or why it failed."""
        try:
            with self._sessions() as session:
                done = tick(session, utcnow())
        except Exception:  # the thread must outlive a database that is briefly away
            log.exception("Scheduler tick failed; trying again in %s s.", self.interval_s)
            return []
        for transition in done:
            log.info(
                "Scheduler: %s incident %s (%s), version %s.",
                "activated" if transition.action == "activate" else "resolved",
                transition.incident_id,
                transition.title,
                transition.version,
            )
        return done

    def _run(self) -> None:
        while not self._stopping.wait(self.interval_s):
            self.tick_once()
