"""Benchmark: the app's affected-address count against the hand-written query, on each backend.

One municipality gets N generated address points, uniformly spread over a box, of which a fixed
share (2.5 % by default) lies inside an incident zone: a star-shaped polygon of a few hundred
vertices, not a box. The app's call, `count_addresses_in_area`, and the raw SQL equivalent then
run interleaved (alternating which goes first) on the same connection, each on a freshly parsed
zone as a request would have it; their answers must agree. Run from the repository root:

    .venv/bin/python -m benchmarks.affected_count --postgis-points 2000000 --sqlite-points 100000

PostGIS' raw query is the SQL the app's ought to equal; SQLite's is the fastest honest hand-written
equivalent (R*Tree box prefilter in SQL, then one vectorised shapely test on the candidates'
raw WKB), so each ratio is the app's overhead. With --write it replaces its docs/benchmarks.md
section.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon
from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.address_points import populate
from benchmarks.spatial_queries import write_section
from statusmap.engine import make_engine
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.gis.queries.spatial import postgis
from statusmap.migrations import upgrade
from tests.conftest import DEFAULT_ADMIN_URL
from tests.conftest import new_postgis_database

WARMUP = 3
Answer = tuple[int, int, int, int]  # addresses, dwellings, vulnerable, unknown dwellings

RAW_POSTGIS = """
SELECT count(*), coalesce(sum(dwellings), 0), count(vulnerable_category), count(dwellings)
FROM address
WHERE municipality_id = %(m)s AND retired_at IS NULL
  AND ST_CoveredBy(location, ST_GeomFromText(%(wkt)s, 4326))
"""
RAW_SQLITE = """
SELECT dwellings, vulnerable_category, location FROM address
WHERE municipality_id = ? AND retired_at IS NULL AND id IN (
  SELECT id FROM address_location_rtree
  WHERE max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?)
"""
POINT_WKB = np.dtype([("order", "u1"), ("code", "<u4"), ("x", "<f8"), ("y", "<f8")])


@dataclass(frozen=True)
class Result:
    """One backend's run: the scale, both answers' common value and every timing in ms."""

    backend: str
    points: int
    covered: int
    vertices: int
    answer: Answer
    app_ms: list[float]
    raw_ms: list[float]
    software: str

    @property
    def ratio(self) -> float:
        """The app's median time over the raw query's."""
        return statistics.median(self.app_ms) / statistics.median(self.raw_ms)


def app_count(session: Session, municipality_id: int, zone: Polygon) -> Answer:
    """The app's call, as the public page and notifications make it."""
    count = count_addresses_in_area(session, municipality_id, zone)
    return count.addresses, count.dwellings, count.vulnerable, count.unknown_dwellings


def raw_postgis(session: Session, municipality_id: int, zone: Polygon) -> Answer:
    """The hand-written PostGIS query, on the session's own connection."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(RAW_POSTGIS, {"m": municipality_id, "wkt": zone.wkt})
    total, dwellings, vulnerable, known = cursor.fetchone()
    return int(total), int(dwellings), int(vulnerable), int(total) - int(known)


def raw_sqlite(session: Session, municipality_id: int, zone: Polygon) -> Answer:
    """R*Tree box prefilter in SQL, then one vectorised shapely test on the raw WKB points."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    min_x, min_y, max_x, max_y = zone.bounds
    rows = cursor.execute(RAW_SQLITE, (municipality_id, min_x, max_x, min_y, max_y)).fetchall()
    if not rows:
        return 0, 0, 0, 0
    dwellings, vulnerable, blobs = zip(*rows, strict=True)
    xy = np.frombuffer(b"".join(blobs), dtype=POINT_WKB)
    shapely.prepare(zone)
    # For a point, "covered by the zone" is "intersects the zone" (the app says the same).
    inside = shapely.intersects_xy(zone, xy["x"], xy["y"])
    known = np.array(dwellings, dtype=float)[inside]
    flagged = np.not_equal(np.array(vulnerable, dtype=object)[inside], None)
    unknown = np.isnan(known)
    return int(inside.sum()), int(known[~unknown].sum()), int(flagged.sum()), int(unknown.sum())


def measure(session: Session, municipality_id: int, zone: Polygon, repeat: int) -> tuple:
    """Both calls `repeat` times, interleaved, after a warm-up; their answer and timings (ms)."""
    raw: Callable[[Session, int, Polygon], Answer] = raw_postgis if postgis(session) else raw_sqlite
    calls = {"app": app_count, "raw": raw}
    zone_wkb = shapely.to_wkb(zone)
    times: dict[str, list[float]] = {"app": [], "raw": []}
    answer = None
    for n in range(WARMUP + repeat):
        answers = {}
        for name in ("app", "raw") if n % 2 == 0 else ("raw", "app"):
            fresh = shapely.from_wkb(zone_wkb)  # unprepared, as an incident read from the db
            start = time.perf_counter()
            answers[name] = calls[name](session, municipality_id, fresh)
            if n >= WARMUP:
                times[name].append((time.perf_counter() - start) * 1000)
        if answers["app"] != answers["raw"]:
            raise AssertionError(f"the app says {answers['app']}, the raw query {answers['raw']}")
        answer = answers["app"]
    return answer, times["app"], times["raw"]


def software(session: Session) -> str:
    """The database software's versions, for the record."""
    if postgis(session):
        pg = session.execute(text("SHOW server_version")).scalar_one()
        gis = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
        return f"PostgreSQL {pg.split()[0]}, PostGIS {gis}"
    return f"SQLite {session.execute(text('SELECT sqlite_version()')).scalar_one()}"


def run_backend(session: Session, points: int, share: float, vertices: int, repeat: int) -> Result:
    """Populate and commit (a test's session may roll it all back later), then measure."""
    covered = round(points * share)
    backend = "PostGIS" if postgis(session) else "SQLite"
    start = time.perf_counter()
    municipality_id, zone = populate(session, points, covered, vertices)
    session.commit()
    log(f"{backend}: {points:,} points written in {time.perf_counter() - start:.0f} s")
    answer, app_ms, raw_ms = measure(session, municipality_id, zone, repeat)
    return Result(backend, points, covered, vertices, answer, app_ms, raw_ms, software(session))


def log(message: str) -> None:
    """Progress on stderr, so stdout is the report alone."""
    print(f"affected_count: {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> list[Result]:
    """Each backend in a database of its own, the throwaway PostGIS one first."""
    results = []
    with new_postgis_database(args.postgis_url) as pg_url, tempfile.TemporaryDirectory() as tmp:
        for url, points in (
            (pg_url, args.postgis_points),
            (f"sqlite:///{tmp}/bench.sqlite3", args.sqlite_points),
        ):
            engine = make_engine(url)
            with engine.begin() as conn:
                upgrade(conn)
            with Session(engine) as session:
                results.append(run_backend(session, points, args.share, args.vertices, args.repeat))
            engine.dispose()
    return results


def machine() -> str:
    """CPU model (lscpu) and cores (nproc)."""
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    model = next(
        (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line),
        platform.processor() or "unknown CPU",
    )
    cores = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return f"{model}, {cores or os.cpu_count()} cores (nproc), Python {platform.python_version()}"


def report(results: list[Result], repeat: int) -> str:
    """Markdown: per backend the scale, both medians, the ratio and the agreed answer."""
    lines = [
        "| backend | address points | in the zone | app median ms | raw median ms | app / raw |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        app, raw = statistics.median(r.app_ms), statistics.median(r.raw_ms)
        lines.append(
            f"| {r.backend} | {r.points:,} | {r.covered:,} | {app:.2f} | {raw:.2f} | "
            f"{r.ratio:.2f} |"
        )
    lines.append("")
    for r in results:
        addresses, dwellings, vulnerable, unknown = r.answer
        lines.append(
            f"{r.backend} ({r.software}): both answered {addresses:,} addresses, "
            f"{dwellings:,} dwellings, {vulnerable:,} vulnerable, {unknown:,} of unknown dwellings."
        )
    lines += [
        "",
        f"Zone: a star-shaped polygon of {results[0].vertices} vertices; {repeat} repetitions of "
        f"each call after {WARMUP} warm-ups, interleaved (alternating which goes first).",
        f"Machine: {machine()}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgis-url", default=os.environ.get("STATUSMAP_TEST_POSTGIS_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--postgis-points", type=int, default=2_000_000)
    parser.add_argument("--sqlite-points", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.025, help="of the points in the zone")
    parser.add_argument("--vertices", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    text = report(run(args), args.repeat)
    print(text)
    if args.write:
        command = (
            f".venv/bin/python -m benchmarks.affected_count --postgis-points "
            f"{args.postgis_points} --sqlite-points {args.sqlite_points} --share {args.share} "
            f"--vertices {args.vertices} --repeat {args.repeat} --write"
        )
        write_section("## Affected-address count: the app against raw SQL", text, command)


if __name__ == "__main__":
    main()
