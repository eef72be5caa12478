"""Validation of a network and its valve layer: messages that name what to fix."""

from __future__ import annotations

import pytest

from statusmap.network.model import Network
from statusmap.network.model import NetworkError
from statusmap.network.validation import check
from statusmap.network.validation import listed
from statusmap.network.validation import validate
from tests.network_town import TOWN_LAYER
from tests.network_town import town


def _errors(network: Network, valves: list[tuple[str, str]] | None = None) -> list[str]:
    return [p.message for p in validate(network, valves) if p.severity == "error"]


def _island(network: Network, size: int = 2) -> None:
    """Junctions K1..Kn in a row, with demand, joined to nothing that has a source."""
    for i in range(1, size + 1):
        network.wn.add_junction(f"K{i}", base_demand=0.001, coordinates=(600 + 50 * i, 0))
    for i in range(1, size):
        network.wn.add_pipe(f"Q{i}", f"K{i}", f"K{i + 1}", length=50, diameter=0.2)


def test_the_town_and_its_valves_are_fine() -> None:
    assert validate(town(), TOWN_LAYER) == []
    assert check(town(), TOWN_LAYER) == []


def test_a_disconnected_part_is_an_error_naming_its_nodes() -> None:
    network = town()
    _island(network)
    errors = _errors(network)
    assert "a disconnected part of 2 node(s) has no path to any reservoir or tank: K1, K2" in errors


def test_epanet_refusing_the_model_is_an_error_with_its_message() -> None:
    """A group of junctions with demand and no source: EPANET stops with its error 110."""
    network = town()
    _island(network)
    errors = _errors(network)
    assert (
        "EPANET cannot solve the model: (Error 110) cannot solve network hydraulic equations"
        in errors
    )


def test_epanet_is_asked_about_one_snapshot_and_the_duration_is_kept() -> None:
    network = town()
    network.wn.options.time.duration = 7 * 24 * 3600
    assert validate(network) == []
    assert network.wn.options.time.duration == 7 * 24 * 3600


def test_a_network_with_no_source_at_all() -> None:
    network = town()
    network.wn.remove_link("P1")
    network.wn.remove_node("R1")
    errors = _errors(network)
    assert errors[0] == "the network has no reservoir or tank: nothing supplies it"
    assert "EPANET cannot solve the model: (Error 224) no tanks or reservoirs in network" in errors


def test_long_lists_are_cut_short() -> None:
    network = town()
    _island(network, size=14)
    message = _errors(network)[0]
    assert message.endswith("K1, K2, K3, K4, K5, K6, K7, K8, K9, K10 and 4 more")
    assert listed(["a", "b"]) == "a, b"


def test_valves_not_on_a_pipe_are_an_error() -> None:
    errors = _errors(town(), [*TOWN_LAYER, ("P2", "J7"), ("P99", "J1")])
    assert errors == [
        "2 valve(s) not on a pipe of the network: P2,J7 (J7 is not an end of pipe P2 (its ends "
        "are J1 and J2)), P99,J1 (the network has no link called P99)"
    ]


def test_a_dangling_pipe_is_a_warning() -> None:
    network = town()
    network.wn.add_junction("J8", base_demand=0.0, coordinates=(100, 200))
    network.wn.add_pipe("P9", "J1", "J8", length=100, diameter=0.2)
    problems = validate(network)
    assert [(p.severity, p.message) for p in problems] == [
        (
            "warning",
            "1 dangling pipe(s) end at a node with no other link, no demand and no tank or "
            "reservoir: P9 (at J8)",
        )
    ]
    assert check(network) == problems


def test_a_dead_end_with_demand_is_not_dangling() -> None:
    """J7 ends the branch but has its 7 L/s: a real customer, not a drawing slip."""
    assert validate(town()) == []


def test_check_raises_every_error_at_once() -> None:
    network = town()
    _island(network)
    with pytest.raises(NetworkError) as caught:
        check(network, [("P99", "J1")])
    message = str(caught.value)
    assert "disconnected part of 2 node(s)" in message
    assert "1 valve(s) not on a pipe" in message
    assert "(Error 110)" in message
