"""Sustained report ingestion on PostGIS through gunicorn and the JSON API, against a bare
INSERT loop of the same rows in the same run.

    .venv/bin/python -m benchmarks.report_ingestion --reports 3000 --clients 16 --rounds 5 --write

N concurrent clients (processes of threads, each report from its own address) POST reports to
POST /api/v1/<slug>/reports on gunicorn; the rows stored are then inserted again, one INSERT and
one commit each (as each report is its own transaction in the app), on one connection. The two
take turns in rounds, so the shared machine's busy moments fall on both. The ratio is the app's
reports per second over the bare loop's. With --write it replaces its section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.affected_count import machine
from benchmarks.spatial_queries import write_section
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
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT coalesce(max(id), 0) FROM report")).scalar_one()
    engine.dispose()
    return int(found)


def interleaved(args: argparse.Namespace, url: str) -> tuple[float, float, int, Counter[int]]:
    """Rounds of (reports through gunicorn, then the same rows by the bare loop), so a busy
    moment of the shared machine falls on both sides alike; the sums of each side's time."""
    processes = min(4, args.clients)
    share = args.reports // args.rounds
    app_s = bare_s = 0.0
    rows, statuses = 0, Counter[int]()
    with (
        tempfile.TemporaryDirectory() as tmp,
        _serving(Path(tmp) / "g.log", _environment_for(url), args.workers) as at,
        client_pool(processes) as pool,
    ):
        target = f"{at}/api/v1/kristiansand/reports"
        # Warm-up, not counted: the client processes start, the workers load the municipality.
        send_reports(target, 20, *HERE, processes=processes, threads=2, pool=pool)
        for number in range(args.rounds):
            before = _last_id(url)
            started = time.perf_counter()
            statuses += send_reports(
                target, share, *HERE, processes=processes,
                threads=args.clients // processes, first=20 + number * share, pool=pool,
            )  # fmt: skip
            app_s += time.perf_counter() - started
            seconds, count = bare_loop(url, after_id=before, up_to_id=_last_id(url))
            bare_s, rows = bare_s + seconds, rows + count
    return app_s, bare_s, rows, statuses


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
            f"| gunicorn ({args.workers} workers), JSON API, {args.clients} clients"
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
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    body = run(args)
    print(body)
    if args.write:
        command = (
            f".venv/bin/python -m benchmarks.report_ingestion --reports {args.reports}"
            f" --clients {args.clients} --workers {args.workers} --rounds {args.rounds} --write"
        )
        write_section(
            "## Report ingestion: gunicorn and the API against bare INSERTs", body, command
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
