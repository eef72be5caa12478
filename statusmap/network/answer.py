"""The localiser's answer as the `statusmap locate` contract has it: ranked pipes and segments,
a point to start looking, the confidence, and (when asked) where to ask residents."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

import numpy as np
from shapely.geometry import Point

from statusmap.network.likelihood import LEAK_SEEN_RADIUS_M
from statusmap.network.reports import Report

if TYPE_CHECKING:
    from statusmap.network.localiser import Posterior
    from statusmap.network.localiser import Prepared


# A pipe's score: mostly the chance that the break lies within NEAR_M along the network of its
# middle (where a crew would start), partly the chance that it is on the pipe itself. Chosen on
# the benchmark's tuning seeds (1000-1299), the same for every network.
NEAR_WEIGHT = 0.8


def _score(value: float) -> float:
    return float(f"{value:.6g}")


def ranked_pipes(prepared: Prepared, post: Posterior, top: int) -> list[dict[str, Any]]:
    names = prepared.network.pipe_names
    value = post.pipes * (1 - NEAR_WEIGHT) + post.near * NEAR_WEIGHT
    order = np.argsort(-value, kind="stable")[:top]
    return [{"id": names[i], "score": _score(value[i])} for i in order]


def ranked_segments(prepared: Prepared, post: Posterior, top: int) -> list[dict[str, Any]]:
    segments = prepared.segments
    names = prepared.network.pipe_names
    totals: dict[int, float] = {}
    for index, name in enumerate(names):
        number = segments.link_segment[name]
        totals[number] = totals.get(number, 0.0) + float(post.pipes[index])
    best = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [
        {
            "id": str(number),
            "pipes": segments.pipes(number),
            "valves": [list(valve) for valve in segments.valves(number)],
            "score": _score(score),
        }
        for number, score in best
    ]


def search_point(prepared: Prepared, pipe: str, reports: list[Report]) -> list[float]:
    """Where to start looking on the top pipe: by a "leak seen" report near it, else its middle."""
    network = prepared.network
    line = network.pipe_line(pipe)
    radius = LEAK_SEEN_RADIUS_M / network.units_to_m
    seen = [Point(r.x, r.y) for r in reports if r.kind == "leak_seen"]
    near = [p for p in seen if line.distance(p) <= radius]
    if near:
        spot = line.interpolate(line.project(near[0]))
        return [float(spot.x), float(spot.y)]
    return [float(c) for c in network.pipe_midpoint(pipe)]


def answer(
    prepared: Prepared, post: Posterior, reports: list[Report], top: int, suggest: int
) -> dict[str, Any]:
    pipes = ranked_pipes(prepared, post, top)
    out: dict[str, Any] = {
        "pipes": pipes,
        "segments": ranked_segments(prepared, post, top),
        "point": search_point(prepared, pipes[0]["id"], reports),
        "confidence": _score(post.confidence),
    }
    if suggest > 0:
        from statusmap.network.ask import places_to_ask

        out["ask"] = places_to_ask(prepared, post, suggest)
    return out
