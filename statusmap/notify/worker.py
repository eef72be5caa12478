"""The delivery worker: expand events, claim due messages, send them in parallel, record each.

One thread talks to the database; a pool of WORKER_CONCURRENCY threads only calls channels, so
one worker keeps that many provider requests in flight. Each cycle is one transaction that
records the outcomes that came back and claims as many messages as there is room for, and is
committed before anything claimed is sent. `stop()` (SIGTERM) lets the sends in flight finish,
records them, gives back what was claimed but not started, and returns.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from statusmap.engine import begin_writing
from statusmap.models.base import utcnow
from statusmap.notify import outbox
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Channel
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.delivery_settings import WorkerSettings
from statusmap.notify.expand import expand_pending
from statusmap.notify.sending import Lookups
from statusmap.notify.sending import outgoing_for
from statusmap.reports.follow_up import send_follow_ups

log = logging.getLogger("statusmap.worker")
GATHER_S = 0.01  # after the first send returns, wait this long for more, to record together
BUSY_CHORES_S = 1.0  # while sending, expand events and recover claims at most this often


def worker_id() -> str:
    """A name for this worker that no other has: host, process and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class Tally:
    """What one run did, by outcome (sent, queued again, failed, uncertain, lost claims)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n


def _send(channel: Channel, message: Outgoing) -> Accepted | BaseException:
    try:
        return channel.send(message)
    except Exception as exc:  # every failure is an outcome to record, never the worker's end
        return exc


class Worker:
    """Delivers the outbox through `channels` (by message kind) until stopped or idle."""

    def __init__(
        self,
        engine: Engine,
        channels: Mapping[str, Channel],
        settings: WorkerSettings,
        base_url: str,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine, self.channels, self.settings = engine, channels, settings
        self.base_url, self.clock, self.name = base_url, clock, worker_id()
        self.policy = outbox.RetryPolicy(
            settings.max_attempts, settings.backoff_s, settings.backoff_max_s
        )
        self.idempotent = tuple(kind for kind, c in channels.items() if c.idempotent)
        self.tally = Tally()
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="send")
        self._flight: dict[Future[Accepted | BaseException], Outgoing] = {}
        self._attempts: dict[int, int] = {}
        self._session = Session(engine, expire_on_commit=False)
        self._last_chores = 0.0
        self._lookups = Lookups()

    def stop(self) -> None:
        """Finish the sends in flight, record them, and return from run() (safe from signals)."""
        self._stopping.set()

    def run(self, until_idle: bool = False, max_wait_s: float = 300.0) -> bool:
        """Work until stopped; with until_idle, until nothing is left (False: gave up waiting)."""
        idle_since: float | None = None
        try:
            while not self._stopping.is_set():
                self._chores(force=not self._flight)
                done = self._gather()
                self._cycle(done)
                if self._flight:
                    idle_since = None
                    continue
                left = self._backlog()
                if until_idle and left.open == 0:
                    return True
                idle_since = idle_since or time.monotonic()
                if until_idle and time.monotonic() - idle_since > max_wait_s:
                    log.warning("giving up: %d messages still open", left.open)
                    return False
                self._stopping.wait(self._pause(left))
            return True
        finally:
            self._finish()

    def _pause(self, left: outbox.Backlog) -> float:
        """How long to sleep when there is nothing to do: until the next due message, or poll."""
        if left.due:
            return 0.0
        if left.next_due_at is not None:
            until = (left.next_due_at - self.clock()).total_seconds()
            return max(0.0, min(self.settings.poll_s, until))
        return self.settings.poll_s

    def _chores(self, force: bool) -> None:
        """Expand pending events, queue the follow-ups to reporters of resolved incidents, and
        recover expired claims: when idle, else once a second."""
        every = max(self.settings.poll_s, BUSY_CHORES_S)
        if not force and time.monotonic() - self._last_chores < every:
            return
        self._last_chores = time.monotonic()
        while expand_pending(self._session, limit=10, base_url=self.base_url):
            pass
        self._session.commit()
        self._write(self._follow_ups)
        self._write(self._recover)

    def _follow_ups(self, session: Session) -> None:
        told = send_follow_ups(session, base_url=self.base_url)
        if told:
            self.tally.add("follow_ups", told)

    def _recover(self, session: Session) -> None:
        again, unsure = outbox.recover_expired(session, self.idempotent, self.policy, self.clock())
        if again or unsure:
            log.info("recovered %d expired claims (%d queued again, %d uncertain)",
                     again + unsure, again, unsure)  # fmt: skip
            self.tally.add("recovered", again + unsure)

    def _write(self, work: Callable[[Session], None]) -> None:
        """One writing transaction (BEGIN IMMEDIATE on SQLite), committed."""
        begin_writing(self._session)
        try:
            work(self._session)
            self._session.commit()
        except BaseException:
            self._session.rollback()
            raise

    def _gather(self) -> list[Future[Accepted | BaseException]]:
        """The sends that returned: wait for the first (up to a poll), then briefly for more."""
        if not self._flight:
            return []
        first, _ = wait(self._flight, timeout=self.settings.poll_s, return_when=FIRST_COMPLETED)
        if first and len(first) < self.settings.concurrency // 2:
            time.sleep(GATHER_S)
        return [future for future in self._flight if future.done()]

    def _cycle(self, done: list[Future[Accepted | BaseException]]) -> None:
        """Record what returned and claim what there is room for, in one transaction."""
        room = self.settings.batch_size - len(self._flight) + len(done)
        claim = room >= max(1, self.settings.batch_size // 2) and not self._stopping.is_set()
        if not done and not claim:
            return
        claimed: list[Outgoing] = []

        def work(session: Session) -> None:
            self._record(session, done)
            if claim:
                claimed.extend(self._claim(session, room))

        self._write(work)
        for future in done:
            del self._flight[future]
        for message in claimed:
            channel = self.channels[message.channel]
            self._flight[self._pool.submit(_send, channel, message)] = message

    def _claim(self, session: Session, room: int) -> list[Outgoing]:
        now = self.clock()
        rows = outbox.claim_due(session, self.name, room, self.settings.lease_s, now)
        rows = [row for row in rows if self._known(session, row.id, row.channel, now)]
        for row in rows:
            self._attempts[row.id] = row.attempts
        return outgoing_for(session, rows, self.base_url, self._lookups)

    def _known(self, session: Session, message_id: int, channel: str, now: datetime) -> bool:
        """A message of a kind no channel sends fails at once (it never could go out)."""
        if channel in self.channels:
            return True
        values = {"status": "failed", "last_error": f"no channel for {channel!r} messages"}
        outbox.record_outcome(session, message_id, self.name, values, now)
        self.tally.add("failed")
        return False

    def _record(self, session: Session, done: list[Future[Accepted | BaseException]]) -> None:
        """Write the outcomes: all acceptances in one statement, each other outcome in its own."""
        now, sent = self.clock(), {}
        for future in done:
            message, outcome = self._flight[future], future.result()
            attempts = self._attempts.pop(message.message_id)
            idempotent = self.channels[message.channel].idempotent
            values = outbox.outcome_values(outcome, attempts, idempotent, self.policy, now)
            if values["status"] == "sent":
                sent[message.message_id] = values
            elif outbox.record_outcome(session, message.message_id, self.name, values, now):
                self.tally.add(str(values["status"]))
            else:
                self.tally.add("lost claim")  # recovered and claimed by another worker meanwhile
        written = len(outbox.record_sent(session, sent, self.name, now))
        self.tally.add("sent", written)
        self.tally.add("lost claim", len(sent) - written)

    def _backlog(self) -> outbox.Backlog:
        left = outbox.backlog(self._session, self.clock())
        self._session.commit()
        return left

    def _finish(self) -> None:
        """Let started sends finish, record them, give back the rest, and close."""
        not_started = [f for f in self._flight if f.cancel()]
        wait(self._flight)
        started = [f for f in self._flight if not f.cancelled()]
        ids = [self._flight[f].message_id for f in not_started]

        def work(session: Session) -> None:
            self._record(session, started)
            if outbox.release(session, ids, self.name):
                self.tally.add("released", len(ids))

        self._write(work)
        self._flight.clear()
        self._pool.shutdown()
        self._session.close()
