"""The street layer: imported from any line file and CRS, all or nothing, served as GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString
from shapely.geometry import Point
from sqlalchemy import func
from sqlalchemy import select

from statusmap.demo import DEMO_DIR
from statusmap.models import Municipality
from statusmap.models import Street
from statusmap.streets.importer import StreetFileError
from statusmap.streets.importer import import_streets
from tests.rfc7946 import check_feature_collection

DEMO_STREETS = DEMO_DIR / "streets.geojson"


def _demo(session) -> Municipality:
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


def _names(session, municipality) -> list[str]:
    query = select(Street.name).where(Street.municipality_id == municipality.id)
    return sorted(session.scalars(query))


def test_the_demo_has_its_streets_in_lon_lat(session) -> None:
    demo = _demo(session)
    streets = session.scalars(select(Street).where(Street.municipality_id == demo.id)).all()
    assert len(streets) == 38 and "Storgata" in {s.name for s in streets}
    for street in streets:
        min_lon, min_lat, max_lon, max_lat = street.geometry.bounds
        assert 10.4 < min_lon < max_lon < 10.7 and 60.3 < min_lat <= max_lat < 60.45


def test_any_crs_and_name_column_and_pieces_of_one_street_merge(session, tmp_path: Path) -> None:
    """A road-data export in UTM 33 with a 'navn' column, each street cut in road links."""
    demo = _demo(session)
    frame = gpd.read_file(DEMO_STREETS).to_crs(25833)
    pieces = []
    for name, line in zip(frame["name"], frame.geometry, strict=True):
        half = line.interpolate(0.5, normalized=True)
        coords = list(line.coords)
        middle = len(coords) // 2 or 1
        pieces += [(name, LineString([*coords[:middle], half.coords[0]]))]
        pieces += [(name, LineString([half.coords[0], *coords[middle:]]))]
    links = gpd.GeoDataFrame(
        {"navn": [n for n, _ in pieces]}, geometry=[g for _, g in pieces], crs=25833
    )
    links.to_file(tmp_path / "vegnett.gpkg")
    summary = import_streets(session, demo, tmp_path / "vegnett.gpkg", actor="test")
    assert (summary.read, summary.streets) == (76, 38)
    storgata = session.scalar(
        select(Street).where(Street.municipality_id == demo.id, Street.name == "Storgata")
    )
    assert storgata.geometry.geom_type == "MultiLineString"
    assert len(storgata.geometry.geoms) == 1, "the two links of Storgata are one line again"


def test_heights_are_dropped_and_said(session, tmp_path: Path) -> None:
    demo = _demo(session)
    frame = gpd.read_file(DEMO_STREETS)
    frame.geometry = shapely.force_3d(frame.geometry.values, 200.0)
    frame.to_file(tmp_path / "z.geojson")
    summary = import_streets(session, demo, tmp_path / "z.geojson", actor="test")
    assert summary.streets == 38 and any("Z coordinates" in n for n in summary.notes)


def _without_crs(path: Path) -> None:
    """A GeoPackage that does not say its CRS (GDAL warns while writing it)."""
    import warnings

    frame = gpd.read_file(DEMO_STREETS).set_crs(None, allow_override=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(path)


def _unchanged(session, demo, before: list[str]) -> None:
    assert _names(session, demo) == before, "a refused file changes nothing"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a gis file", encoding="utf-8"), "could not be read"),
        (_without_crs, "does not say its coordinate system"),
        (
            lambda p: gpd.GeoDataFrame(
                {"name": ["x"]}, geometry=[Point(10.56, 60.35)], crs=4326
            ).to_file(p),
            "has no line inside",
        ),
        (
            lambda p: gpd.GeoDataFrame(
                {"name": ["Bryggen"]},
                geometry=[LineString([(5.32, 60.39), (5.33, 60.4)])],
                crs=4326,
            ).to_file(p),
            "has no line inside",
        ),
    ],
    ids=["unreadable", "no-crs", "points-only", "elsewhere"],
)
def test_unusable_files_are_refused_with_a_message(session, tmp_path, make, message) -> None:
    demo = _demo(session)
    before = _names(session, demo)
    path = tmp_path / "bad.gpkg"
    make(path)
    with pytest.raises(StreetFileError, match=message):
        import_streets(session, demo, path, actor="test")
    _unchanged(session, demo, before)


def test_a_file_in_the_wrong_crs_can_be_told_its_crs(session, tmp_path: Path) -> None:
    """GeoJSON without a crs member is lon/lat by RFC 7946; an old UTM export says otherwise."""
    demo = _demo(session)
    frame = gpd.read_file(DEMO_STREETS)  # EPSG:25832
    path = tmp_path / "utm-without-crs.geojson"
    features = json.loads(frame.to_json())["features"]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    with pytest.raises(StreetFileError, match="coordinate system"):
        import_streets(session, demo, path, actor="test", name_field="name")
    assert import_streets(session, demo, path, actor="test", crs=25832).streets == 38
    without = tmp_path / "without.gpkg"
    _without_crs(without)
    assert import_streets(session, demo, without, actor="test", crs=25832).streets == 38


def test_the_command_says_what_it_did_and_nothing_on_failure(app, session, tmp_path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["import-streets", str(DEMO_STREETS), "--municipality", "demo", "--attribution", "© X"]
    )
    assert result.exit_code == 0, result.output
    assert "Features read: 38" in result.output and "Streets stored: 38" in result.output
    assert _demo(session).streets_attribution == "© X"
    bad = tmp_path / "bad.geojson"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(args=["import-streets", str(bad), "--municipality", "demo"])
    assert result.exit_code == 1 and "Nothing was imported" in result.output
    count = select(func.count(Street.id)).where(Street.municipality_id == _demo(session).id)
    assert session.scalar(count) == 38


def test_streets_geojson_is_rfc7946_cached_and_revalidated(client) -> None:
    response = client.get("/api/v1/demo/streets.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    document = response.get_json(force=True)
    assert check_feature_collection(document) == []
    assert len(document["features"]) == 38
    assert {"name"} == set(document["features"][0]["properties"])
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    again = client.get("/api/v1/demo/streets.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Cache-Control"] == "public, max-age=300"
