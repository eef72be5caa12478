"""Protocol steps 1-4: the perturbed truth, the break, and every junction's state."""

from __future__ import annotations

import copy
import math
import os
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

G = 9.81
BREAK_JUNCTION = "LEAK-J"
BREAK_PIPE = "LEAK-P"
NO_WATER, LOW_PRESSURE, OK = "no_water", "low_pressure", "ok"


@dataclass(frozen=True)
class Break:
    """Where the pipe broke and how badly."""

    pipe: str
    split_at: float  # share of the pipe's length from its start node
    f: float  # the opening's share of the pipe's cross-section
    xy: tuple[float, float]  # the new junction, in the network's coordinates
    leak_m3s: float


def set_snapshot(wn: Any) -> None:
    """Step 1: a pressure-driven snapshot at the morning peak."""
    options = wn.options
    options.time.duration = 0
    options.time.pattern_start = 7 * 3600
    options.hydraulic.demand_model = "PDD"
    options.hydraulic.required_pressure = 15.0
    options.hydraulic.minimum_pressure = 0.0


def perturbed(wn: Any, rng: np.random.Generator) -> Any:
    """Step 2: a copy whose demands and roughnesses are not the model's."""
    truth = copy.deepcopy(wn)
    set_snapshot(truth)
    for name in truth.junction_name_list:
        factor = float(rng.lognormal(0.0, 0.25))
        for demand in truth.get_node(name).demand_timeseries_list:
            demand.base_value *= factor
    for name in truth.pipe_name_list:
        truth.get_link(name).roughness *= float(rng.uniform(0.8, 1.2))
    return truth


def pick_pipe(wn: Any, rng: np.random.Generator) -> str:
    """Step 3's pipe: longer than 1 m, chosen with probability proportional to length."""
    names = [n for n in wn.pipe_name_list if wn.get_link(n).length > 1.0]
    lengths = np.array([wn.get_link(n).length for n in names], dtype=float)
    return str(names[int(rng.choice(len(names), p=lengths / lengths.sum()))])


def pressures(wn: Any, junctions: list[str], workdir: str) -> tuple[np.ndarray, Any]:
    """EPANET's pressures (m) at the given junctions, and the whole result."""
    import wntr

    result = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=os.path.join(workdir, "run"))
    return result.node["pressure"].loc[:, junctions].iloc[0].to_numpy(dtype=float), result


def add_break(truth: Any, rng: np.random.Generator) -> tuple[str, float, float]:
    """Step 3 in place: split a pipe and put an orifice emitter on the new junction."""
    import wntr

    pipe = pick_pipe(truth, rng)
    split_at = float(rng.uniform(0.0, 1.0))
    f = float(math.exp(rng.uniform(math.log(0.1), 0.0)))
    diameter = truth.get_link(pipe).diameter
    wntr.morph.split_pipe(
        truth, pipe, BREAK_PIPE, BREAK_JUNCTION, split_at_point=split_at, return_copy=False
    )
    area = f * math.pi * diameter**2 / 4.0
    truth.get_node(BREAK_JUNCTION).emitter_coefficient = 0.75 * area * math.sqrt(2 * G)
    return pipe, split_at, f


def node_states(before: np.ndarray, after: np.ndarray) -> list[str]:
    """Step 4: no water below 5 m; low pressure below 15 m or after a drop of more than 15 m."""
    states = []
    for p0, p1 in zip(before, after, strict=True):
        if p1 < 5.0:
            states.append(NO_WATER)
        elif p1 < 15.0 or p0 - p1 > 15.0:
            states.append(LOW_PRESSURE)
        else:
            states.append(OK)
    return states


def simulate_break(wn: Any, rng: np.random.Generator) -> tuple[Break, list[str]]:
    """Steps 1-4 for one scenario: the break and the state of every junction of `wn`."""
    junctions = list(wn.junction_name_list)
    truth = perturbed(wn, rng)
    with tempfile.TemporaryDirectory(prefix="leakbench-") as workdir:
        before, _ = pressures(truth, junctions, workdir)
        pipe, split_at, f = add_break(truth, rng)
        after, result = pressures(truth, junctions, workdir)
    leak = float(result.node["demand"].loc[:, BREAK_JUNCTION].iloc[0])
    x, y = truth.get_node(BREAK_JUNCTION).coordinates
    found = Break(pipe=pipe, split_at=split_at, f=f, xy=(float(x), float(y)), leak_m3s=leak)
    return found, node_states(before, after)
