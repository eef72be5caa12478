"""Sustained report ingestion on PostGIS through gunicorn and the JSON API, against a bare
INSERT loop of the same rows in the same run.

    .venv/bin/python -m benchmarks.report_ingestion --seconds 5 --clients 16 --rounds 3 --write

wrk on N connections (report_ingestion.lua: each report new and from its own address; or, with
--client python, the concurrency test's client threads) POSTs to /api/v1/<slug>/reports on
gunicorn; the rows stored are then inserted again, one INSERT and
one commit each (as each report is its own transaction in the app), on one connection. The two
take turns in rounds, so the shared machine's busy moments fall on both. The ratio is the app's
reports per second over the bare loop's. With --write it replaces its section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.affected_count import machine
from benchmarks.spatial_queries import write_section
from benchmarks.surge_nginx import require_binary
from benchmarks.surge_wrk import parse_wrk
from statusmap.engine import make_engine
from statusmap.migrations import upgrade
from statusmap.reports.submission import REFERENCE_ALPHABET
from tests.conftest import DEFAULT_ADMIN_URL
from tests.conftest import new_postgis_database
from tests.factories import make_municipality
from tests.integration.report_clients import client_pool
from tests.integration.report_clients import send_reports
from tests.integration.test_gunicorn import _environment
from tests.integration.test_gunicorn import _serving

HERE = (8.07, 58.14)  # inside the Kristiansand test box
LUA = Path(__file__).with_suffix(".lua")  # wrk's requests: a new report each
CLIENTS = {"wrk": "wrk connections", "python": "Python client threads in 4 processes"}
# Report numbers (hence client addresses) of a round start here, so that no round repeats one;
# the warm-up's lie above every round's (addresses are unique below 2 ** 24).
FIRST, ROUND_NUMBERS, WARM_UP_FIRST = 20, 200_000, 16_000_000
COLUMNS = (
    "municipality_id, kind, status, location, observed_since, text, contact_consent,"
    " client_key, source, repeats, notify_pending, created_at, updated_at"
)


def prepare(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        upgrade(conn)
    with Session(engine) as session:
        make_municipality(session)
        session.commit()
    engine.dispose()


def _environment_for(url: str) -> dict[str, str]:
    return _environment(
        url,
        STATUSMAP_SECRET_KEY="benchmark",
        STATUSMAP_PROXY_COUNT="1",
        STATUSMAP_REPORT_LIMIT_PER_CLIENT="1000/minute",
        STATUSMAP_REPORT_LIMIT_PER_AREA="10000000/minute",
        STATUSMAP_SCHEDULER_INTERVAL_S="0",
    )


def _last_id(url: str) -> int:
    """The last report's id once the server has settled (answered what it had in hand)."""
    engine = make_engine(url)
    last = None
    with engine.connect() as conn:
        query = text("SELECT coalesce(max(id), 0) FROM report")
        while (found := conn.execute(query).scalar_one()) != last:
            last = found
            conn.commit()
            time.sleep(0.3)
    engine.dispose()
    return int(found)


def interleaved(args: argparse.Namespace, url: str) -> tuple[float, float, int, Counter[int]]:
    """Rounds of (reports through gunicorn, then the same rows by the bare loop), so a busy
    moment of the shared machine falls on both sides alike; the sums of each side's time."""
    app_s = bare_s = 0.0
    rows, statuses = 0, Counter[int]()
    with (
        tempfile.TemporaryDirectory() as tmp,
        _serving(Path(tmp) / "g.log", _environment_for(url), args.workers) as at,
        _sender(args) as send,
    ):
        target = f"{at}/api/v1/kristiansand/reports"
        send(target, WARM_UP_FIRST, warm_up=True)  # not counted: the workers load the town
        for number in range(args.rounds):
            before = _last_id(url)
            seconds, answered = send(target, FIRST + number * ROUND_NUMBERS)
            app_s, statuses = app_s + seconds, statuses + answered
            bare, count = bare_loop(url, after_id=before, up_to_id=_last_id(url))
            if count < answered[201]:  # a report taken as a repeat: the rows would not match
                raise SystemExit(f"{answered[201]} reports stored but {count} new rows")
            bare_s, rows = bare_s + bare, rows + count
    return app_s, bare_s, rows, statuses


@contextmanager
def _sender(args: argparse.Namespace) -> Iterator[Callable[..., tuple[float, Counter[int]]]]:
    """send(target, first, warm_up=False) -> (seconds, statuses) with the chosen client."""
    if args.client == "wrk":
        yield lambda target, first, warm_up=False: wrk_reports(
            target, 2 if warm_up else args.seconds, first, args.clients
        )
        return
    processes = min(4, args.clients)
    share = args.reports // args.rounds
    with client_pool(processes) as pool:

        def send(target: str, first: int, warm_up: bool = False) -> tuple[float, Counter[int]]:
            started = time.perf_counter()
            answered = send_reports(
                target, 20 if warm_up else share, *HERE, processes=processes,
                threads=args.clients // processes, first=first, pool=pool,
            )  # fmt: skip
            return time.perf_counter() - started, answered

        yield send


def wrk_reports(
    target: str, seconds: float, first: int, connections: int
) -> tuple[float, Counter[int]]:
    """wrk POSTing new reports for `seconds` on `connections` connections (two threads): the
    time it ran and the answers by status (-1: socket errors, such as no answer in time)."""
    threads = 2
    command = [require_binary("wrk", "wrk"), f"-t{threads}", f"-c{connections}"]
    command += [f"-d{seconds}s", "--latency", "--timeout", "30s", "-s", str(LUA), target]
    command += ["--", str(first), str(threads), str(HERE[0]), str(HERE[1])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    run = parse_wrk(done.stdout)
    counted = re.findall(r"^status (\d+): (\d+)$", done.stdout, re.M)
    answered = Counter({int(status): int(n) for status, n in counted})
    if run.socket_errors:
        answered[-1] = run.socket_errors
    return (run.requests / run.rps if run.rps else float(seconds)), answered


def bare_loop(url: str, *, after_id: int, up_to_id: int) -> tuple[float, int]:
    """The rows the app stored in (after_id, up_to_id] inserted again (new references), one
    INSERT and commit each, on one connection."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT {COLUMNS} FROM report WHERE id > :a AND id <= :b ORDER BY id"),
            {"a": after_id, "b": up_to_id},
        ).all()
        conn.commit()
        names = [c.strip() for c in COLUMNS.split(",")]
        values = ", ".join(f":{n}" for n in names)
        insert = text(f"INSERT INTO report (reference, {COLUMNS}) VALUES (:reference, {values})")
        started = time.perf_counter()
        for row in rows:
            reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
            conn.execute(insert, {"reference": reference, **dict(zip(names, row, strict=True))})
            conn.commit()
        elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, len(rows)


def software(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as conn:
        pg = conn.execute(text("SHOW server_version")).scalar_one()
        gis = conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
    engine.dispose()
    return f"PostgreSQL {pg}, PostGIS {gis}"


def run(args: argparse.Namespace) -> str:
    with new_postgis_database(args.postgis_url) as url:
        prepare(url)
        app_s, bare_s, rows, statuses = interleaved(args, url)
        versions = software(url)
    sent = sum(statuses.values())
    app_rate, bare_rate = sent / app_s, rows / bare_s
    return "\n".join(
        [
            "| path | reports | seconds | reports/s |",
            "| --- | ---: | ---: | ---: |",
            f"| gunicorn ({args.workers} workers), JSON API, {args.clients} {CLIENTS[args.client]}"
            f" | {sent:,} | {app_s:.2f} | {app_rate:,.0f} |",
            f"| bare INSERT + commit loop, one connection | {rows:,} | {bare_s:.2f}"
            f" | {bare_rate:,.0f} |",
            "",
            f"Ratio app / bare: **{app_rate / bare_rate:.2f}** (aim: at least 0.3).",
            f"In {args.rounds} rounds, each of the app's reports and then the same rows by the"
            " bare loop, so that a busy moment of the shared machine weighs on both sides.",
            f"Answers: {dict(statuses)} (201: stored). {versions}.",
            f"Machine: {machine()}; the clients run on the same machine.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgis-url", default=os.environ.get("STATUSMAP_TEST_POSTGIS_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument(
        "--client", choices=("wrk", "python"), default="wrk",
        help="wrk (C, a few per cent of a core) or the concurrency test's Python clients",
    )  # fmt: skip
    parser.add_argument("--seconds", type=int, default=4, help="per round, with wrk")
    parser.add_argument("--reports", type=int, default=3000, help="in all, with python")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    body = run(args)
    print(body)
    if args.write:
        wrk = args.client == "wrk"
        amount = f"--seconds {args.seconds}" if wrk else f"--reports {args.reports}"
        command = (
            f".venv/bin/python -m benchmarks.report_ingestion --client {args.client} {amount}"
            f" --clients {args.clients} --workers {args.workers} --rounds {args.rounds} --write"
        )
        write_section(
            "## Report ingestion: gunicorn and the API against bare INSERTs", body, command
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
