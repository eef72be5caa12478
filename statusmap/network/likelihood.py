"""How well one break explains a set of reports: a log-likelihood per (pipe, opening), and for none.

Reports are treated as marks of one Poisson process: under a hypothesis, a report of kind k at x
has density sum_j lambda_jk N(x; junction j, sigma) / Lambda, where lambda are the expected reports
(evidence.intensities) and Lambda their total. Asking when the K-th positive report has come is a
stopping rule on the marks, which leaves this likelihood as it is; times are not used. A small
share of every kind is spread evenly over the network, so a stray report never rules a break out.

A "leak seen" report is point evidence of its own: it lies near the break (within about 50 m),
else it is a false alarm anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely import STRtree
from shapely import buffer
from shapely import intersection
from shapely import length
from shapely.geometry import Point

from statusmap.network import evidence
from statusmap.network.reports import Report

POSITION_SD_M = 30.0  # how far a report lies from the junction whose households sent it
LEAK_SEEN_RADIUS_M = 60.0
LEAK_SEEN_TRUE = 0.9  # share of "leak seen" reports that lie near the break
STRAY_SHARE = 0.02  # share of each kind spread evenly over the network's area


@dataclass(frozen=True)
class Model:
    """What a query needs of a prepared network, in metres."""

    junction_xy: np.ndarray  # (J, 2)
    intensity: np.ndarray  # (H + 1, J, kinds): H = pipes x openings, the last row no break
    total: np.ndarray  # (H + 1,) expected reports of all kinds
    area_m2: float
    pipe_lines_m: list  # shapely LineStrings in metres, pipe order
    pipe_tree: STRtree
    pipe_length_m: np.ndarray  # (P,)


def _kernel(model: Model, points: np.ndarray) -> np.ndarray:
    """(J, n) Gaussian densities of each report around each junction."""
    d2 = ((model.junction_xy[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    var = POSITION_SD_M**2
    out = np.exp(-d2 / (2 * var)) / (2 * np.pi * var)
    out[d2 > (5 * POSITION_SD_M) ** 2] = 0.0
    return out


def spatial_log_likelihood(model: Model, reports: list[Report], to_m: float) -> np.ndarray:
    """(H + 1,) log-likelihood of the reports other than "leak seen", for every hypothesis."""
    ll = np.zeros(model.total.shape[0])
    counted = 0
    for k, kind in enumerate(evidence.KINDS):
        points = np.array([(r.x * to_m, r.y * to_m) for r in reports if r.kind == kind])
        if len(points) == 0:
            continue
        counted += len(points)
        density = model.intensity[:, :, k] @ _kernel(model, points)  # (H + 1, n)
        stray = STRAY_SHARE * model.total / len(evidence.KINDS) / model.area_m2
        ll += np.log(density * (1 - STRAY_SHARE) + stray[:, None]).sum(axis=1)
    return ll - counted * np.log(model.total)


def leak_seen_log_likelihood(model: Model, reports: list[Report], to_m: float) -> np.ndarray:
    """(P + 1,) log-likelihood of the "leak seen" reports per pipe, and with no break (last)."""
    seen = [Point(r.x * to_m, r.y * to_m) for r in reports if r.kind == "leak_seen"]
    pipes = len(model.pipe_lines_m)
    ll = np.zeros(pipes + 1)
    disc = np.pi * LEAK_SEEN_RADIUS_M**2
    for point in seen:
        near = np.zeros(pipes)
        circle = buffer(point, LEAK_SEEN_RADIUS_M)
        hits = model.pipe_tree.query(circle, predicate="intersects")
        if len(hits):
            lines = [model.pipe_lines_m[i] for i in hits]
            inside = length(intersection(np.array(lines, dtype=object), circle))
            near[hits] = inside / (np.maximum(model.pipe_length_m[hits], 1.0) * disc)
        anywhere = 1.0 / model.area_m2
        ll[:pipes] += np.log(LEAK_SEEN_TRUE * near + (1 - LEAK_SEEN_TRUE) * anywhere)
        ll[pipes] += np.log(anywhere)
    return ll
