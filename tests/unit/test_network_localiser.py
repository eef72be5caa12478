"""The localiser on the demo network: a break simulated by the benchmark's own generator (the
protocol's perturbed truth, which the localiser never sees), and the signatures it is built on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.leaks import networks
from benchmarks.leaks.baselines import Baseline
from benchmarks.leaks.reports import feature_collection
from benchmarks.leaks.reports import positives_reached
from benchmarks.leaks.scenarios import make_scenario
from statusmap.network import hydraulics
from statusmap.network.localiser import Prepared
from statusmap.network.localiser import locate
from statusmap.network.localiser import prepare
from statusmap.network.signatures import load_or_compute

# A break on P91 (protocol seed 1020) that leaves nine junctions short of pressure.
SEED = 1020


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    cache = tmp_path_factory.mktemp("signatures")
    return prepare(networks.load("demo"), networks.valve_layer("demo"), cache)


def _ranked(answer: dict) -> list[str]:
    return [pipe["id"] for pipe in answer["pipes"]]


def test_the_broken_pipe_is_in_the_top_ten_and_ahead_of_baseline_a(demo: Prepared) -> None:
    scenario = make_scenario("demo", SEED)
    asked_at = positives_reached(scenario["reports"], 10)
    assert asked_at is not None
    reports = feature_collection(scenario["reports"][:asked_at])
    ours = _ranked(locate(demo, reports, top=10**6))
    baseline = Baseline(demo.network, networks.segments("demo"), median=False)
    theirs = _ranked(baseline(reports, top=10**6))
    broken = scenario["pipe"]
    assert broken in ours[:10]
    assert ours.index(broken) < theirs.index(broken)


def test_scattered_false_alarms_get_a_low_confidence(demo: Prepared) -> None:
    scenario = make_scenario("demo", SEED)
    asked_at = positives_reached(scenario["reports"], 5)
    clustered = locate(demo, feature_collection(scenario["reports"][:asked_at]))
    # Five households far apart say "no water", while twice as many elsewhere say it is fine (as
    # the benchmark's background has it). A break big enough to reach all five would have left
    # the others short too.
    names = demo.network.junction_names
    spread = [demo.network.node_xy(j) for j in names[::18]][:15]
    scattered = feature_collection(
        [
            {"kind": "no_water" if i % 3 == 0 else "water_ok", "x": x + 7, "y": y - 5, "t": 0.1}
            for i, (x, y) in enumerate(spread)
        ]
    )
    assert clustered["confidence"] > 0.9
    assert locate(demo, scattered)["confidence"] < 0.2


def test_splitting_every_pipe_at_its_middle_leaves_the_pressures_alone(demo: Prepared) -> None:
    unsplit = hydraulics.base_pressures(demo.network)
    assert np.abs(demo.base - unsplit).max() < hydraulics.SAME_PRESSURE_M
    # Bigger breaks lower every junction's pressure further (openings are in increasing order).
    steps = np.diff(demo.broken, axis=1)
    assert (steps <= 1e-3).all()
    assert (demo.broken[:, -1] < demo.base - 1).any(axis=1).all()


def test_the_cache_gives_back_what_was_computed(demo: Prepared, tmp_path: Path) -> None:
    first = load_or_compute(demo.network, tmp_path)
    again = load_or_compute(demo.network, tmp_path)
    assert len(list(tmp_path.glob("signatures-*.npz"))) == 1
    assert again.pipes == first.pipes == demo.network.pipe_names
    assert np.array_equal(again.broken, first.broken)
