"""The protocol's scores of one answer against one scenario's truth."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import shortest_path
from shapely.geometry import Point

from statusmap.network.model import Network

WITHIN_M = 300.0  # the BattLeDIM radius


class Geometry:
    """Distances in metres on one network: straight, and along its pipes (every link drawn)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        wn = network.wn
        self.index = {name: i for i, name in enumerate(wn.node_name_list)}
        self.ends: dict[str, tuple[int, int]] = {}
        rows, cols, weights = [], [], []
        for name, link in wn.links():
            a, b = self.index[link.start_node_name], self.index[link.end_node_name]
            self.ends[name] = (a, b)
            rows.append(a)
            cols.append(b)
            weights.append(max(self.length_m(name), 1e-6))
        size = len(self.index)
        graph = coo_matrix((weights, (rows, cols)), shape=(size, size)).tocsr()
        self.between = shortest_path(graph, method="D", directed=False)
        self.lengths = {name: self.length_m(name) for name in network.pipe_names}
        self.total_m = float(sum(self.lengths.values()))

    def length_m(self, link: str) -> float:
        return float(self.network.pipe_line(link).length) * self.network.units_to_m

    def straight_m(self, pipe: str, xy: tuple[float, float]) -> float:
        """From the pipe's midpoint to a point given in network coordinates."""
        mx, my = self.network.pipe_midpoint(pipe)
        return math.hypot(mx - xy[0], my - xy[1]) * self.network.units_to_m

    def along_m(self, pipe: str, broken: str, xy: tuple[float, float]) -> float:
        """Shortest path through the pipes from `pipe`'s midpoint to the point `xy` on `broken`."""
        offset = float(self.network.pipe_line(broken).project(Point(xy))) * self.network.units_to_m
        half = self.lengths[pipe] / 2.0
        if pipe == broken:
            return abs(half - offset)
        a, b = self.ends[pipe]
        u, v = self.ends[broken]
        to_break = ((u, offset), (v, self.lengths[broken] - offset))
        return float(min(half + self.between[x, y] + rest for x in (a, b) for y, rest in to_break))


def segment_hit(answer: dict[str, Any], broken: str, k: int) -> bool:
    """The broken pipe among the pipes of the answer's k best segments."""
    return any(broken in segment["pipes"] for segment in answer["segments"][:k])


def inspected_share(ranked: list[str], broken: str, geometry: Geometry) -> float:
    """Pipe length ranked above the broken pipe, as a share of the network's length.

    A ranking that leaves the broken pipe out is charged all it lists plus half of the rest.
    """
    above = 0.0
    for pipe in ranked:
        if pipe == broken:
            return above / geometry.total_m
        above += geometry.lengths.get(pipe, 0.0)
    return (above + (geometry.total_m - above) / 2.0) / geometry.total_m


def score(answer: dict[str, Any], truth: dict[str, Any], geometry: Geometry) -> dict[str, Any]:
    """Every per-scenario score of the protocol for one answer."""
    broken, xy = truth["pipe"], (truth["break_xy"][0], truth["break_xy"][1])
    ranked = [pipe["id"] for pipe in answer["pipes"]]
    top = ranked[0]
    along = geometry.along_m(top, broken, xy)
    return {
        "top_pipe": top,
        "distance_m": geometry.straight_m(top, xy),
        "along_m": along,
        "within_300": along <= WITHIN_M,
        "top1": broken in ranked[:1],
        "top5": broken in ranked[:5],
        "top10": broken in ranked[:10],
        "segment_top1": segment_hit(answer, broken, 1),
        "segment_top3": segment_hit(answer, broken, 3),
        "inspected": inspected_share(ranked, broken, geometry),
        "confidence": answer.get("confidence"),
    }


def as_array(rows: list[dict[str, Any]], key: str) -> np.ndarray:
    return np.array([float(row[key]) for row in rows], dtype=float)
