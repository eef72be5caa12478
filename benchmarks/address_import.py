"""Benchmark: importing a large Kartverket address file into SQLite and PostGIS.

Builds a CSV in Kartverket's format with N rows (the demo's addresses, copied with new lokalid
values and a small offset), imports it into a fresh database of each backend, then imports it
again (all rows become updates). Run from the repository root:

    .venv/bin/python -m benchmarks.address_import --rows 200000 --write
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from benchmarks.spatial_queries import write_section
from statusmap.addresses.importer import import_addresses
from statusmap.demo import DEMO_DIR
from statusmap.demo import load_demo
from statusmap.engine import make_engine
from statusmap.migrations import upgrade
from statusmap.models.base import utcnow
from tests.conftest import DEFAULT_ADMIN_URL
from tests.conftest import new_postgis_database


def big_file(rows: int, folder: Path) -> Path:
    """Write a Kartverket-format CSV of the demo addresses repeated to the given size."""
    demo = pd.read_csv(DEMO_DIR / "addresses.csv", sep=";", dtype=str, keep_default_na=False)
    copies = -(-rows // len(demo))
    table = pd.concat([demo] * copies, ignore_index=True).iloc[:rows].copy()
    table["lokalid"] = [str(700000000 + n) for n in range(rows)]
    offset = (table.index // len(demo)) % 7 - 3  # metres, so copies do not sit on each other
    table["Øst"] = (table["Øst"].astype(float) + offset).map("{:.2f}".format)
    path = folder / "addresses.csv"
    table.to_csv(path, sep=";", index=False)
    return path


def measure(url: str, path: Path) -> tuple[float, float, int]:
    """Seconds for a first import and a re-import, and the rows imported."""
    engine = make_engine(url)
    with engine.begin() as conn:
        upgrade(conn)
    with Session(engine) as session:
        demo = load_demo(session, now=utcnow()).municipality
        session.commit()
        times = []
        for _ in range(2):
            start = time.perf_counter()
            summary = import_addresses(session, demo, path, actor="benchmark")
            session.commit()
            times.append(time.perf_counter() - start)
    engine.dispose()
    return times[0], times[1], summary.imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument(
        "--postgis-url", default=os.environ.get("STATUSMAP_TEST_POSTGIS_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, new_postgis_database(args.postgis_url) as pg_url:
        path = big_file(args.rows, Path(tmp))
        results = {
            "SQLite": measure(f"sqlite:///{tmp}/bench.sqlite3", path),
            "PostGIS": measure(pg_url, path),
        }
    lines = [
        "| backend | first import s | re-import (updates) s | rows/s (first) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, (first, again, rows) in results.items():
        lines.append(f"| {name} | {first:.1f} | {again:.1f} | {rows / first:,.0f} |")
    ratio = results["SQLite"][0] / results["PostGIS"][0]
    lines += [
        "",
        f"SQLite / PostGIS (first import): {ratio:.2f}.",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        command = f".venv/bin/python -m benchmarks.address_import --rows {args.rows} --write"
        write_section(f"## Address import of {args.rows:,} rows", text, command)


if __name__ == "__main__":
    main()
