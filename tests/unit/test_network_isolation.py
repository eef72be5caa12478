"""Isolating a pipe of the hand-made town network (drawn in tests/network_town.py).

    R1 ---P1--- J1 o--P2--- J2 o--P3--- J3
                o                       |
                |P4                     |P5
                |                       |
                J4 o--------P6--------- J5 o--P7--- J6 o--P8--- J7

Segments: A = R1, J1 (P1); B = J2 (P2); C = J3, J5 (P3, P5, P6); D = J4 (P4); E = J6 (P7);
F = J7 (P8). Demands J1..J7 are 1..7 L/s.
"""

from __future__ import annotations

import networkx as nx
import pytest

from statusmap.network.isolation import Isolation
from statusmap.network.isolation import isolate
from statusmap.network.isolation import natural
from statusmap.network.isolation import nearest_pipe
from statusmap.network.model import NetworkError
from statusmap.network.model import bundled_network_path
from statusmap.network.model import load_network
from statusmap.network.segments import Segments
from statusmap.network.segments import valve_segments
from statusmap.network.valves import strategic_valve_layer
from tests.network_town import TOWN_LAYER
from tests.network_town import town

ALL_PIPES = [f"P{i}" for i in range(1, 9)]
ALL_NODES = ["J1", "J2", "J3", "J4", "J5", "J6", "J7", "R1"]


def _segments() -> Segments:
    return valve_segments(town(), TOWN_LAYER)


def _names(segments: Segments, isolation: Isolation) -> list[str]:
    """The cut-off segments by their letters in the drawing (named by the pipe in each)."""
    letter = {segments.link_segment[p]: name for p, name in zip(ALL_PIPES, "ABCDCCEF", strict=True)}
    return sorted(letter[seg] for seg in isolation.cut_off_segments)


def test_a_node_fed_from_two_sides_keeps_its_water() -> None:
    """Shutting P2 (segment B) takes J2 only: J3 is still fed the other way, R1-J1-J4-J5-J3."""
    result = isolate(town(), _segments(), "P2")
    assert result.valves_to_close == [("P2", "J1"), ("P3", "J2")]
    assert result.pipes == ["P2"]
    assert result.nodes == ["J2"]
    assert result.cut_off_segments == []
    assert result.demand_m3s == pytest.approx(0.002)


def test_a_dead_end_beyond_the_isolated_pipe_is_cut_off() -> None:
    """Shutting P7 (segment E, J6) leaves J7 beyond it with no path to R1."""
    segments = _segments()
    result = isolate(town(), segments, "P7")
    assert result.valves_to_close == [("P7", "J5"), ("P8", "J6")]
    assert result.nodes == ["J6", "J7"]
    assert result.pipes == ["P7", "P8"]
    assert _names(segments, result) == ["F"]
    assert result.demand_m3s == pytest.approx(0.006 + 0.007)


def test_isolating_the_loop_cuts_off_the_branch_hanging_off_it() -> None:
    """Shutting P5 (segment C) takes J3 and J5, and with them J6 and J7 beyond J5."""
    segments = _segments()
    result = isolate(town(), segments, "P5")
    assert result.valves_to_close == [("P3", "J2"), ("P6", "J4"), ("P7", "J5")]
    assert result.nodes == ["J3", "J5", "J6", "J7"]
    assert result.pipes == ["P3", "P5", "P6", "P7", "P8"]
    assert _names(segments, result) == ["E", "F"]
    assert result.demand_m3s == pytest.approx(0.003 + 0.005 + 0.006 + 0.007)


def test_a_broken_valve_in_the_loop_grows_the_isolation_through_it() -> None:
    """P3,J2 will not close: shutting P2 takes B and C, so P6,J4 and P7,J5 close instead."""
    segments = _segments()
    result = isolate(town(), segments, "P2", broken=[("P3", "J2")])
    assert result.valves_to_close == [("P2", "J1"), ("P6", "J4"), ("P7", "J5")]
    assert result.nodes == ["J2", "J3", "J5", "J6", "J7"]
    assert result.pipes == ["P2", "P3", "P5", "P6", "P7", "P8"]
    assert sorted(result.isolated_segments) == sorted(
        {segments.link_segment["P2"], segments.link_segment["P3"]}
    )
    assert _names(segments, result) == ["E", "F"]
    assert result.demand_m3s == pytest.approx(0.023)


def test_broken_valves_in_a_row_grow_the_isolation_repeatedly() -> None:
    """P3,J2 and P6,J4 both broken: shutting P2 grows B -> C -> D, closed at P2,J1, P4,J1, P7,J5."""
    result = isolate(town(), _segments(), "P2", broken=[("P3", "J2"), ("P6", "J4")])
    assert result.valves_to_close == [("P2", "J1"), ("P4", "J1"), ("P7", "J5")]
    assert result.nodes == ["J2", "J3", "J4", "J5", "J6", "J7"]


def test_a_valve_with_the_isolation_on_both_sides_need_not_close() -> None:
    """Broken P2,J1, P4,J1 and P6,J4 grow B -> A -> D -> C round the loop: P3,J2 then has the
    isolation on both sides, so only P7,J5 is left to close."""
    broken = [("P2", "J1"), ("P4", "J1"), ("P6", "J4")]
    result = isolate(town(), _segments(), "P2", broken=broken)
    assert result.valves_to_close == [("P7", "J5")]
    assert result.nodes == ALL_NODES


def test_a_broken_valve_at_the_source_cuts_off_everything() -> None:
    """P2,J1 broken: shutting P2 takes A with R1 in it, so nothing downstream has a source."""
    segments = _segments()
    result = isolate(town(), segments, "P2", broken=[("P2", "J1")])
    assert result.valves_to_close == [("P3", "J2"), ("P4", "J1")]
    assert result.nodes == ALL_NODES
    assert result.pipes == ALL_PIPES
    assert _names(segments, result) == ["C", "D", "E", "F"]
    assert result.demand_m3s == pytest.approx(0.028)


def test_a_second_source_keeps_all_but_the_spur_behind_the_isolated_node() -> None:
    """Town plus a spur J8 off J1 (valve P9,J1) and a second reservoir R2 feeding J4:

                J8
                |P9
                o
    R1 ---P1--- J1 o--P2--- J2 ...        R2 ---P10--- J4 (the rest as drawn above)

    Shutting P1 (R1, J1) closes the three valves at J1; R2 still feeds J2..J7, only J8 runs dry:
    the closed valves at J1 carry no water from P2 or P4 into P9.
    """
    network = town()
    network.wn.add_junction("J8", base_demand=0.008, coordinates=(100, 200))
    network.wn.add_pipe("P9", "J1", "J8", length=100, diameter=0.2, roughness=100)
    network.wn.add_reservoir("R2", base_head=60, coordinates=(0, 0))
    network.wn.add_pipe("P10", "R2", "J4", length=100, diameter=0.2, roughness=100)
    result = isolate(network, [*TOWN_LAYER, ("P9", "J1")], "P1")
    assert result.valves_to_close == [("P2", "J1"), ("P4", "J1"), ("P9", "J1")]
    assert result.nodes == ["J1", "J8", "R1"]
    assert result.pipes == ["P1", "P9"]
    assert result.demand_m3s == pytest.approx(0.001 + 0.008)


def test_a_pipe_with_no_valves_around_it_takes_the_whole_valveless_part() -> None:
    result = isolate(town(), [], "P5")
    assert result.valves_to_close == []
    assert result.pipes == ALL_PIPES
    assert result.nodes == ALL_NODES
    assert result.cut_off_segments == []
    assert result.demand_m3s == pytest.approx(0.028)


def test_a_valve_layer_instead_of_segments_gives_the_same_answer() -> None:
    assert isolate(town(), TOWN_LAYER, "P7") == isolate(town(), _segments(), "P7")


def test_a_pipe_closed_in_the_model_carries_no_water() -> None:
    """With P4 closed in the model, shutting P2 leaves only J1's side: J2..J7 all run dry."""
    network = town()
    network.wn.get_link("P4").initial_status = "CLOSED"
    result = isolate(network, TOWN_LAYER, "P2")
    assert result.nodes == ["J2", "J3", "J4", "J5", "J6", "J7"]
    assert "P4" not in result.pipes  # still full from J1, whose valve stays open


def test_a_closed_pipe_that_a_control_opens_still_counts_as_a_path() -> None:
    """P4 starts closed but a control opens it after an hour: J3 can still be fed round the loop."""
    from wntr.network import LinkStatus
    from wntr.network.controls import Control
    from wntr.network.controls import ControlAction
    from wntr.network.controls import SimTimeCondition

    network = town()
    p4 = network.wn.get_link("P4")
    p4.initial_status = "CLOSED"
    opening = ControlAction(p4, "status", LinkStatus.Open)
    network.wn.add_control("open P4", Control(SimTimeCondition(network.wn, "=", 3600), opening))
    assert isolate(network, TOWN_LAYER, "P2").nodes == ["J2"]


def test_unknown_pipes_and_valves_are_refused() -> None:
    with pytest.raises(NetworkError, match="no pipe called P99"):
        isolate(town(), _segments(), "P99")
    with pytest.raises(NetworkError, match="no valve in the valve layer at P5,J3"):
        isolate(town(), _segments(), "P2", broken=[("P5", "J3")])


def test_as_json_gives_the_demand_in_litres_per_second() -> None:
    network = town()
    answer = isolate(network, _segments(), "P7").as_json(network)
    assert answer["valves_to_close"] == [["P7", "J5"], ["P8", "J6"]]
    assert answer["demand_cut_off_lps"] == pytest.approx(13.0)
    assert answer["pipe_length_cut_off_m"] == pytest.approx(200.0)


@pytest.mark.parametrize(
    ("x", "y", "pipe"),
    [(150, 105, "P2"), (310, 60, "P5"), (200, -3, "P6"), (-40, 100, "P1"), (900, 0, "P8")],
)
def test_a_point_snaps_to_the_nearest_pipe(x: float, y: float, pipe: str) -> None:
    assert nearest_pipe(town(), x, y) == pipe


def test_snapping_sees_a_pipe_added_after_the_first_snap() -> None:
    network = town()
    assert nearest_pipe(network, 105, 190) == "P2"
    network.wn.add_junction("J8", base_demand=0.0, coordinates=(100, 200))
    network.wn.add_pipe("P9", "J1", "J8", length=100, diameter=0.2, roughness=100)
    assert nearest_pipe(network, 105, 190) == "P9"


def test_what_is_cut_off_matches_closing_the_valves_pipes_on_net3() -> None:
    """An independent check on every pipe of Net3 (N-2 layer, one valve of the segment broken):
    with every pipe that carries a valve to close taken out, the nodes with no path to a source
    are exactly the isolation's nodes (where no source lies inside the isolation)."""
    network = load_network(bundled_network_path("Net3"))
    segments = valve_segments(network, strategic_valve_layer(network))
    sources = set(network.wn.reservoir_name_list) | set(network.wn.tank_name_list)
    checked = 0
    for i, pipe in enumerate(network.pipe_names):
        around = segments.valves(segments.link_segment[pipe])
        broken = [around[i % len(around)]] if around else []
        result = isolate(network, segments, pipe, broken=broken)
        if sources & set(result.nodes):
            continue
        graph = network.wn.to_graph().to_undirected()
        graph.remove_edges_from(
            [(u, v, k) for u, v, k in graph.edges(keys=True) if (k in dict(result.valves_to_close))]
        )
        wet = set().union(*(nx.node_connected_component(graph, s) for s in sources))
        assert sorted(set(graph.nodes) - wet, key=natural) == result.nodes, pipe
        checked += 1
    assert checked > 80


def test_names_are_listed_as_people_read_them() -> None:
    assert sorted(["P13", "P2", "P1", "P154", "J-10", "J-9"], key=natural) == [
        "J-9", "J-10", "P1", "P2", "P13", "P154",
    ]  # fmt: skip
