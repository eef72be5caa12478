"""Break signatures: what every junction's pressure would be if one pipe broke, for a few sizes.

Prepared once per network (about 3 ms per EPANET solve) and kept on disk keyed by the network's
content, so a query only reads arrays.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from statusmap.network import hydraulics
from statusmap.network.kept_arrays import make_room
from statusmap.network.kept_arrays import read_arrays
from statusmap.network.kept_arrays import write_arrays
from statusmap.network.model import Network

log = logging.getLogger(__name__)

# Openings (share of the bore): the centres of five equal bins of log10 over [0.1, 1], so a break
# of any size in that range is within a factor of 1.26 of one of them.
OPENINGS = tuple(float(10 ** (-0.9 + 0.2 * k)) for k in range(5))
FORMAT = 1  # bump when the arrays' meaning changes: old cache files are then ignored


@dataclass(frozen=True)
class Signatures:
    """Junction pressures (m) of the unbroken model and of every (pipe, opening) break."""

    pipes: list[str]
    junctions: list[str]
    base: np.ndarray  # (junctions,)
    broken: np.ndarray  # (pipes, openings, junctions), float32


def _pressures_move(network: Network, base: np.ndarray, pipes: list[str]) -> bool:
    wn = hydraulics.snapshot_model(network)
    hydraulics.split_at_midpoints(wn, pipes, list(range(len(pipes))))
    with hydraulics.solver(wn, network.junction_names) as opened:
        split = opened.pressures()
    return bool(np.nanmax(np.abs(split - base)) > hydraulics.SAME_PRESSURE_M)


def pipes_that_change_the_model(network: Network, base: np.ndarray, pipes: list[str]) -> list[str]:
    """The pipes whose split alone moves pressures elsewhere (group testing by halves)."""
    if not _pressures_move(network, base, pipes):
        return []
    if len(pipes) == 1:
        return pipes
    half = len(pipes) // 2
    found: list[str] = []
    for part in (pipes[:half], pipes[half:]):
        found += pipes_that_change_the_model(network, base, part)
    if not found:  # only the two halves together move it: keep the smaller group whole
        log.warning("splitting %d pipes together changes the model; solved one by one", len(pipes))
        return pipes if len(pipes) <= 16 else []
    return found


def _solve_breaks(network: Network, wn: object, pipes: dict[int, str]) -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    with hydraulics.solver(wn, network.junction_names) as opened:
        for index, pipe in pipes.items():
            node = opened.index(hydraulics.midpoint_name(index))
            diameter = network.wn.get_link(pipe).diameter
            rows = [
                opened.pressures(node, hydraulics.emitter_lps(diameter, opening))
                for opening in OPENINGS
            ]
            out[index] = np.asarray(rows, dtype=np.float32)
    return out


def compute_signatures(network: Network) -> Signatures:
    """Solve every pipe's breaks: the shared split model, and a model each for the odd pipes."""
    pipes = network.pipe_names
    base = hydraulics.base_pressures(network)
    odd = set(pipes_that_change_the_model(network, base, pipes))
    shared = {i: p for i, p in enumerate(pipes) if p not in odd}
    wn = hydraulics.snapshot_model(network)
    hydraulics.split_at_midpoints(wn, list(shared.values()), list(shared))
    rows = _solve_breaks(network, wn, shared)
    for index, pipe in enumerate(pipes):
        if pipe in odd:
            alone = hydraulics.snapshot_model(network)
            hydraulics.split_at_midpoints(alone, [pipe], [index])
            rows.update(_solve_breaks(network, alone, {index: pipe}))
    broken = np.stack([rows[i] for i in range(len(pipes))])
    return Signatures(pipes, network.junction_names, base.astype(np.float32), broken)


def _cache_path(cache_dir: Path, network: Network) -> Path:
    return cache_dir / f"signatures-{network.digest[:24]}-v{FORMAT}.npz"


def load_or_compute(network: Network, cache_dir: Path | None) -> Signatures:
    """The network's signatures from the cache when it holds them, else computed (and kept)."""
    path = _cache_path(cache_dir, network) if cache_dir is not None else None
    if path is not None:
        kept = _fitting(read_arrays(path), network, path)
        if kept is not None:
            return kept
        make_room(path.parent)  # refuse an unusable directory before minutes of solving
    signatures = compute_signatures(network)
    if path is not None:
        arrays = {
            "pipes": np.array(signatures.pipes),
            "junctions": np.array(signatures.junctions),
            "base": signatures.base,
            "broken": signatures.broken,
        }
        write_arrays(path, arrays)
    return signatures


def _fitting(
    arrays: dict[str, np.ndarray] | None, network: Network, path: Path
) -> Signatures | None:
    """The kept signatures, or None when there are none or they are not this network's."""
    if arrays is None:
        return None
    try:
        kept = Signatures(
            [str(p) for p in arrays["pipes"]],
            [str(j) for j in arrays["junctions"]],
            arrays["base"],
            arrays["broken"],
        )
    except KeyError:
        kept = None
    shape = (len(network.pipe_names), len(OPENINGS), len(network.junction_names))
    if kept is None or kept.pipes != network.pipe_names or kept.broken.shape != shape:
        log.warning("the cached signatures in %s do not fit the network; computing again", path)
        return None
    return kept
