"""Valve segments: the parts of the network that closing valves can cut off, and their valves.

A segment is what lies between valves: the nodes joined by pipes without a valve between them,
plus the pipes hanging off them up to a valve. A pipe with a valve at both ends is a segment of its
own, as is a node whose every link has a valve next to it. Numbers come from wntr's
`valve_segments`; the valves that bound a segment are worked out here.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from functools import cached_property

from statusmap.network.model import Network
from statusmap.network.model import NetworkError
from statusmap.network.valves import Valve
from statusmap.network.valves import valve_problem


@dataclass(frozen=True)
class Segments:
    """The segment number of every link and node, and the valve layer they come from."""

    link_segment: dict[str, int]  # every link (pipes, pumps, valves) -> segment number
    node_segment: dict[str, int]
    layer: tuple[Valve, ...] = field(default=(), repr=False)
    pipe_names: frozenset[str] = field(default=frozenset(), repr=False)

    def pipes(self, seg: int) -> list[str]:
        """The pipes of the segment, sorted."""
        return sorted(self._pipes_of.get(seg, ()))

    def nodes(self, seg: int) -> list[str]:
        """The nodes of the segment, sorted."""
        return sorted(self._nodes_of.get(seg, ()))

    def valves(self, seg: int) -> list[Valve]:
        """The valves that bound the segment: closing them all cuts it off from its neighbours."""
        return sorted(self._bounding.get(seg, ()))

    def neighbour(self, valve: Valve, seg: int) -> int | None:
        """The segment on the other side of a valve that bounds `seg` (None if it does not)."""
        sides = self.sides(valve)
        if sides[0] == sides[1] or seg not in sides:
            return None
        return sides[1] if sides[0] == seg else sides[0]

    def sides(self, valve: Valve) -> tuple[int, int]:
        """The segments of the valve's pipe and of its node: equal for a valve inside a segment."""
        link, node = valve
        return self.link_segment[link], self.node_segment[node]

    @property
    def numbers(self) -> list[int]:
        return sorted(set(self.link_segment.values()) | set(self.node_segment.values()))

    @cached_property
    def _pipes_of(self) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = defaultdict(list)
        for link, seg in self.link_segment.items():
            if link in self.pipe_names:
                grouped[seg].append(link)
        return grouped

    @cached_property
    def _nodes_of(self) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = defaultdict(list)
        for node, seg in self.node_segment.items():
            grouped[seg].append(node)
        return grouped

    @cached_property
    def _bounding(self) -> dict[int, list[Valve]]:
        grouped: dict[int, list[Valve]] = defaultdict(list)
        for valve in self.layer:
            pipe_side, node_side = self.sides(valve)
            if pipe_side != node_side:  # a valve inside a segment separates nothing
                grouped[pipe_side].append(valve)
                grouped[node_side].append(valve)
        return grouped


def valve_segments(network: Network, valves: list[Valve]) -> Segments:
    """The segments the valve layer divides the network into (wntr's numbering)."""
    import pandas as pd
    import wntr

    for valve in valves:
        problem = valve_problem(network, valve, pipes_only=False)
        if problem:
            raise NetworkError(f"valve {valve[0]},{valve[1]}: {problem}")
    layer = tuple(dict.fromkeys(valves))
    frame = pd.DataFrame(list(layer), columns=["link", "node"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        node_seg, link_seg, _sizes = wntr.metrics.topographic.valve_segments(
            network.wn.to_graph(), frame
        )
    return Segments(
        link_segment={str(k): int(v) for k, v in link_seg.items()},
        node_segment={str(k): int(v) for k, v in node_seg.items()},
        layer=layer,
        pipe_names=frozenset(network.wn.pipe_name_list),
    )
