"""Reading a valve layer (wntr's link,node CSV) and generating the strategic N-2 layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from statusmap.network.model import NetworkError
from statusmap.network.model import bundled_network_path
from statusmap.network.model import load_network
from statusmap.network.valves import read_valve_layer
from statusmap.network.valves import strategic_valve_layer
from statusmap.network.valves import valve_problem
from tests.network_town import TOWN_LAYER
from tests.network_town import TOWN_VALVES
from tests.network_town import town


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "valves.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_town_layer_is_read_in_file_order() -> None:
    assert read_valve_layer(TOWN_VALVES, town()) == TOWN_LAYER


def test_extra_columns_are_ignored_and_duplicates_merged(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,node,link,kind\n1,J1,P2,gate\n2,J1,P2,gate\n3,J2, P3 ,gate\n")
    assert read_valve_layer(path, town()) == [("P2", "J1"), ("P3", "J2")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("link,node\nP2,J1\nP99,J1\n", "row 3: the network has no link called P99"),
        ("link,node\nP2,J7\n", "row 2: J7 is not an end of pipe P2 .its ends are J1 and J2."),
        ("link,node\nP2,\n", "row 2: the link and the node must both be given"),
        ("pipe,node\nP2,J1\n", "needs the columns link,node; missing: link"),
        ("", "missing: link, node"),
    ],
)
def test_bad_rows_are_refused_naming_the_row(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        read_valve_layer(_csv(tmp_path, text), town())


def test_a_valve_beside_a_pump_is_read_as_wntrs_layers_have_them(tmp_path: Path) -> None:
    network = town()
    network.wn.add_pump("PU1", "J6", "J7", pump_parameter=10.0, pump_type="POWER")
    assert read_valve_layer(_csv(tmp_path, "link,node\nPU1,J6\n"), network) == [("PU1", "J6")]
    assert valve_problem(network, ("PU1", "J6")) == "PU1 is a pump, not a pipe"
    with pytest.raises(NetworkError, match="row 2: J1 is not an end of pump PU1"):
        read_valve_layer(_csv(tmp_path, "link,node\nPU1,J1\n"), network)


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="cannot read the valve layer .*missing.csv"):
        read_valve_layer(tmp_path / "missing.csv", town())
    binary = tmp_path / "valves.csv"
    binary.write_bytes(b"link,node\n\xff\xfe\x00P2,J1\n")
    with pytest.raises(NetworkError, match="not UTF-8"):
        read_valve_layer(binary, town())


def test_the_strategic_layer_is_wntrs_and_the_same_every_time() -> None:
    network = load_network(bundled_network_path("Net3"))
    first = strategic_valve_layer(network)
    assert first == strategic_valve_layer(network, n=2, seed=0)
    assert first != strategic_valve_layer(network, n=2, seed=1)
    assert all(valve_problem(network, v, pipes_only=False) is None for v in first)
    # N-2: every node keeps exactly two of its links without a valve (or all, if it has fewer)
    for name in network.wn.node_name_list:
        links = network.wn.get_links_for_node(name)
        valved = [v for v in first if v[1] == name]
        assert len(valved) == max(len(links) - 2, 0)
