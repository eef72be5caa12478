"""Baselines A (centroid) and A2 (geometric median) of the positive reports.

Both start instead from the first `leak_seen` report when there is one. Pipes are ranked by their
distance from that point, segments by their best pipe; the answer has `locate`'s shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import shapely

from benchmarks.leaks.networks import Segments
from statusmap.network.model import Network

POSITIVE = ("no_water", "low_pressure")
Answer = dict[str, Any]


def centroid(points: np.ndarray) -> np.ndarray:
    return np.asarray(points.mean(axis=0), dtype=float)


def geometric_median(points: np.ndarray, iterations: int = 200, tol: float = 1e-9) -> np.ndarray:
    """Weiszfeld's iteration from the centroid; a point it lands on counts with a tiny weight."""
    estimate = centroid(points)
    for _ in range(iterations):
        distances = np.maximum(np.hypot(*(points - estimate).T), 1e-12)
        weights = 1.0 / distances
        moved = (points * weights[:, None]).sum(axis=0) / weights.sum()
        if np.hypot(*(moved - estimate)) <= tol * max(1.0, float(np.abs(estimate).max())):
            return np.asarray(moved, dtype=float)
        estimate = moved
    return np.asarray(estimate, dtype=float)


def start_point(reports: dict[str, Any], centre: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The first leak_seen report's position, else the centre of the positive reports."""
    features = sorted(reports["features"], key=lambda f: f["properties"].get("reported_at", ""))
    for feature in features:
        if feature["properties"]["kind"] == "leak_seen":
            return np.asarray(feature["geometry"]["coordinates"][:2], dtype=float)
    points = [
        f["geometry"]["coordinates"][:2] for f in features if f["properties"]["kind"] in POSITIVE
    ]
    if not points:
        raise ValueError("no positive reports")
    return centre(np.asarray(points, dtype=float))


class Baseline:
    """A nearest-pipe baseline for one network, answering like `locate`."""

    def __init__(self, network: Network, segments: Segments, median: bool) -> None:
        self.network = network
        self.segments = segments
        self.centre = geometric_median if median else centroid
        self.pipes = network.pipe_names
        self.lines = np.array([network.pipe_line(name) for name in self.pipes], dtype=object)

    def __call__(self, reports: dict[str, Any], top: int = 50) -> Answer:
        point = start_point(reports, self.centre)
        metres = shapely.distance(self.lines, shapely.Point(*point)) * self.network.units_to_m
        order = np.argsort(metres, kind="stable")
        pipes = [{"id": self.pipes[i], "score": 1.0 / (1.0 + metres[i] / 100.0)} for i in order]
        return {
            "pipes": pipes[:top],
            "segments": self.ranked_segments(pipes)[:top],
            "point": [float(point[0]), float(point[1])],
        }

    def ranked_segments(self, pipes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Segments in the order of their best-ranked pipe, scored by it."""
        ranked: list[dict[str, Any]] = []
        seen: set[str] = set()
        for pipe in pipes:
            segment = self.segments.of_link.get(pipe["id"])
            if segment is None or segment in seen:
                continue
            seen.add(segment)
            ranked.append(
                {
                    "id": segment,
                    "pipes": self.segments.links[segment],
                    "valves": [list(v) for v in self.segments.valves.get(segment, [])],
                    "score": pipe["score"],
                }
            )
        return ranked
