"""Benchmark: the spatial-query module on SQLite (bbox prefilter + shapely) against PostGIS.

Both databases get the demo municipality plus synthetic addresses and incidents up to the chosen
scale; each query then runs on both, interleaved, so the ratio is measured side by side on the same
noisy machine. Run from the repository root:

    .venv/bin/python -m benchmarks.spatial_queries --addresses 100000 --incidents 200

It prints a Markdown table and, with --write, replaces the section in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import Point
from shapely.geometry import box
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.docs_section import write_section  # noqa: F401 (other benchmarks import it here)
from statusmap.demo import load_demo
from statusmap.engine import make_engine
from statusmap.gis.queries import addresses as address_queries
from statusmap.gis.queries import incidents as incident_queries
from statusmap.migrations import upgrade
from statusmap.models import Address
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from tests.conftest import DEFAULT_ADMIN_URL
from tests.conftest import new_postgis_database
from tests.factories import make_incident

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def populate(session: Session, addresses: int, incidents: int, seed: int = 1) -> Municipality:
    """Load the demo, then add jittered copies of its addresses and random square incidents."""
    demo = load_demo(session, now=utcnow()).municipality
    rng = np.random.default_rng(seed)
    located = session.scalars(select(Address.location).where(Address.municipality_id == demo.id))
    base = [(point.x, point.y) for point in located]
    extra = max(addresses - len(base), 0)
    picks = rng.integers(0, len(base), extra)
    jitter = rng.normal(0, 0.004, (extra, 2))
    rows = []
    for n, (pick, (dx, dy)) in enumerate(zip(picks, jitter, strict=True)):
        lon, lat = base[pick][0] + dx, base[pick][1] + dy
        rows.append(
            {
                "municipality_id": demo.id,
                "source_id": f"bench{n}",
                "street": "Benkveien",
                "number": n % 200,
                "letter": "",
                "postcode": "2750",
                "place": "GRAN",
                "dwellings": 1,
                "vulnerable_name": "",
                "location": Point(lon, lat),
                "updated_at": utcnow(),
            }
        )
    for start in range(0, len(rows), 5000):
        session.execute(insert(Address), rows[start : start + 5000])
    min_lon, min_lat, max_lon, max_lat = demo.boundary.bounds
    for n in range(incidents):
        lon, lat = rng.uniform((min_lon, min_lat), (max_lon - 0.01, max_lat - 0.005))
        make_incident(session, demo, box(lon, lat, lon + 0.006, lat + 0.003), title=f"b{n}")
    session.commit()
    return demo


def timed(call: Callable[[Session], Any], session: Session) -> float:
    """Run once and return the wall time in milliseconds."""
    start = time.perf_counter()
    call(session)
    return (time.perf_counter() - start) * 1000


def workload(demo: Municipality, rng: np.random.Generator) -> dict[str, list[Callable]]:
    """The query mix: point lookups, counts in incident-sized areas, bbox listings."""
    min_lon, min_lat, max_lon, max_lat = demo.boundary.bounds
    points = [Point(*rng.uniform((min_lon, min_lat), (max_lon, max_lat))) for _ in range(100)]
    areas = [
        box(lon, lat, lon + 0.01, lat + 0.005)
        for lon, lat in rng.uniform((min_lon, min_lat), (max_lon - 0.01, max_lat - 0.005), (30, 2))
    ]
    active = (IncidentStatus.ACTIVE,)
    now = utcnow()

    def point_lookup(s: Session, p: Point) -> Any:
        return incident_queries.incidents_covering_point(s, demo.id, p, now=now)

    return {
        "incidents covering a point": [lambda s, p=p: point_lookup(s, p) for p in points],
        "count addresses in an area": [
            lambda s, a=a: address_queries.count_addresses_in_area(s, demo.id, a) for a in areas
        ],
        "list addresses in an area": [
            lambda s, a=a: address_queries.addresses_in_area(s, demo.id, a) for a in areas
        ],
        "incidents in a bbox": [
            lambda s, a=a: incident_queries.incidents_in_bbox(s, demo.id, a.bounds, active, now=now)
            for a in areas
        ],
    }


def run(args: argparse.Namespace) -> str:
    """Build both databases, run the workload interleaved, and return a Markdown report."""
    with tempfile.TemporaryDirectory() as tmp, new_postgis_database(args.postgis_url) as pg_url:
        sessions: dict[str, Session] = {}
        for name, url in (("SQLite", f"sqlite:///{tmp}/bench.sqlite3"), ("PostGIS", pg_url)):
            engine = make_engine(url)
            with engine.begin() as conn:
                upgrade(conn)
            sessions[name] = Session(engine)
            demo = populate(sessions[name], args.addresses, args.incidents)
        times: dict[tuple[str, str], list[float]] = {}
        for label, calls in workload(demo, np.random.default_rng(2)).items():
            for call in calls:
                for name in ("SQLite", "PostGIS"):  # interleaved: same moment, same noise
                    session = sessions[name]
                    times.setdefault((label, name), []).append(timed(call, session))
        return report(args, times)


def report(args: argparse.Namespace, times: dict[tuple[str, str], list[float]]) -> str:
    """Markdown: median ms per backend and the SQLite/PostGIS ratio per query."""
    lines = [
        f"Scale: {args.addresses:,} addresses, {args.incidents + 4} incidents in one municipality.",
        "",
        "| query | SQLite median ms | PostGIS median ms | SQLite / PostGIS |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label in dict.fromkeys(label for label, _ in times):
        sqlite, postgis = (statistics.median(times[(label, n)]) for n in ("SQLite", "PostGIS"))
        lines.append(f"| {label} | {sqlite:.2f} | {postgis:.2f} | {sqlite / postgis:.2f} |")
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    lines += ["", f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgis-url", default=os.environ.get("STATUSMAP_TEST_POSTGIS_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    text = run(args)
    print(text)
    if args.write:
        command = (
            f".venv/bin/python -m benchmarks.spatial_queries --addresses {args.addresses} "
            f"--incidents {args.incidents} --write"
        )
        write_section(f"## Spatial queries at {args.addresses:,} addresses", text, command)


if __name__ == "__main__":
    main()
