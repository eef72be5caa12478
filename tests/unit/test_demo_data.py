"""The demo municipality's committed data: big enough, consistent, and the network simulates."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from statusmap.demo import DEMO_DIR


@pytest.fixture(scope="module")
def addresses() -> pd.DataFrame:
    return pd.read_csv(DEMO_DIR / "addresses.csv", sep=";", dtype=str, keep_default_na=False)


def test_addresses_and_vulnerable_subscribers(addresses: pd.DataFrame) -> None:
    assert len(addresses) >= 3000
    assert addresses["lokalid"].is_unique
    assert set(addresses["EPSG-kode"]) == {"25832"}
    assert addresses["bruksenheter"].astype(int).sum() > len(addresses)
    vulnerable = pd.read_csv(DEMO_DIR / "vulnerable.csv", sep=";", dtype=str)
    assert set(vulnerable["lokalid"]) <= set(addresses["lokalid"])
    assert {"nursing_home", "kindergarten", "school", "food_business"} <= set(
        vulnerable["category"]
    )


def test_layers_are_in_utm32_and_inside_the_boundary(addresses: pd.DataFrame) -> None:
    boundary = gpd.read_file(DEMO_DIR / "boundary.geojson")
    assert boundary.crs.to_epsg() == 25832
    area = boundary.geometry.union_all()
    points = gpd.points_from_xy(addresses["Øst"].astype(float), addresses["Nord"].astype(float))
    assert area.contains(points).all()
    for name in ("pipes", "valves", "nodes", "streets"):
        layer = gpd.read_file(DEMO_DIR / f"{name}.geojson")
        assert layer.crs.to_epsg() == 25832 and len(layer) > 0
    # A real Norwegian place: Gran on Hadeland lies near 60.36 N, 10.56 E.
    centre = boundary.to_crs(4326).geometry.union_all().centroid
    assert 60.3 < centre.y < 60.45 and 10.45 < centre.x < 10.7


def test_seed_incidents_cover_the_four_cases() -> None:
    items = json.loads((DEMO_DIR / "incidents.json").read_text(encoding="utf-8"))
    cases = sorted((i["kind"], i["status"]) for i in items)
    assert ("boil_water", "active") in cases and ("shutdown", "active") in cases
    assert ("planned_works", "scheduled") in cases
    assert any(status == "resolved" for _, status in cases)
    for item in items:
        assert all(item["title"][lang] for lang in ("nb", "nn", "en"))


def test_network_simulates_with_sensible_pressures() -> None:
    import wntr

    wn = wntr.network.WaterNetworkModel(str(DEMO_DIR / "network.inp"))
    assert wn.num_reservoirs + wn.num_tanks >= 1 and wn.num_pipes > 100
    valves = pd.read_csv(DEMO_DIR / "valves.csv")
    assert list(valves.columns) == ["link", "node"] and set(valves["link"]) <= set(
        wn.pipe_name_list
    )
    wn.options.time.duration = 0
    wn.options.time.pattern_start = 7 * 3600
    with tempfile.TemporaryDirectory() as tmp:
        results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(Path(tmp) / "demo"))
    pressure = results.node["pressure"].loc[:, wn.junction_name_list]
    assert pressure.min().min() > 20 and pressure.max().max() < 100
