"""The leak localiser: rank pipes and valve segments by how well one break there explains reports.

`prepare` does the per-network work once (break signatures, cached on disk; what each would make
residents report); `locate` then answers one set of reports in well under a second. The posterior
over pipes is the prior (a pipe breaks in proportion to its length) times the likelihood
(likelihood.py), summed over the break's unknown size; a segment scores the sum of its pipes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import logsumexp
from shapely import STRtree
from shapely.affinity import scale

from statusmap.network import evidence
from statusmap.network import likelihood
from statusmap.network.distances import share_within
from statusmap.network.households import households_per_junction
from statusmap.network.kept_arrays import kept
from statusmap.network.model import Network
from statusmap.network.pace import pace_log_likelihood
from statusmap.network.reports import Report
from statusmap.network.reports import check_usable
from statusmap.network.reports import parse_collection
from statusmap.network.segments import Segments
from statusmap.network.segments import valve_segments
from statusmap.network.signatures import OPENINGS
from statusmap.network.signatures import load_or_compute
from statusmap.network.valves import Valve

NEAR_M = 300.0  # the radius within which finding the break counts as found (BattLeDIM's)
PRIOR_BREAK = 0.5  # before any report, as likely a break as a coincidence of false alarms


@dataclass(frozen=True)
class Prepared:
    network: Network
    segments: Segments
    model: likelihood.Model
    base: np.ndarray  # (J,) pressures of the unbroken model
    broken: np.ndarray  # (P, openings, J)
    log_prior: np.ndarray  # (P,) log share of the network's length
    near_share: np.ndarray  # (P, P) share of q within NEAR_M along the network of p's middle
    seconds: float  # how long preparing took


def _intensity(network: Network, base: np.ndarray, broken: np.ndarray) -> np.ndarray:
    households = households_per_junction(network)
    pressures = np.concatenate([broken.reshape(-1, broken.shape[-1]), base[None, :]])
    return evidence.intensities(pressures, base[None, :], households[:, None]).astype(np.float32)


def _model(network: Network, intensity: np.ndarray) -> likelihood.Model:
    to_m = network.units_to_m
    lines = [scale(network.pipe_line(p), to_m, to_m, origin=(0, 0)) for p in network.pipe_names]
    x0, y0, x1, y1 = network.extent
    area = max((x1 - x0) * (y1 - y0) * to_m**2, 1.0)
    return likelihood.Model(
        junction_xy=network.junction_xy_m,
        intensity=intensity,
        total=intensity.sum(axis=(1, 2)).astype(float),
        area_m2=area,
        pipe_lines_m=lines,
        pipe_tree=STRtree(lines),
        pipe_length_m=np.array([line.length for line in lines]),
    )


def prepare(network: Network, valves: list[Valve], cache_dir: Path | str | None = None) -> Prepared:
    """Everything a query needs of this network and valve layer."""
    started = time.perf_counter()
    cache = Path(cache_dir) if cache_dir else None
    signatures = load_or_compute(network, cache)
    layer = "\n".join(f"{link},{node}" for link, node in valves)
    name = f"derived-{network.digest[:24]}-{hashlib.sha256(layer.encode()).hexdigest()[:12]}"

    def derive() -> dict[str, np.ndarray]:
        segments = valve_segments(network, valves)
        return {
            "intensity": _intensity(network, signatures.base, signatures.broken),
            "near_share": share_within(network, NEAR_M),
            "links": np.array(list(segments.link_segment), dtype=str),
            "link_segments": np.array(list(segments.link_segment.values()), dtype=np.int64),
            "nodes": np.array(list(segments.node_segment), dtype=str),
            "node_segments": np.array(list(segments.node_segment.values()), dtype=np.int64),
        }

    arrays = kept(cache, name, derive)
    model = _model(network, arrays["intensity"])
    lengths = np.maximum(model.pipe_length_m, 0.1)
    segments = Segments(
        link_segment=_named(arrays["links"], arrays["link_segments"]),
        node_segment=_named(arrays["nodes"], arrays["node_segments"]),
        layer=tuple(dict.fromkeys(valves)),
        pipe_names=frozenset(network.wn.pipe_name_list),
    )
    return Prepared(
        network=network,
        segments=segments,
        model=model,
        base=signatures.base,
        broken=signatures.broken,
        log_prior=np.log(lengths / lengths.sum()),
        near_share=arrays["near_share"],
        seconds=time.perf_counter() - started,
    )


def _named(names: np.ndarray, numbers: np.ndarray) -> dict[str, int]:
    return {str(name): int(number) for name, number in zip(names, numbers, strict=True)}


@dataclass(frozen=True)
class Posterior:
    pipes: np.ndarray  # (P,) probability that the break is on each pipe, given one break
    near: np.ndarray  # (P,) probability that it lies within NEAR_M along the network of each
    hypotheses: np.ndarray  # (P, openings) the same, by opening
    confidence: float  # probability that one break explains the reports at all


def posterior(prepared: Prepared, reports: list[Report]) -> Posterior:
    model, to_m = prepared.model, prepared.network.units_to_m
    openings = len(OPENINGS)
    spatial = likelihood.spatial_log_likelihood(model, reports, to_m)
    spatial += pace_log_likelihood(model.total, reports)
    seen = likelihood.leak_seen_log_likelihood(model, reports, to_m)
    pipes = len(prepared.log_prior)
    ll = spatial[:-1].reshape(pipes, openings) + seen[:-1, None]
    log_joint = ll + prepared.log_prior[:, None] - np.log(openings)
    log_break = float(logsumexp(log_joint))
    log_none = float(spatial[-1] + seen[-1])
    hypotheses = np.exp(log_joint - log_break)
    odds = log_break - log_none + np.log(PRIOR_BREAK / (1 - PRIOR_BREAK))
    confidence = float(1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700))))
    on_pipe = hypotheses.sum(axis=1)
    near = prepared.near_share @ on_pipe
    return Posterior(on_pipe, near, hypotheses, confidence)


def locate(prepared: Prepared, reports: Any, top: int = 50, suggest: int = 0) -> dict[str, Any]:
    """The contract's answer for one set of reports (a FeatureCollection or parsed reports)."""
    from statusmap.network.answer import answer

    if isinstance(reports, dict):
        reports = parse_collection(reports, "reports")
    check_usable(prepared.network, reports, "reports")
    return answer(prepared, posterior(prepared, reports), reports, top, suggest)
