"""Worker processes for tests and benchmarks: `statusmap worker` on a database and a gateway."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from statusmap.migrations import upgrade
from statusmap.models import OutboxMessage
from tests.fakes.gateway import RunningGateway
from tests.integration.test_gunicorn import ROOT
from tests.integration.test_gunicorn import _environment

CLI = "from statusmap.cli import main; main()"


def worker_env(database_url: str, gateway: RunningGateway, **extra: Any) -> dict[str, str]:
    """The environment of a worker sending SMS through the fake gateway (settings as given)."""
    settings = {
        "STATUSMAP_SECRET_KEY": "test",
        "STATUSMAP_PUBLIC_BASE_URL": "https://vann.example.no",
        "STATUSMAP_SMS_PROVIDER": "generic_json",
        "STATUSMAP_SMS_URL": gateway.url,
        "STATUSMAP_SMS_TOKEN": gateway.token,
        "STATUSMAP_SCHEDULER_INTERVAL_S": "0",
        **{f"STATUSMAP_{key}": str(value) for key, value in extra.items()},
    }
    return _environment(database_url, **settings)


def start_worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """`statusmap worker ARGS` in a process of its own, its output in `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-c", CLI, "worker", *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
        )


def migrate(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()


def statuses(url: str) -> Counter[str]:
    """How many messages there are in each status."""
    engine = make_engine(url)
    with Session(engine) as session:
        query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        found = Counter({str(status): int(n) for status, n in session.execute(query)})
    engine.dispose()
    return found


def claimed_by(url: str, pid: int, status: str = "sending") -> int:
    """How many messages in `status` the worker process `pid` claimed last."""
    engine = make_engine(url)
    with Session(engine) as session:
        n = session.scalar(
            select(func.count()).where(
                OutboxMessage.status == status, OutboxMessage.claimed_by.like(f"%:{pid}:%")
            )
        )
    engine.dispose()
    return int(n or 0)
