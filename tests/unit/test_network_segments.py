"""Valve segments of the hand-made town network (drawn in tests/network_town.py)."""

from __future__ import annotations

import networkx as nx
import pytest

from statusmap.network.model import Network
from statusmap.network.model import NetworkError
from statusmap.network.model import bundled_network_path
from statusmap.network.model import load_network
from statusmap.network.segments import Segments
from statusmap.network.segments import valve_segments
from statusmap.network.valves import Valve
from statusmap.network.valves import strategic_valve_layer
from tests.network_town import TOWN_LAYER
from tests.network_town import town

# segment -> (a pipe in it, its pipes, its nodes, its bounding valves), as worked out by hand
BY_HAND = {
    "A": ("P1", ["P1"], ["J1", "R1"], [("P2", "J1"), ("P4", "J1")]),
    "B": ("P2", ["P2"], ["J2"], [("P2", "J1"), ("P3", "J2")]),
    "C": ("P5", ["P3", "P5", "P6"], ["J3", "J5"], [("P3", "J2"), ("P6", "J4"), ("P7", "J5")]),
    "D": ("P4", ["P4"], ["J4"], [("P4", "J1"), ("P6", "J4")]),
    "E": ("P7", ["P7"], ["J6"], [("P7", "J5"), ("P8", "J6")]),
    "F": ("P8", ["P8"], ["J7"], [("P8", "J6")]),
}


@pytest.mark.parametrize("name", sorted(BY_HAND))
def test_each_segment_has_the_pipes_nodes_and_bounding_valves_found_by_hand(name: str) -> None:
    segments = valve_segments(town(), TOWN_LAYER)
    pipe, pipes, nodes, valves = BY_HAND[name]
    seg = segments.link_segment[pipe]
    assert segments.pipes(seg) == pipes
    assert segments.nodes(seg) == nodes
    assert segments.valves(seg) == valves


def test_six_segments_and_every_link_and_node_has_one() -> None:
    segments = valve_segments(town(), TOWN_LAYER)
    assert len(segments.numbers) == 6
    assert sorted(segments.link_segment) == [f"P{i}" for i in range(1, 9)]
    assert sorted(segments.node_segment) == ["J1", "J2", "J3", "J4", "J5", "J6", "J7", "R1"]


def test_a_valve_inside_a_loop_bounds_nothing() -> None:
    """With only P2,J1: J1 still reaches J2 round the loop, so everything is one segment."""
    segments = valve_segments(town(), [("P2", "J1")])
    assert segments.numbers == [segments.link_segment["P1"]]
    assert segments.valves(segments.numbers[0]) == []
    assert segments.neighbour(("P2", "J1"), segments.numbers[0]) is None


def test_no_valves_at_all_make_one_segment_of_everything() -> None:
    segments = valve_segments(town(), [])
    (seg,) = segments.numbers
    assert segments.pipes(seg) == [f"P{i}" for i in range(1, 9)]
    assert segments.valves(seg) == []


def test_the_segment_across_a_bounding_valve() -> None:
    segments = valve_segments(town(), TOWN_LAYER)
    b, c = segments.link_segment["P2"], segments.link_segment["P3"]
    assert segments.neighbour(("P3", "J2"), b) == c
    assert segments.neighbour(("P3", "J2"), c) == b


def test_a_valve_off_the_network_is_refused() -> None:
    with pytest.raises(NetworkError, match="J7 is not an end of pipe P2"):
        valve_segments(town(), [("P2", "J7")])


def test_closing_a_segments_valves_cuts_it_off_and_each_one_is_needed() -> None:
    """On Net3 with wntr's N-2 layer: with every bounding valve of a segment closed, what is still
    joined to the segment is exactly the segment; opening any one of them joins something else."""
    network = load_network(bundled_network_path("Net3"))
    layer = strategic_valve_layer(network)
    segments = valve_segments(network, layer)
    for seg in segments.numbers:
        members = _members(segments, seg)
        closed = set(segments.valves(seg))
        assert _reached(network, closed, next(iter(members))) == members, seg
        for valve in closed:
            assert _reached(network, closed - {valve}, next(iter(members))) > members, (seg, valve)


def _members(segments: Segments, seg: int) -> set[tuple[str, str]]:
    links = {("link", k) for k, s in segments.link_segment.items() if s == seg}
    return links | {("node", n) for n, s in segments.node_segment.items() if s == seg}


def _reached(network: Network, closed: set[Valve], start: tuple[str, str]) -> set[tuple[str, str]]:
    """Links and nodes joined to `start` when the `closed` valves cut a link from a node."""
    graph = nx.Graph()
    for name, link in network.wn.links():
        for end in (link.start_node_name, link.end_node_name):
            if (name, end) not in closed:
                graph.add_edge(("link", name), ("node", end))
    graph.add_node(start)
    return set(nx.node_connected_component(graph, start))
