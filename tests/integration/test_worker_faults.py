"""Exactly once, under faults: an incident is published over 10,000 subscribers (PostGIS; 1,000
on SQLite) and 100 outside it; three `statusmap worker --until-idle` processes race to expand its
event and deliver the messages through a gateway that fails 20 % of requests with 500 and times
out on 5 % after accepting; one worker is killed (SIGKILL) while it holds claims. Afterwards
every recipient has exactly one delivery, nobody else has any, and every message is recorded as
sent.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from pathlib import Path

from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from tests.fakes.gateway import Behaviour
from tests.fakes.gateway import RunningGateway
from tests.fakes.gateway import running_gateway
from tests.fakes.outbox_seed import Seeded
from tests.fakes.outbox_seed import seed_outbox
from tests.fakes.workers import claimed_by
from tests.fakes.workers import start_worker
from tests.fakes.workers import statuses
from tests.fakes.workers import worker_env
from tests.integration.test_scheduler_concurrency import database  # noqa: F401  (a fixture)

FAULTS = Behaviour(fail_ratio=0.20, hang_ratio=0.05, hang_s=1.5, seed=11)
SETTINGS = {
    "SMS_TIMEOUT_S": 0.5,  # the hung 5 % time out after the gateway took them
    "WORKER_CONCURRENCY": 16,  # the hung requests hold a thread each until the timeout
    "WORKER_LEASE_S": 5,  # the killed worker's claims come back after this
    "WORKER_MAX_ATTEMPTS": 40,  # 0.25 ** 40: no message runs out of attempts by bad luck
    "WORKER_BACKOFF_S": 0.1,
    "WORKER_BACKOFF_MAX_S": 1.0,
    "WORKER_POLL_S": 0.2,
}


def _seeded(url: str, inside: int) -> Seeded:
    engine = make_engine(url)
    with Session(engine) as session:
        seeded = seed_outbox(session, inside=inside, outside=100, expand=False)
        session.commit()
    engine.dispose()
    return seeded


def _started(logs: list[Path]) -> bool:
    """Whether every worker has loaded the app and begun (its first line)."""
    return all(log.exists() and "sends at a time" in log.read_text() for log in logs)


def _kill_mid_batch(
    url: str, gateway: RunningGateway, victim: subprocess.Popen, after: int, logs: list[Path]
) -> int:
    """SIGKILL `victim` once every worker has begun, `after` messages were delivered and it
    holds claims; how many. (On a loaded machine one worker can take seconds longer to load
    than the others: killing before it begins would leave one worker to do all the rest.)"""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        held = claimed_by(url, victim.pid)
        if gateway.delivered_count() >= after and held and _started(logs):
            victim.kill()
            victim.wait(10)
            return held
        time.sleep(0.05)
    raise AssertionError(f"the worker never held claims to be killed with (exit {victim.poll()})")


def _race(url: str, inside: int, tmp_path: Path) -> None:
    seeded = _seeded(url, inside)
    logs = [tmp_path / f"worker-{n}.log" for n in range(3)]
    with running_gateway(FAULTS) as gateway:
        env = worker_env(url, gateway, **SETTINGS)
        workers = [start_worker(env, log, "--until-idle", "--max-wait", "60") for log in logs]
        try:
            held = _kill_mid_batch(url, gateway, workers[0], inside // 5, logs)
        except AssertionError:
            print("LOG0", logs[0].read_text()[-4000:])
            raise
        for worker, log in zip(workers[1:], logs[1:], strict=True):
            assert worker.wait(300) == 0, log.read_text()[-3000:]
        delivered, answers = gateway.deliveries(), gateway.stats()
    survivors = [log.read_text() for log in logs[1:]]

    assert held > 0, "killed while it held claims"
    assert Counter(d.to for d in delivered) == Counter(seeded.inside), "each exactly once"
    assert not {d.to for d in delivered} & set(seeded.outside), "nobody outside"
    assert statuses(url) == {"sent": inside}, "every message recorded as sent, none stuck"
    assert claimed_by(url, workers[0].pid) == 0
    assert answers["500"] > inside // 10 and answers["hung"] > inside // 40
    assert answers["409"] > 0, "repeats after timeouts were dropped by the gateway"
    assert any("recovered" in text for text in survivors), "the dead worker's claims came back"
    tails = "\n---\n".join(text[-1500:] for text in survivors)
    assert all("sent " in text for text in survivors), f"both survivors sent a share:\n{tails}"


def test_three_racing_workers_one_killed_deliver_each_message_exactly_once(
    database: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    inside = 10_000 if database.startswith("postgresql") else 1_000
    _race(database, inside, tmp_path)
