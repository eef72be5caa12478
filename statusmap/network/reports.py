"""Reports as the localiser reads them: GeoJSON points in the network's own coordinates.

One FeatureCollection per scenario, in a .geojson/.json file or one per line of a .jsonl file.
Every way a report can be wrong is a `ReportError` that names the line and the feature.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from statusmap.network.model import Network

KINDS = ("no_water", "low_pressure", "discoloured_water", "leak_seen", "water_ok")
POSITIVE = ("no_water", "low_pressure")
FARTHEST_OUTSIDE_M = 2000.0


class ReportError(ValueError):
    """Reports that cannot be read or used, with where and why."""


@dataclass(frozen=True)
class Report:
    kind: str
    x: float
    y: float
    reported_at: datetime | None = None


def _report(feature: Any, where: str) -> Report:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ReportError(f"{where}: not a GeoJSON Feature")
    geometry = feature.get("geometry")
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (
        not isinstance(geometry, dict)
        or geometry.get("type") != "Point"
        or not isinstance(coordinates, list | tuple)
    ):
        raise ReportError(f"{where}: the geometry must be a Point")
    try:
        x, y = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError, IndexError):
        raise ReportError(f"{where}: the point's coordinates are not two numbers") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ReportError(f"{where}: the point's coordinates are not finite")
    properties = feature.get("properties") or {}
    kind = properties.get("kind") if isinstance(properties, dict) else None
    if kind not in KINDS:
        raise ReportError(f"{where}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
    return Report(kind, x, y, _time(properties.get("reported_at"), where))


def _time(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ReportError(f"{where}: reported_at {value!r} is not an ISO 8601 time") from None


def parse_collection(data: Any, where: str) -> list[Report]:
    """One FeatureCollection (parsed JSON) as reports."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ReportError(f"{where}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ReportError(f"{where}: the FeatureCollection has no list of features")
    reports = [_report(f, f"{where}, feature {i + 1}") for i, f in enumerate(features)]
    zones = {r.reported_at.tzinfo is None for r in reports if r.reported_at is not None}
    if len(zones) > 1:  # such times cannot be compared with each other
        raise ReportError(
            f"{where}: reported_at mixes times with and without a UTC offset; give all or none"
        )
    return reports


def _json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError(f"{where}: not JSON ({error.msg} at column {error.colno})") from None


def read_reports(path: str | Path) -> list[tuple[str, list[Report]]]:
    """Every scenario in the file, each with where it is ("line 3" in a .jsonl, else the
    file's name): one for GeoJSON, one per non-blank line for .jsonl."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"cannot read the reports file {path}: {error}") from None
    if path.suffix.lower() == ".jsonl":
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if not lines:
            raise ReportError(f"{path} holds no scenarios")
        return [
            (f"line {n}", parse_collection(_json(line, f"line {n}"), f"line {n}"))
            for n, line in lines
        ]
    if path.suffix.lower() not in (".geojson", ".json"):
        raise ReportError(f"{path}: reports must be .geojson, .json or .jsonl")
    return [(path.name, parse_collection(_json(text, path.name), path.name))]


def check_usable(network: Network, reports: list[Report], where: str) -> None:
    """Refuse reports the network cannot explain: far outside it, or none saying water is gone."""
    for number, report in enumerate(reports, 1):
        outside = network.distance_to_extent_m(report.x, report.y)
        if outside > FARTHEST_OUTSIDE_M:
            raise ReportError(
                f"{where}, feature {number}: ({report.x}, {report.y}) lies {outside / 1000:.1f} km"
                " outside the network's extent (the network's own coordinates are expected)"
            )
    if not any(r.kind in POSITIVE for r in reports):
        raise ReportError(f"{where}: no report says no_water or low_pressure")
