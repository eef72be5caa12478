"""Protocol step 5: what residents report, given every junction's state."""

from __future__ import annotations

import math
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import numpy as np

from benchmarks.leaks.hydraulics import LOW_PRESSURE
from benchmarks.leaks.hydraulics import NO_WATER
from benchmarks.leaks.hydraulics import OK

KINDS = ("no_water", "low_pressure", "water_ok")
POSITIVE = ("no_water", "low_pressure")
# Expected reports per household, by the junction's state (rows) and the report's kind (columns).
RATES = {
    NO_WATER: (0.15, 0.05, 0.0),
    LOW_PRESSURE: (0.02, 0.08, 0.005),
    OK: (0.0005, 0.0005, 0.002),
}
NOISE_M = 30.0
LEAK_SEEN_P = 0.3
LEAK_SEEN_RADIUS_M = 50.0
START = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)  # reports arrive over the hour after the break


def resident_reports(
    xy_m: np.ndarray, households: np.ndarray, states: list[str], rng: np.random.Generator
) -> tuple[list[dict[str, Any]], float]:
    """Poisson reports at junctions (noisy positions in metres), and the scenario's rate factor."""
    scale = float(rng.uniform(0.5, 2.0))
    rates = np.array([RATES[s] for s in states], dtype=float) * households[:, None] * scale
    counts = rng.poisson(rates)
    reports = []
    for junction, column in zip(*np.nonzero(counts), strict=True):
        for _ in range(int(counts[junction, column])):
            x, y = xy_m[junction] + rng.normal(0.0, NOISE_M, 2)
            reports.append({"kind": KINDS[column], "x": float(x), "y": float(y)})
    return reports, scale


def leak_seen(break_m: tuple[float, float], rng: np.random.Generator) -> list[dict[str, Any]]:
    """With probability 0.3, one report of a visible leak within 50 m of the break."""
    if rng.uniform() >= LEAK_SEEN_P:
        return []
    radius = LEAK_SEEN_RADIUS_M * math.sqrt(float(rng.uniform()))
    angle = float(rng.uniform(0.0, 2 * math.pi))
    x = break_m[0] + radius * math.cos(angle)
    y = break_m[1] + radius * math.sin(angle)
    return [{"kind": "leak_seen", "x": x, "y": y}]


def in_random_order(
    reports: list[dict[str, Any]], units_to_m: float, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """Uniform arrival times (hours after 07:00), sorted; positions back in network units."""
    times = rng.uniform(0.0, 1.0, len(reports))
    ordered = []
    for t, report in sorted(zip(times, reports, strict=True), key=lambda pair: pair[0]):
        x, y = report["x"] / units_to_m, report["y"] / units_to_m
        ordered.append({"kind": report["kind"], "x": x, "y": y, "t": round(float(t), 6)})
    return ordered


def positives_reached(reports: list[dict[str, Any]], k: int) -> int | None:
    """How many reports had arrived when the k-th positive one did (None if it never does)."""
    seen = 0
    for count, report in enumerate(reports, start=1):
        seen += report["kind"] in POSITIVE
        if seen == k:
            return count
    return None


def feature_collection(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Reports as the contract's GeoJSON: Points in network coordinates, kind and reported_at."""
    features = []
    for report in reports:
        when = START + timedelta(hours=report["t"])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [report["x"], report["y"]]},
                "properties": {"kind": report["kind"], "reported_at": when.isoformat()},
            }
        )
    return {"type": "FeatureCollection", "features": features}
