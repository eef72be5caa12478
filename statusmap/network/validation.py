"""Checks of a network and its valve layer, with messages a person can act on.

Errors make the engine's answers wrong (parts with no source, valves off the network, a model
EPANET refuses); warnings are worth a look (dangling pipes, often a drawing slip).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from statusmap.network.model import Network
from statusmap.network.model import NetworkError
from statusmap.network.valves import Valve
from statusmap.network.valves import valve_problem

SHOWN = 10  # names listed in one message before "and N more"


@dataclass(frozen=True)
class Problem:
    severity: Literal["error", "warning"]
    message: str


def validate(network: Network, valves: list[Valve] | None = None) -> list[Problem]:
    """Every problem found, errors first."""
    graph = network.wn.to_graph().to_undirected()
    problems = [*_disconnected(network, graph), *_misplaced(network, valves or [])]
    problems += _unsolvable(network)
    problems += _dangling(network, graph)
    return sorted(problems, key=lambda p: p.severity != "error")


def check(network: Network, valves: list[Valve] | None = None) -> list[Problem]:
    """Raise `NetworkError` with every error; return the warnings for the caller to show."""
    problems = validate(network, valves)
    errors = [p.message for p in problems if p.severity == "error"]
    if errors:
        raise NetworkError("; ".join(errors))
    return [p for p in problems if p.severity == "warning"]


def listed(names: list[str]) -> str:
    """Names joined by commas, the first few only: "J1, J2, J3 and 37 more"."""
    shown = ", ".join(names[:SHOWN])
    return shown if len(names) <= SHOWN else f"{shown} and {len(names) - SHOWN} more"


def natural(name: str) -> list[object]:
    """A sort key putting J2 before J10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _dangling(network: Network, graph: nx.MultiGraph) -> list[Problem]:
    wn = network.wn
    sources = set(wn.reservoir_name_list) | set(wn.tank_name_list)
    dangling = []
    for name in wn.pipe_name_list:
        pipe = wn.get_link(name)
        for end in (pipe.start_node_name, pipe.end_node_name):
            lonely = graph.degree(end) == 1 and end not in sources
            if lonely and network.base_demand(end) == 0:
                dangling.append(f"{name} (at {end})")
                break
    if not dangling:
        return []
    return [
        Problem(
            "warning",
            f"{len(dangling)} dangling pipe(s) end at a node with no other link, no demand and "
            f"no tank or reservoir: {listed(dangling)}",
        )
    ]


def _disconnected(network: Network, graph: nx.MultiGraph) -> list[Problem]:
    wn = network.wn
    sources = wn.reservoir_name_list + wn.tank_name_list
    if not sources:
        return [Problem("error", "the network has no reservoir or tank: nothing supplies it")]
    fed: set[str] = set().union(*(nx.node_connected_component(graph, s) for s in sources))
    problems = []
    for part in nx.connected_components(graph.subgraph(set(graph.nodes) - fed)):
        names = sorted(part, key=natural)
        problems.append(
            Problem(
                "error",
                f"a disconnected part of {len(names)} node(s) has no path to any reservoir or "
                f"tank: {listed(names)}",
            )
        )
    return problems


def _misplaced(network: Network, valves: list[Valve]) -> list[Problem]:
    bad = []
    for valve in dict.fromkeys(valves):
        problem = valve_problem(network, valve, pipes_only=False)
        if problem:
            bad.append(f"{valve[0]},{valve[1]} ({problem})")
    if not bad:
        return []
    return [Problem("error", f"{len(bad)} valve(s) not on a pipe of the network: {listed(bad)}")]


def _unsolvable(network: Network) -> list[Problem]:
    """Run EPANET once on a snapshot of the model; its refusal becomes an error."""
    import wntr

    wn = network.wn
    duration = wn.options.time.duration
    wn.options.time.duration = 0  # one snapshot says whether EPANET can solve it
    logging.getLogger("wntr").setLevel(logging.ERROR)
    try:
        # EPANET leaves its scratch files (en??????) in the working directory when it fails
        with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
            wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=os.path.join(folder, "check"))
    except Exception as error:  # EpanetException, or wntr failing to write the model
        message = str(error).replace(" %s", "").strip()
        return [Problem("error", f"EPANET cannot solve the model: {message}")]
    finally:
        wn.options.time.duration = duration
    return []
