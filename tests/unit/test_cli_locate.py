"""`statusmap locate` as the contract in ../shared/LEAK_BENCHMARK.md has it, on the town network
(tests/network_town.py draws it): a .jsonl batch in, one JSON answer per line out; bad input
refused with a message and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from click.testing import Result
from shapely.geometry import Point

from statusmap.cli_locate import locate_command
from tests.network_town import TOWN
from tests.network_town import TOWN_VALVES
from tests.network_town import town

# The valves that bound each segment, by the segment's first pipe (tests/network_town.py).
BOUNDING = {
    "P1": [["P2", "J1"], ["P4", "J1"]],
    "P2": [["P2", "J1"], ["P3", "J2"]],
    "P3": [["P3", "J2"], ["P6", "J4"], ["P7", "J5"]],
    "P4": [["P4", "J1"], ["P6", "J4"]],
    "P7": [["P7", "J5"], ["P8", "J6"]],
    "P8": [["P8", "J6"]],
}


def _collection(*reports: tuple[str, float, float]) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": {"kind": kind, "reported_at": "2026-12-02T07:15:00+01:00"},
        }
        for kind, x, y in reports
    ]
    return {"type": "FeatureCollection", "features": features}


# Low pressure at the dead end (J6, J7); by the reservoir (J1, J2, J4) all is fine. On this small
# network only a small break leaves J1-J5 within 15 m of their usual pressure (see the signatures).
DEAD_END = _collection(
    ("low_pressure", 495, 5),
    ("low_pressure", 505, -3),
    ("low_pressure", 410, 4),
    ("water_ok", 100, 95),
    ("water_ok", 205, 100),
    ("water_ok", 96, 2),
)
NEAR_J2 = _collection(("low_pressure", 200, 102), ("no_water", 198, 96))


def _run(tmp_path: Path, lines: list[str], *extra: str, suffix: str = ".jsonl") -> Result:
    reports = tmp_path / f"reports{suffix}"
    reports.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["--network", str(TOWN), "--reports", str(reports), *extra]
    return CliRunner().invoke(locate_command, args)


def _refused(result: Result, words: str) -> None:
    assert result.exit_code != 0
    assert words in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_jsonl_batch_gets_one_answer_per_line(tmp_path: Path) -> None:
    lines = [json.dumps(DEAD_END), json.dumps(NEAR_J2)]
    result = _run(tmp_path, lines, "--valves", str(TOWN_VALVES), "--top", "3")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 2
    for answer in answers:
        assert set(answer) == {"pipes", "segments", "point", "confidence"}
        assert len(answer["pipes"]) == 3 and len(answer["segments"]) == 3
        scores = [pipe["score"] for pipe in answer["pipes"]]
        assert scores == sorted(scores, reverse=True)
        assert 0.0 <= answer["confidence"] <= 1.0
        for segment in answer["segments"]:  # each with the valves drawn in tests/network_town.py
            assert segment["valves"] == BOUNDING[min(segment["pipes"])]
        top = answer["pipes"][0]["id"]
        assert town().pipe_line(top).distance(Point(answer["point"])) < 1e-6  # on the top pipe
    dead_end, near_j2 = answers
    assert dead_end["confidence"] > 0.05  # one break explains it: not a scatter of false alarms
    # Where the break is, this network is too small to tell (every pipe lies within 300 m of P6):
    # tests/unit/test_network_localiser.py checks that on the demo network.
    assert {p["id"] for p in near_j2["pipes"]} != {p["id"] for p in dead_end["pipes"]}


def test_suggest_names_places_to_ask(tmp_path: Path) -> None:
    result = _run(tmp_path, [json.dumps(NEAR_J2)], "--valves", str(TOWN_VALVES), "--suggest", "2")
    assert result.exit_code == 0, result.output
    asked = json.loads(result.stdout)["ask"]
    assert len(asked) == 2 and asked[0] != asked[1]
    junctions = {(100, 100), (200, 100), (300, 100), (100, 0), (300, 0), (400, 0), (500, 0)}
    assert {tuple(place) for place in asked} <= junctions


def test_without_valves_it_says_it_makes_a_layer(tmp_path: Path) -> None:
    result = _run(tmp_path, [json.dumps(NEAR_J2)])
    assert result.exit_code == 0, result.output
    assert "strategic N-2 valve layer" in result.stderr
    assert json.loads(result.stdout)["segments"]


def test_a_geojson_file_and_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _run(tmp_path, [json.dumps(DEAD_END)], "--cache", str(cache), suffix=".geojson")
    assert first.exit_code == 0, first.output
    assert list(cache.glob("signatures-*.npz"))
    again = _run(tmp_path, [json.dumps(DEAD_END)], "--cache", str(cache), suffix=".geojson")
    assert again.stdout == first.stdout


def test_bad_input_is_refused_cleanly(tmp_path: Path) -> None:
    far = _collection(("no_water", 200, 100), ("no_water", 9000, 100))
    unknown = _collection(("no_water", 200, 100), ("smell", 200, 100))
    only_ok = _collection(("water_ok", 200, 100), ("leak_seen", 200, 100))
    good = json.dumps(NEAR_J2)
    _refused(_run(tmp_path, [good, json.dumps(far)]), "line 2, feature 2")
    _refused(_run(tmp_path, [json.dumps(far)]), "km outside the network's extent")
    _refused(_run(tmp_path, [json.dumps(unknown)]), "unknown kind 'smell'")
    _refused(_run(tmp_path, [json.dumps(only_ok)]), "no report says no_water or low_pressure")
    _refused(_run(tmp_path, [good, "{not json"]), "line 2: not JSON")
    _refused(_run(tmp_path, [good], suffix=".txt"), "must be .geojson, .json or .jsonl")
    _refused(_run(tmp_path, [json.dumps({"type": "Feature"})]), "not a GeoJSON FeatureCollection")
    missing = CliRunner().invoke(
        locate_command, ["--network", str(tmp_path / "no.inp"), "--reports", str(TOWN)]
    )
    _refused(missing, "cannot read the network file")
    broken = tmp_path / "broken.inp"
    broken.write_text("[PIPES]\nP1 A B\n")
    _refused(
        CliRunner().invoke(locate_command, ["--network", str(broken), "--reports", str(TOWN)]),
        "not a readable EPANET .inp file",
    )


def test_a_blank_line_does_not_shift_the_line_named(tmp_path: Path) -> None:
    far = _collection(("no_water", 200, 100), ("no_water", 9000, 100))
    _refused(_run(tmp_path, [json.dumps(NEAR_J2), "", json.dumps(far)]), "line 3, feature 2")


def test_odd_reports_are_refused_not_tracebacks(tmp_path: Path) -> None:
    mixed = _collection(("no_water", 200, 100), ("low_pressure", 200, 96))
    mixed["features"][1]["properties"]["reported_at"] = "2026-12-02T07:20:00"  # no offset
    _refused(_run(tmp_path, [json.dumps(mixed)]), "mixes times with and without a UTC offset")
    text_geometry = _collection(("no_water", 200, 100))
    text_geometry["features"][0]["geometry"] = "x"
    _refused(_run(tmp_path, [json.dumps(text_geometry)]), "the geometry must be a Point")


def test_a_damaged_cache_is_computed_again_and_an_unusable_one_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _run(tmp_path, [json.dumps(DEAD_END)], "--cache", str(cache))
    files = [*cache.glob("signatures-*.npz"), *cache.glob("derived-*.npz")]
    assert len(files) == 2  # the signatures, and what the localiser derives from them
    for kept in files:
        kept.write_bytes(kept.read_bytes()[:100])  # cut short, as a full disk or a kill would
    again = _run(tmp_path, [json.dumps(DEAD_END)], "--cache", str(cache))
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout and all(kept.stat().st_size > 100 for kept in files)
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    refused = _run(tmp_path, [json.dumps(DEAD_END)], "--cache", str(not_a_directory / "sub"))
    _refused(refused, "cannot keep the cache in")
