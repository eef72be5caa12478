"""Isolating a pipe: which valves to close, and what closing them cuts off.

The pipe's valve segment is shut in by the valves that bound it. A valve that cannot be closed
(broken, seized, already closed and unusable) lets the isolation grow through it into the next
segment, repeatedly. Closing the valves also cuts off every part left with no path to a source
(reservoir or tank): those segments hang off the isolated one and lose supply too.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import networkx as nx
from shapely import STRtree
from shapely.geometry import Point

from statusmap.network.model import Network
from statusmap.network.model import NetworkError
from statusmap.network.segments import Segments
from statusmap.network.segments import valve_segments
from statusmap.network.valves import Valve

_trees: weakref.WeakKeyDictionary[Any, tuple[list[str], STRtree]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Isolation:
    """What isolating one pipe takes and what it cuts off (isolated part included)."""

    pipe: str
    valves_to_close: list[Valve]
    pipes: list[str]
    nodes: list[str]
    cut_off_segments: list[int]  # segments that lose supply because they hang off the isolated one
    demand_m3s: float  # total base demand of every junction cut off (isolated + hanging)
    isolated_segments: list[int] = field(default_factory=list)  # the pipe's, grown through broken

    def as_json(self, network: Network) -> dict[str, Any]:
        """What `statusmap isolate` prints."""
        length = sum(network.pipe_length_m(name) for name in self.pipes)
        return {
            "pipe": self.pipe,
            "valves_to_close": [[link, node] for link, node in self.valves_to_close],
            "pipes": self.pipes,
            "nodes": self.nodes,
            "isolated_segments": self.isolated_segments,
            "cut_off_segments": self.cut_off_segments,
            "demand_cut_off_m3s": round(self.demand_m3s, 9),
            "demand_cut_off_lps": round(self.demand_m3s * 1000.0, 6),
            "pipe_length_cut_off_m": round(length, 1),
        }


def nearest_pipe(network: Network, x: float, y: float) -> str:
    """The pipe whose drawn line lies nearest the point (network coordinates)."""
    names = network.pipe_names
    kept = _trees.get(network.wn)
    if kept is None or kept[0] != names:  # built once per model, again if its pipes change
        kept = (names, STRtree([network.pipe_line(name) for name in names]))
        _trees[network.wn] = kept
    return names[int(kept[1].nearest(Point(x, y)))]


_RUNS = re.compile(r"\d+|\D+")


def natural(name: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that puts P2 before P13, as a person reads names (runs of digits as numbers)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _RUNS.findall(name))


def isolate(
    network: Network,
    segments_or_valves: Segments | list[Valve],
    pipe: str,
    broken: Iterable[Valve] = (),
) -> Isolation:
    """Isolate `pipe` with the valves that can be closed; see the module's docstring."""
    segments = segments_or_valves
    if not isinstance(segments, Segments):
        segments = valve_segments(network, list(segments))
    if pipe not in segments.pipe_names:
        if pipe in network.wn.link_name_list:
            kind = network.wn.get_link(pipe).link_type.lower()
            raise NetworkError(f"{pipe} is a {kind}, not a pipe; give a pipe to isolate")
        raise NetworkError(f"the network has no pipe called {pipe}")
    unusable = set(broken)
    unknown = sorted(unusable - set(segments.layer))
    if unknown:
        listed = ", ".join(f"{link},{node}" for link, node in unknown)
        raise NetworkError(f"no valve in the valve layer at {listed}")
    isolated = _grow(segments, segments.link_segment[pipe], unusable)
    to_close = sorted(
        {v for seg in isolated for v in segments.valves(seg)} - unusable,
        key=lambda valve: (natural(valve[0]), natural(valve[1])),
    )
    to_close = [v for v in to_close if not set(segments.sides(v)) <= isolated]
    dry_nodes, dry_links = _without_supply(network, segments, isolated)
    hanging = {segments.node_segment[n] for n in dry_nodes}
    hanging |= {segments.link_segment[k] for k in dry_links}
    nodes = sorted(dry_nodes | {n for seg in isolated for n in segments.nodes(seg)}, key=natural)
    links = dry_links | {k for k, seg in segments.link_segment.items() if seg in isolated}
    return Isolation(
        pipe=pipe,
        valves_to_close=to_close,
        pipes=sorted(links & segments.pipe_names, key=natural),
        nodes=nodes,
        cut_off_segments=sorted(hanging - isolated),
        demand_m3s=_demand(network, nodes),
        isolated_segments=sorted(isolated),
    )


def _grow(segments: Segments, start: int, unusable: set[Valve]) -> set[int]:
    """The start segment and every segment reached through a valve that cannot be closed."""
    isolated = {start}
    frontier = [start]
    while frontier:
        seg = frontier.pop()
        for valve in segments.valves(seg):
            if valve not in unusable:
                continue
            other = segments.neighbour(valve, seg)
            if other is not None and other not in isolated:
                isolated.add(other)
                frontier.append(other)
    return isolated


def _without_supply(
    network: Network, segments: Segments, isolated: set[int]
) -> tuple[set[str], set[str]]:
    """Nodes and links outside the isolation left with no path to a reservoir or tank.

    A link is wet while one of its ends outside the isolation is (the valve at an isolated end is
    closed); a link the model closes for good carries no water but stays full from a wet end.
    """
    wn = network.wn
    shut = _shut(network)
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(n for n, seg in segments.node_segment.items() if seg not in isolated)
    outside: dict[str, list[str]] = {}
    for name, link in wn.links():
        if segments.link_segment[name] in isolated:
            continue
        outside[name] = [n for n in (link.start_node_name, link.end_node_name) if n in graph]
        if len(outside[name]) == 2 and name not in shut:
            graph.add_edge(*outside[name])
    sources = [n for n in wn.reservoir_name_list + wn.tank_name_list if n in graph]
    wet: set[str] = set().union(*(nx.node_connected_component(graph, s) for s in sources))
    dry_links = {name for name, ends in outside.items() if not wet.intersection(ends)}
    return set(graph.nodes) - wet, dry_links


def _shut(network: Network) -> set[str]:
    """Links closed in the model for good: closed at the start and never opened by a control."""
    wn = network.wn
    controlled = set()
    for _name, control in wn.controls():
        for action in control.actions():
            target, attribute = action.target()
            if attribute == "status":
                controlled.add(target.name)
    closed = {name for name, link in wn.links() if _status(link) == "closed"}
    return closed - controlled


def _status(link: Any) -> str:
    status = getattr(link, "initial_status", None)
    return str(getattr(status, "name", status)).lower()


def _demand(network: Network, nodes: list[str]) -> float:
    junctions = set(network.wn.junction_name_list)
    return sum(network.base_demand(n) for n in nodes if n in junctions)
