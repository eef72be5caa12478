"""The leak benchmark's generator, distances, baselines and statistics, checked by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from benchmarks.leaks.baselines import Baseline
from benchmarks.leaks.baselines import geometric_median
from benchmarks.leaks.hydraulics import node_states
from benchmarks.leaks.networks import Segments
from benchmarks.leaks.reports import NOISE_M
from benchmarks.leaks.reports import feature_collection
from benchmarks.leaks.reports import positives_reached
from benchmarks.leaks.reports import resident_reports
from benchmarks.leaks.scenarios import make_scenario
from benchmarks.leaks.scoring import Geometry
from benchmarks.leaks.scoring import inspected_share
from benchmarks.leaks.scoring import score
from benchmarks.leaks.stats import auc
from benchmarks.leaks.stats import interval
from benchmarks.leaks.stats import paired_difference
from statusmap.network.model import Network
from statusmap.network.model import load_network

# A line of three pipes: P1 100 m east, P2 200 m north, P3 300 m east.
LINE_INP = """[OPTIONS]
 Units LPS
 Headloss H-W
[JUNCTIONS]
 J1 0 0
 J2 0 0
 J3 0 0
 J4 0 0
[PIPES]
 P1 J1 J2 100 200 100 0 Open
 P2 J2 J3 200 200 100 0 Open
 P3 J3 J4 300 200 100 0 Open
[COORDINATES]
 J1 0 0
 J2 100 0
 J3 100 200
 J4 400 200
[END]
"""


def line_network(tmp_path: Path, units_to_m: float = 1.0) -> Network:
    path = tmp_path / "line.inp"
    path.write_text(LINE_INP, encoding="utf-8")
    return load_network(path, units_to_m)


def test_a_scenario_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    first = [make_scenario("demo", seed) for seed in (5, 6, 7)]
    again = [make_scenario("demo", seed) for seed in (5, 6, 7)]
    for one, two in zip(first, again, strict=True):
        one.pop("seconds"), two.pop("seconds")
        assert one == two
    assert len({(s["pipe"], s["split_at"]) for s in first}) == 3
    for scenario in first:
        times = [report["t"] for report in scenario["reports"]]
        assert times == sorted(times)


def test_node_states_follow_the_thresholds() -> None:
    before = np.array([50.0, 50.0, 50.0, 20.0, 10.0, 30.0, 30.0])
    after = np.array([4.9, 10.0, 30.0, 16.0, 10.0, 5.0, 15.0])
    assert node_states(before, after) == [
        "no_water",  # below 5 m
        "low_pressure",  # below 15 m
        "low_pressure",  # a drop of 20 m
        "ok",  # 16 m after a drop of 4 m
        "low_pressure",  # below 15 m, even unchanged
        "low_pressure",  # exactly 5 m is not "below 5"
        "ok",  # exactly 15 m after a drop of exactly 15 m
    ]


def test_reports_lie_at_their_junction_with_30_m_noise() -> None:
    xy = np.array([[0.0, 0.0], [10_000.0, 0.0], [0.0, 10_000.0]])
    households = np.array([4000.0, 4000.0, 0.0])
    rng = np.random.default_rng(3)
    reports, scale = resident_reports(xy, households, ["no_water", "ok", "no_water"], rng)
    assert 0.5 <= scale <= 2.0
    points = np.array([[r["x"], r["y"]] for r in reports])
    nearest = np.argmin(np.hypot(*(points[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)), 1)
    assert set(nearest) == {0, 1}  # no households, no reports at the third junction
    offsets = points - xy[nearest]
    assert np.abs(offsets).max() < 6 * NOISE_M
    assert np.std(offsets[nearest == 0]) == pytest.approx(NOISE_M, rel=0.1)
    at_break = [r["kind"] for r, n in zip(reports, nearest, strict=True) if n == 0]
    assert at_break.count("no_water") > 2 * at_break.count("low_pressure") > 0
    assert "water_ok" not in at_break  # the table's rate for no_water is 0


def test_the_kth_positive_report_counts_every_report_before_it() -> None:
    kinds = ["water_ok", "no_water", "leak_seen", "low_pressure", "no_water"]
    reports = [{"kind": kind, "x": 0.0, "y": 0.0, "t": i / 10} for i, kind in enumerate(kinds)]
    assert positives_reached(reports, 2) == 4
    assert positives_reached(reports, 4) is None
    assert feature_collection(reports[:1])["features"][0]["properties"]["kind"] == "water_ok"


def test_the_distance_along_the_network_is_what_a_person_measures(tmp_path: Path) -> None:
    geometry = Geometry(line_network(tmp_path))
    # From P1's midpoint: 50 m to J2, 200 m up P2, 150 m along P3 to the break at (250, 200).
    assert geometry.along_m("P1", "P3", (250.0, 200.0)) == pytest.approx(400.0)
    assert geometry.straight_m("P1", (250.0, 200.0)) == pytest.approx(math.hypot(200, 200))
    assert geometry.along_m("P3", "P3", (160.0, 200.0)) == pytest.approx(90.0)
    assert geometry.along_m("P3", "P1", (20.0, 0.0)) == pytest.approx(150 + 200 + 80)
    in_feet = Geometry(line_network(tmp_path, units_to_m=0.3048))
    assert in_feet.along_m("P1", "P3", (250.0, 200.0)) == pytest.approx(400.0 * 0.3048)


def one_segment_per_pipe() -> Segments:
    pipes = ["P1", "P2", "P3"]
    return Segments(
        of_link={p: p.lower() for p in pipes},
        links={p.lower(): [p] for p in pipes},
        valves={"p1": [("P1", "J2")], "p2": [("P1", "J2")], "p3": []},
    )


def positives(*points: tuple[float, float], kind: str = "no_water") -> list[dict[str, object]]:
    return [{"kind": kind, "x": x, "y": y, "t": i / 100} for i, (x, y) in enumerate(points)]


def test_baselines_pick_the_pipe_nearest_the_centroid_or_the_median(tmp_path: Path) -> None:
    network = line_network(tmp_path)
    cluster = positives((10, 10), (20, -10), (30, 10), (400, 1000))
    reports = feature_collection(cluster)  # centroid (115, 252.5): P3; median near (20, 5): P1
    a = Baseline(network, one_segment_per_pipe(), median=False)(reports)
    a2 = Baseline(network, one_segment_per_pipe(), median=True)(reports)
    assert [p["id"] for p in a["pipes"]] == ["P3", "P2", "P1"]
    assert a["point"] == pytest.approx([115.0, 252.5])
    assert a2["pipes"][0]["id"] == "P1"
    assert [s["id"] for s in a2["segments"]] == ["p1", "p2", "p3"]
    assert a2["segments"][0]["valves"] == [["P1", "J2"]]
    seen = feature_collection(cluster + positives((390, 205), kind="leak_seen"))
    assert Baseline(network, one_segment_per_pipe(), median=True)(seen)["point"] == [390, 205]


def test_the_geometric_median_of_points_on_a_line_is_the_middle_one() -> None:
    points = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0]])
    assert geometric_median(points) == pytest.approx([1.0, 0.0], abs=1e-4)


def test_scores_of_a_hand_made_answer(tmp_path: Path) -> None:
    geometry = Geometry(line_network(tmp_path))
    truth = {"pipe": "P3", "break_xy": [250.0, 200.0]}
    answer = {
        "pipes": [{"id": "P2", "score": 0.9}, {"id": "P3", "score": 0.5}, {"id": "P1", "score": 0}],
        "segments": [{"id": "a", "pipes": ["P1", "P2"]}, {"id": "b", "pipes": ["P3"]}],
        "point": [100.0, 100.0],
    }
    got = score(answer, truth, geometry)
    assert got["along_m"] == pytest.approx(250.0) and got["within_300"]
    assert (got["top1"], got["top5"], got["segment_top1"], got["segment_top3"]) == (0, 1, 0, 1)
    assert got["inspected"] == pytest.approx(200 / 600)
    assert inspected_share(["P1"], "P3", geometry) == pytest.approx((100 + 250) / 600)


def test_the_bootstrap_interval_brackets_the_mean() -> None:
    values = np.random.default_rng(1).normal(5.0, 1.0, 400)
    centre, low, high = interval(values)
    assert low < centre < high
    assert centre == pytest.approx(values.mean())
    assert high - low == pytest.approx(2 * 1.96 / math.sqrt(400), rel=0.2)
    assert interval(values) == (centre, low, high)  # a fixed seed
    assert paired_difference(values + 0.25, values) == pytest.approx((0.25, 0.25, 0.25))


def test_the_auc_is_one_for_a_perfect_separation_and_a_half_for_none() -> None:
    assert auc(np.array([0.9, 0.8]), np.array([0.1, 0.2, 0.3])) == 1.0
    assert auc(np.array([0.5, 0.5]), np.array([0.5])) == 0.5
    assert auc(np.array([0.9, 0.1]), np.array([0.5])) == 0.5
