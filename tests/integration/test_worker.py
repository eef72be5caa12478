"""The worker on a database of its own (SQLite and PostGIS) and a real fake gateway: it sends
every due message once, vulnerable subscribers first, gives up after its attempts, drains with
`statusmap worker --until-idle`, and on SIGTERM finishes what is in flight and gives back the rest.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from statusmap.models import OutboxMessage
from statusmap.notify.channels.generic_json import GenericJsonChannel
from statusmap.notify.channels.log import LogChannel
from statusmap.notify.delivery_settings import WorkerSettings
from statusmap.notify.worker import Worker
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

FAST = WorkerSettings(concurrency=8, batch_size=16, lease_s=30, max_attempts=8, backoff_s=0.05,
                      backoff_max_s=0.2, poll_s=0.1)  # fmt: skip


def _seeded(url: str, inside: int, outside: int = 20) -> Seeded:
    engine = make_engine(url)
    with Session(engine) as session:
        seeded = seed_outbox(session, inside=inside, outside=outside)
        session.commit()
    engine.dispose()
    return seeded


def _drain(
    url: str, gateway: RunningGateway, settings: WorkerSettings = FAST, idempotent: bool = True
) -> Worker:
    engine = make_engine(url)
    channel = GenericJsonChannel("sms", gateway.url, gateway.token, 0.5)
    channel.idempotent = idempotent  # as a provider without idempotency keys would be
    worker = Worker(engine, {"sms": channel, "log": LogChannel()}, settings, "https://x.example")
    try:
        assert worker.run(until_idle=True, max_wait_s=30)
    finally:
        channel.close()
        engine.dispose()
    return worker


def _rows(url: str) -> list[OutboxMessage]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    engine.dispose()
    return rows


def test_every_message_is_delivered_once_vulnerable_first(database: str) -> None:  # noqa: F811
    seeded = _seeded(database, inside=200)
    with running_gateway(Behaviour(latency_s=0.01)) as gateway:
        _drain(database, gateway)
        delivered = gateway.deliveries()
    assert Counter(d.to for d in delivered) == Counter(seeded.inside)
    in_order = [d.to for d in sorted(delivered, key=lambda d: d.at)]
    vulnerable = set(seeded.inside[::10])
    assert set(in_order[:16]) <= vulnerable, "the first claim takes vulnerable subscribers only"
    assert vulnerable <= set(in_order[:32]), "and the next one the rest of them first"
    rows = _rows(database)
    assert {row.status for row in rows} == {"sent"}
    assert all(row.sent_at and row.provider_ref and row.lease_until is None for row in rows)
    assert all("Avmeld: https://x.example/av/" in d.text for d in delivered)  # their own link


def test_failures_and_timeouts_are_retried_until_each_is_delivered_once(
    database: str,  # noqa: F811
) -> None:
    seeded = _seeded(database, inside=300)
    behaviour = Behaviour(fail_ratio=0.2, hang_ratio=0.05, hang_s=1.0, seed=3)
    with running_gateway(behaviour) as gateway:
        worker = _drain(database, gateway)
        delivered, answers = gateway.deliveries(), gateway.stats()
    assert Counter(d.to for d in delivered) == Counter(seeded.inside)
    assert answers["500"] > 30 and answers["hung"] > 5 and answers["409"] > 5
    assert statuses(database) == {"sent": 300}
    assert worker.tally.counts["queued"] >= answers["500"]


def test_without_idempotency_a_timed_out_send_is_never_repeated(database: str) -> None:  # noqa: F811
    seeded = _seeded(database, inside=100)
    behaviour = Behaviour(hang_ratio=0.2, hang_s=1.0, seed=5)
    with running_gateway(behaviour) as gateway:
        _drain(database, gateway, idempotent=False)
        delivered, answers, hung = gateway.deliveries(), gateway.stats(), gateway.hung()
    found = statuses(database)
    uncertain = Counter(row.recipient for row in _rows(database) if row.status == "uncertain")
    assert len(hung) > 5 and Counter(hung) <= uncertain, "each timed-out send left for a person"
    # A send answered in time by the gateway can still reach a loaded client after its timeout;
    # the worker cannot tell it from a hang, so it is left for a person too. Only a few can be.
    assert uncertain.total() - len(hung) <= 5, uncertain.total() - len(hung)
    assert found["sent"] + found["uncertain"] == 100
    assert "409" not in answers, "nothing was sent a second time"
    assert Counter(d.to for d in delivered) == Counter(seeded.inside)


def test_a_message_that_keeps_failing_fails_after_its_attempts(database: str) -> None:  # noqa: F811
    _seeded(database, inside=5, outside=0)
    settings = WorkerSettings(concurrency=2, batch_size=4, max_attempts=3, backoff_s=0.01,
                              backoff_max_s=0.01, poll_s=0.05)  # fmt: skip
    with running_gateway(Behaviour(fail_ratio=1.0)) as gateway:
        _drain(database, gateway, settings)
        assert gateway.deliveries() == []
    rows = _rows(database)
    assert [(r.status, r.attempts, r.last_error) for r in rows] == 5 * [
        ("failed", 3, "sms gateway: HTTP 500")
    ]


def test_the_command_drains_the_outbox_and_exits(database: str, tmp_path: Path) -> None:  # noqa: F811
    seeded = _seeded(database, inside=30)
    log = tmp_path / "worker.log"
    with running_gateway() as gateway:
        env = worker_env(database, gateway, SMS_PROVIDER="log", WORKER_POLL_S=0.1)
        worker = start_worker(env, log, "--until-idle")
        assert worker.wait(60) == 0, log.read_text()
    output = log.read_text()
    assert statuses(database) == {"sent": 30}
    assert output.count("statusmap.notify.log sms #") == 30
    assert seeded.inside[0] not in output and "to +47*****000 from Vann og avløp" in output
    assert "sent 30" in output


def test_the_command_needs_the_public_base_url(database: str, tmp_path: Path) -> None:  # noqa: F811
    log = tmp_path / "worker.log"
    with running_gateway() as gateway:
        env = worker_env(database, gateway, PUBLIC_BASE_URL="")
        assert start_worker(env, log, "--until-idle").wait(60) == 1
    assert "STATUSMAP_PUBLIC_BASE_URL is not set" in log.read_text()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_finishes_the_sends_in_flight_and_gives_back_the_rest(
    database: str,  # noqa: F811
    tmp_path: Path,
    signum: int,
) -> None:
    _seeded(database, inside=40, outside=0)
    log = tmp_path / "worker.log"
    with running_gateway(Behaviour(latency_s=1.5)) as gateway:
        env = worker_env(
            database, gateway, WORKER_CONCURRENCY=4, WORKER_BATCH_SIZE=8, WORKER_POLL_S=0.1
        )
        worker = start_worker(env, log)
        deadline = time.monotonic() + 30
        while claimed_by(database, worker.pid) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert claimed_by(database, worker.pid) == 8, log.read_text()
        worker.send_signal(signum)
        assert worker.wait(15) == 0, log.read_text()
        delivered = gateway.deliveries()
    assert statuses(database) == {"sent": 4, "queued": 36}
    assert len(delivered) == 4
    queued = [row for row in _rows(database) if row.status == "queued"]
    assert {row.attempts for row in queued} == {0}, "the four never started are not an attempt"
    assert "released 4" in log.read_text()
