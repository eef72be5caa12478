"""Notification fan-out on PostGIS: from publishing an incident over N subscribers to the last
message handed to a fake SMS gateway with a per-request latency and a fixed rate limit, for 1 and
for several worker processes, against the gateway's own capacity measured with a plain concurrent
client in the same run. The workers expand the incident's event into messages (one
INSERT ... SELECT) and send them.

    .venv/bin/python -m benchmarks.notification_fanout --messages 50000 --write

Each phase gets a fresh gateway process (tests/fakes/gateway.py) and, for the workers, a fresh
database. The workers (`statusmap worker`, default settings but a short poll) are started and
ready first; the clock starts when the publication is committed (`publish`: the incident's save
writes its event in the same transaction) and stops at the gateway's last acceptance. With
--write it replaces its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from benchmarks.affected_count import machine
from benchmarks.spatial_queries import write_section
from statusmap.engine import make_engine
from tests.conftest import DEFAULT_ADMIN_URL
from tests.conftest import new_postgis_database
from tests.fakes.gateway import Behaviour
from tests.fakes.gateway import RunningGateway
from tests.fakes.gateway import gateway_process
from tests.fakes.outbox_seed import seed_outbox
from tests.fakes.workers import migrate
from tests.fakes.workers import start_worker
from tests.fakes.workers import worker_env

HEADING = "## Notification fan-out: workers against the gateway's own capacity"


def publish(url: str, messages: int) -> float:
    """Publish an incident over `messages` subscribers' addresses; the wall-clock time the
    publication (and its event, written with it) was committed. The workers expand it."""
    engine = make_engine(url)
    with Session(engine) as session:
        seed_outbox(session, inside=messages, outside=0, expand=False)
        session.commit()
        committed = time.time()
    engine.dispose()
    return committed


def _last_acceptance(gateway: RunningGateway, messages: int, timeout_s: float) -> float:
    deadline = time.monotonic() + timeout_s
    while gateway.delivered_count() < messages:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {gateway.delivered_count()} of {messages} delivered")
        time.sleep(0.1)
    return max(d.at for d in gateway.deliveries())


def plain_client(behaviour: Behaviour, messages: int, threads: int) -> float:
    """Seconds the gateway needs for `messages` from a plain client (httpx + threads)."""
    with (
        gateway_process(behaviour) as gateway,
        httpx.Client(
            headers={"Authorization": f"Bearer {gateway.token}"},
            limits=httpx.Limits(max_connections=threads, max_keepalive_connections=threads),
            timeout=30,
        ) as client,
    ):

        def send(_n: int) -> None:
            body = {"id": str(uuid.uuid4()), "to": "+4790000000", "from": "VA", "text": "Hei"}
            while (answer := client.post(gateway.url, json=body)).status_code == 429:
                time.sleep(float(answer.headers.get("Retry-After", "1")))

        started = time.time()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(send, range(messages)))
        return _last_acceptance(gateway, messages, 60) - started


def _ready(logs: list[Path], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not all(log.exists() and "sends at a time" in log.read_text() for log in logs):
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not start: " + logs[0].read_text()[-2000:])
        time.sleep(0.1)


def workers(behaviour: Behaviour, admin_url: str, messages: int, count: int) -> float:
    """Seconds from the messages committed to the last handed to the gateway, `count` workers."""
    with (
        new_postgis_database(admin_url) as url,
        gateway_process(behaviour) as gateway,
        tempfile.TemporaryDirectory() as tmp,
    ):
        migrate(url)
        env = worker_env(url, gateway, WORKER_POLL_S=0.05, WORKER_MAX_ATTEMPTS=50)
        logs = [Path(tmp) / f"worker-{n}.log" for n in range(count)]
        processes = [start_worker(env, log) for log in logs]
        try:
            _ready(logs)
            started = publish(url, messages)
            return _last_acceptance(gateway, messages, 3600) - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(60)


def run(args: argparse.Namespace) -> str:
    behaviour = Behaviour(latency_s=args.latency, rate_per_s=args.rate, seed=1)
    n = args.messages
    gateway_s = plain_client(behaviour, n, args.threads)
    one_s = workers(behaviour, args.postgis_url, n, 1)
    many_s = workers(behaviour, args.postgis_url, n, args.workers)
    rows = [
        (f"the gateway alone, plain client ({args.threads} threads)", gateway_s),
        ("1 worker (8 sends in flight)", one_s),
        (f"{args.workers} workers (8 sends in flight each)", many_s),
    ]
    table = [
        "| path | messages | seconds | messages/s | / gateway alone |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {name} | {n:,} | {s:.2f} | {n / s:,.0f} | {s / gateway_s:.2f} |" for name, s in rows),
    ]
    return "\n".join(
        [
            *table,
            "",
            f"{args.workers} workers / gateway alone: **{many_s / gateway_s:.2f}** (aim: at most"
            f" 1.2); 1 worker / {args.workers} workers: **{one_s / many_s:.2f}**"
            " (aim: at least 3).",
            f"Gateway: {args.latency * 1000:.0f} ms per request, at most {args.rate:,.0f}"
            " requests/s (429 with Retry-After beyond it); one worker's ceiling is 8 in flight /"
            f" latency = {8 / args.latency:,.0f}/s.",
            "Why these gateway numbers: the rate limit sits near four times one worker's ceiling,"
            " so that both aims can hold at once (with 40 ms and 400/s one worker's ceiling is"
            " 200/s, and 4 workers can be at most 2x faster than one). Under the limit the"
            " channel paces itself (notify/channels/pacing.py) instead of spinning on 429s.",
            f"Machine: {machine()}; gateway, workers and PostgreSQL on the same machine"
            f" (load average {os.getloadavg()[0]:.1f} at the end).",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgis-url", default=os.environ.get("STATUSMAP_TEST_POSTGIS_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--rate", type=float, default=250.0, help="requests/s the gateway takes")
    parser.add_argument("--threads", type=int, default=64, help="the plain client's threads")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    body = run(args)
    print(body)
    if args.write:
        command = (
            f".venv/bin/python -m benchmarks.notification_fanout --messages {args.messages}"
            f" --latency {args.latency} --rate {args.rate:g} --workers {args.workers} --write"
        )
        write_section(HEADING, body, command)
    sys.exit(0)


if __name__ == "__main__":
    main()
