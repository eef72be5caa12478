"""`statusmap isolate` on the hand-made town network (drawn in tests/network_town.py).

R1 ---P1--- J1 o--P2--- J2 o--P3--- J3
            o                       |
            |P4                     |P5
            |                       |
            J4 o--------P6--------- J5 o--P7--- J6 o--P8--- J7
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from statusmap.cli_isolate import isolate_command
from tests.network_town import TOWN
from tests.network_town import TOWN_VALVES


def _run(*args: str) -> Result:
    return CliRunner().invoke(isolate_command, ["--network", str(TOWN), *args])


def _town_plus(tmp_path: Path, junctions: list[str], pipes: list[str]) -> Path:
    """The town with more junctions (`ID elevation demand`, drawn at y=-100) and pipes."""
    text = TOWN.read_text()
    text = text.replace("[RESERVOIRS]", "\n".join(junctions) + "\n\n[RESERVOIRS]")
    text = text.replace("[OPTIONS]", "\n".join(pipes) + "\n\n[OPTIONS]")
    places = [f"{row.split()[0]} {100 * i} -100" for i, row in enumerate(junctions, start=1)]
    text = text.replace("[END]", "\n".join(places) + "\n\n[END]")
    path = tmp_path / "town_plus.inp"
    path.write_text(text)
    return path


def _refused(result: Result, message: str) -> None:
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_the_json_lists_the_valves_nodes_and_demand_found_by_hand() -> None:
    result = _run("--valves", str(TOWN_VALVES), "--pipe", "P2", "--broken-valve", "P3,J2")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["pipe"] == "P2"
    assert answer["valves_to_close"] == [["P2", "J1"], ["P6", "J4"], ["P7", "J5"]]
    assert answer["pipes"] == ["P2", "P3", "P5", "P6", "P7", "P8"]
    assert answer["nodes"] == ["J2", "J3", "J5", "J6", "J7"]
    assert len(answer["cut_off_segments"]) == 2  # E (J6) and F (J7), off J5
    assert answer["demand_cut_off_lps"] == pytest.approx(2 + 3 + 5 + 6 + 7)
    assert result.stderr == ""


def test_a_point_is_snapped_to_the_nearest_pipe() -> None:
    result = _run("--valves", str(TOWN_VALVES), "--point", "450", "4")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["pipe"] == "P8"
    assert answer["valves_to_close"] == [["P8", "J6"]]
    assert answer["nodes"] == ["J7"]


def test_without_valves_a_strategic_layer_is_used_and_said() -> None:
    result = _run("--pipe", "P5")
    assert result.exit_code == 0, result.output
    assert "strategic N-2 valve layer (seed 0)" in result.stderr
    assert "P5" in json.loads(result.stdout)["pipes"]


def test_validation_warnings_go_to_stderr(tmp_path: Path) -> None:
    """A pipe P9 from J1 to a new junction J8 with no demand: a dangling pipe."""
    network = _town_plus(tmp_path, junctions=["J8 0 0"], pipes=["P9 J1 J8 100 200 100"])
    result = CliRunner().invoke(isolate_command, ["--network", str(network), "--pipe", "P1"])
    assert result.exit_code == 0, result.output
    assert "Warning: 1 dangling pipe(s)" in result.stderr
    assert "P9 (at J8)" in result.stderr
    json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pipe", "P99"], "no pipe called P99"),
        (["--pipe", "P2", "--broken-valve", "P3"], "'P3' is not PIPE,NODE"),
        (["--pipe", "P2", "--broken-valve", "P5,J3"], "no valve in the valve layer at P5,J3"),
        (["--point", "2600", "100"], "lies 2.1 km outside the network (at most 2 km)"),
        (["--point", "1", "1", "--pipe", "P2"], "exactly one of --pipe ID or --point X Y"),
        ([], "exactly one of --pipe ID or --point X Y"),
        (["--pipe", "P2", "--units-to-m", "0"], "--units-to-m must be a positive number"),
    ],
)
def test_bad_input_is_refused_clearly(args: list[str], message: str) -> None:
    _refused(_run("--valves", str(TOWN_VALVES), *args), message)


def test_the_distance_limit_is_in_metres() -> None:
    """With a unit of 1 mm, 2,100 units outside the network is 2.1 m: well inside 2 km."""
    result = _run("--valves", str(TOWN_VALVES), "--units-to-m", "0.001", "--point", "2600", "100")
    assert result.exit_code == 0, result.output


def test_the_command_is_the_statusmap_groups_own() -> None:
    """Registered on the group itself, so `statusmap isolate` never creates the app."""
    from statusmap.cli import statusmap_group

    assert statusmap_group().commands["isolate"] is isolate_command


def test_a_bad_valve_csv_is_refused(tmp_path: Path) -> None:
    valves = tmp_path / "valves.csv"
    valves.write_text("link,node\nP2,J1\nP2,J9\n")
    _refused(_run("--valves", str(valves), "--pipe", "P2"), "row 3: J9 is not an end of pipe P2")
    _refused(_run("--valves", str(tmp_path / "nope.csv"), "--pipe", "P2"), "cannot read")


def test_a_missing_or_broken_network_is_refused(tmp_path: Path) -> None:
    missing = CliRunner().invoke(isolate_command, ["--network", "nope.inp", "--pipe", "P1"])
    _refused(missing, "cannot read the network file nope.inp")
    broken = tmp_path / "broken.inp"
    broken.write_text("[PIPES]\nP1 A B\n")
    _refused(
        CliRunner().invoke(isolate_command, ["--network", str(broken), "--pipe", "P1"]),
        "not a readable EPANET .inp file",
    )


def test_validation_errors_stop_the_command(tmp_path: Path) -> None:
    """Junctions K1 and K2 with demand, joined to each other only: no source feeds them."""
    network = _town_plus(tmp_path, junctions=["K1 0 1", "K2 0 1"], pipes=["Q1 K1 K2 100 200 100"])
    result = CliRunner().invoke(isolate_command, ["--network", str(network), "--pipe", "P1"])
    _refused(result, "a disconnected part of 2 node(s) has no path to any reservoir or tank")
