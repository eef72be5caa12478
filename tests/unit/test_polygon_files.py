"""Polygon files: formats, CRSs, uploads, limits, refusals that say where, picking a boundary."""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString
from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import Polygon
from shapely.geometry import box

from statusmap.gis.crs import reproject
from statusmap.gis.polygon_files import PolygonFileError
from statusmap.gis.polygon_files import area_from_file
from statusmap.gis.polygon_files import boundary_from_file
from statusmap.gis.polygon_files import choose_utm_zone
from statusmap.gis.validation import Z_DROPPED
from statusmap.gis.validation import GeometryError
from tests.conftest import DATA

AGDER = DATA / "kartverket" / "kommuner-agder-2020.geojson"
MAX = 1_000_000
# A square of about 1 km in Kristiansand, lon/lat, and a bow-tie crossing itself at its middle.
SQUARE = box(8.00, 58.14, 8.02, 58.15)
BOW_TIE = Polygon([(8.00, 58.14), (8.02, 58.15), (8.02, 58.14), (8.00, 58.15)])


def _write(frame: gpd.GeoDataFrame, path: Path, **options: object) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on field names, files without a CRS
        frame.to_file(path, **options)
    return path


def _frame(geometries: list, crs: int | None = 4326, **columns: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geometries, crs=crs)


def _zip_shapefile(folder: Path, frame: gpd.GeoDataFrame, inside: str = "data/") -> Path:
    """A Shapefile, its .shx, .dbf, .prj (if any) and .cpg, zipped under a subfolder."""
    source = folder / "shp"
    source.mkdir()
    _write(frame, source / "area.shp")
    archive = folder / "area.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for part in sorted(source.iterdir()):
            out.write(part, inside + part.name)
    return archive


def _close(a: shapely.Geometry, b: shapely.Geometry, tolerance: float = 1e-7) -> bool:
    return bool(a.symmetric_difference(b).area < tolerance * max(a.area, b.area))


def test_geojson_in_utm_33_with_its_legacy_crs_member_is_reprojected(tmp_path: Path) -> None:
    path = _write(_frame([SQUARE]).to_crs(25833), tmp_path / "area.geojson")
    member = json.loads(path.read_text())["crs"]["properties"]["name"]
    assert member == "urn:ogc:def:crs:EPSG::25833"  # what the test is about: a non-RFC 7946 file
    area = area_from_file(path, max_bytes=MAX)
    assert isinstance(area.geometry, MultiPolygon)
    assert _close(area.geometry, SQUARE)
    assert area.notes == []


def test_geojson_without_a_crs_member_is_longitude_latitude(tmp_path: Path) -> None:
    path = tmp_path / "area.json"
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [list(SQUARE.exterior.coords)]}))
    assert _close(area_from_file(path, max_bytes=MAX).geometry, SQUARE)


def test_geojson_in_metres_without_a_crs_member_is_refused(tmp_path: Path) -> None:
    metres = reproject(SQUARE, 4326, 25833)
    path = tmp_path / "area.geojson"
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [list(metres.exterior.coords)]}))
    with pytest.raises(PolygonFileError, match="not longitude/latitude .* look like metres"):
        area_from_file(path, max_bytes=MAX)


def test_zipped_shapefile_in_a_subfolder_from_a_path_and_as_an_upload(tmp_path: Path) -> None:
    archive = _zip_shapefile(tmp_path, _frame([SQUARE]).to_crs(25832))
    from_path = area_from_file(archive, max_bytes=MAX)
    uploaded = area_from_file(archive.read_bytes(), max_bytes=MAX, filename="Område.ZIP")
    assert _close(from_path.geometry, SQUARE)
    assert uploaded.geometry.equals(from_path.geometry)


def test_zip_from_a_mac_with_resource_forks_is_read(tmp_path: Path) -> None:
    archive = _zip_shapefile(tmp_path, _frame([SQUARE]).to_crs(25832))
    with zipfile.ZipFile(archive, "a") as out:
        out.writestr("__MACOSX/data/._area.shp", b"\x00\x05\x16\x07")
    assert _close(area_from_file(archive, max_bytes=MAX).geometry, SQUARE)


def test_a_shapefile_on_disk_is_read_but_uploaded_alone_is_refused(tmp_path: Path) -> None:
    shp = _write(_frame([SQUARE]).to_crs(25833), tmp_path / "area.shp")
    assert _close(area_from_file(shp, max_bytes=MAX).geometry, SQUARE)
    with pytest.raises(PolygonFileError, match="upload a Shapefile as one .zip"):
        area_from_file(shp.read_bytes(), max_bytes=MAX, filename="area.shp")


def test_a_zip_must_hold_exactly_one_shapefile(tmp_path: Path) -> None:
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as out:
        out.writestr("readme.txt", "no shapes here")
    with pytest.raises(PolygonFileError, match="exactly one Shapefile .* it holds 0: none"):
        area_from_file(empty, max_bytes=MAX)
    two = _zip_shapefile(tmp_path, _frame([SQUARE]))
    with zipfile.ZipFile(two, "a") as out:
        out.writestr("other/more.shp", b"")
    with pytest.raises(PolygonFileError, match="it holds 2: data/area.shp, other/more.shp"):
        area_from_file(two, max_bytes=MAX)


def test_a_shapefile_without_its_prj_is_refused(tmp_path: Path) -> None:
    archive = _zip_shapefile(tmp_path, _frame([SQUARE], crs=None))
    assert not any(n.endswith(".prj") for n in zipfile.ZipFile(archive).namelist())
    with pytest.raises(PolygonFileError, match=r"does not say its coordinate system .*\.prj"):
        area_from_file(archive, max_bytes=MAX)


def test_geopackage_in_utm_35_and_without_a_crs(tmp_path: Path) -> None:
    vardo = box(31.09, 70.36, 31.12, 70.38)
    path = _write(_frame([vardo]).to_crs(25835), tmp_path / "area.gpkg")
    assert _close(area_from_file(path, max_bytes=MAX).geometry, vardo)
    bare = _write(_frame([vardo], crs=None), tmp_path / "bare.gpkg")
    with pytest.raises(PolygonFileError, match="does not say its coordinate system"):
        area_from_file(bare, max_bytes=MAX)


def test_self_intersection_is_refused_with_where_it_crosses(tmp_path: Path) -> None:
    path = _write(_frame([SQUARE.buffer(0.01), BOW_TIE]), tmp_path / "area.geojson")
    with pytest.raises(GeometryError) as raised:
        area_from_file(path, max_bytes=MAX)
    assert isinstance(raised.value, PolygonFileError)
    assert "feature 2 has an outline that crosses itself (Self-intersection)" in str(raised.value)
    assert "near longitude 8.010000, latitude 58.145000" in str(raised.value)
    lon, lat = raised.value.location
    assert abs(lon - 8.01) < 1e-6 and abs(lat - 58.145) < 1e-6


def test_self_intersection_in_utm_is_located_in_longitude_latitude(tmp_path: Path) -> None:
    # A bow-tie drawn in EUREF89 UTM 33, crossing at (90_500, 6_451_500).
    corners = [(90_000, 6_451_000), (91_000, 6_452_000), (91_000, 6_451_000), (90_000, 6_452_000)]
    path = _write(_frame([Polygon(corners)], crs=25833), tmp_path / "bow.gpkg")
    crossing = reproject(Point(90_500, 6_451_500), 25833, 4326)
    with pytest.raises(PolygonFileError) as raised:
        area_from_file(path, max_bytes=MAX)
    lon, lat = raised.value.location
    assert abs(lon - crossing.x) < 1e-6 and abs(lat - crossing.y) < 1e-6


def test_a_file_of_points_and_lines_has_no_polygons(tmp_path: Path) -> None:
    shapes = [Point(8.0, 58.1), Point(8.1, 58.1), LineString([(8.0, 58.1), (8.1, 58.2)])]
    path = _write(_frame(shapes), tmp_path / "points.geojson")
    with pytest.raises(PolygonFileError, match="has 3 features but no polygons: LineString, Point"):
        area_from_file(path, max_bytes=MAX)


def test_polygons_are_merged_and_the_rest_noted(tmp_path: Path) -> None:
    east = box(8.02, 58.14, 8.04, 58.15)  # shares an edge with SQUARE
    shapes = [shapely.force_3d(SQUARE, 12.0), east, Point(8.01, 58.145)]
    path = _write(_frame(shapes), tmp_path / "mixed.gpkg")
    area = area_from_file(path, max_bytes=MAX)
    assert _close(area.geometry, box(8.00, 58.14, 8.04, 58.15))
    assert len(area.geometry.geoms) == 1 and not shapely.has_z(area.geometry)
    assert area.notes == [
        Z_DROPPED,
        "1 feature not polygons, ignored (Point).",
        "2 polygon features merged into one area.",
    ]


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _write(_frame([SQUARE]), tmp_path / "area.geojson")
    size = path.stat().st_size
    with pytest.raises(PolygonFileError, match=r"area.geojson is .* MB; the limit is 0.0001 MB"):
        area_from_file(path, max_bytes=100)
    with pytest.raises(PolygonFileError, match="the limit is 0.0001 MB"):
        area_from_file(path.read_bytes(), max_bytes=100, filename="area.geojson")
    assert area_from_file(path, max_bytes=size).geometry.is_valid  # at the limit is fine


def test_unknown_formats_and_disguised_files_are_refused(tmp_path: Path) -> None:
    kml = tmp_path / "area.kml"
    kml.write_text("<kml/>")
    with pytest.raises(PolygonFileError, match=r"cannot read \.kml; it reads GeoJSON .*GeoPackage"):
        area_from_file(kml, max_bytes=MAX)
    # A GDAL virtual dataset named as GeoJSON: GDAL would follow it to a file on the server.
    target = _write(_frame([SQUARE]), tmp_path / "secret.geojson")
    vrt = f"<OGRVRTDataSource><OGRVRTLayer name='x'><SrcDataSource>{target}</SrcDataSource>"
    vrt += "</OGRVRTLayer></OGRVRTDataSource>"
    with pytest.raises(PolygonFileError, match="is not GeoJSON"):
        area_from_file(vrt.encode(), max_bytes=MAX, filename="area.geojson")
    with pytest.raises(PolygonFileError, match="is not a GeoPackage"):
        area_from_file(b"{}", max_bytes=MAX, filename="area.gpkg")
    with pytest.raises(PolygonFileError, match="No such file"):
        area_from_file(tmp_path / "missing.geojson", max_bytes=MAX)


@pytest.mark.parametrize("asked", ["0301", "301", 301])
def test_kommunenummer_is_compared_as_four_digits(tmp_path: Path, asked: str | int) -> None:
    oslo, other = box(10.7, 59.9, 10.8, 59.95), box(10.5, 59.9, 10.6, 59.95)
    as_numbers = _write(
        _frame([other, oslo], komm=[3201, 301], navn=["BÆRUM", "OSLO"]), tmp_path / "n.geojson"
    )
    as_text = _write(_frame([oslo], KOMMUNENR=["0301"]), tmp_path / "t.gpkg")
    for path in (as_numbers, as_text):
        found = boundary_from_file(path, asked)
        assert _close(found.geometry, oslo)
    assert boundary_from_file(as_numbers, asked).name == "OSLO"


def test_no_match_lists_the_numbers_the_file_has_and_the_property_read() -> None:
    with pytest.raises(PolygonFileError) as raised:
        boundary_from_file(AGDER, "0301")
    assert str(raised.value) == (
        "kommuner-agder-2020.geojson has no feature with kommunenummer 0301 (read from its "
        "property 'kommunenummer'); it has 4204, 4205, 4215, 4216, 4223."
    )


def test_many_numbers_are_listed_ten_and_counted(tmp_path: Path) -> None:
    squares = [box(8 + i / 100, 58.1, 8.005 + i / 100, 58.105) for i in range(14)]
    path = _write(_frame(squares, knr=[str(5001 + i) for i in range(14)]), tmp_path / "a.gpkg")
    with pytest.raises(PolygonFileError, match="it has 5001, 5002, .*, 5010 and 4 more"):
        boundary_from_file(path, "4204")


def test_a_file_of_one_polygon_needs_no_kommunenummer(tmp_path: Path) -> None:
    one = _write(_frame([SQUARE], navn=["Kristiansand"]), tmp_path / "one.geojson")
    found = boundary_from_file(one, "4204")
    assert _close(found.geometry, SQUARE) and found.name == "Kristiansand"
    two = _write(_frame([SQUARE, BOW_TIE.envelope], navn=["a", "b"]), tmp_path / "two.geojson")
    with pytest.raises(PolygonFileError, match="2 polygon features and no property .* navn"):
        boundary_from_file(two, "4204")


def test_kristiansand_from_kartverkets_file() -> None:
    found = boundary_from_file(AGDER, "4204")
    assert found.name == "Kristiansand"
    assert found.geometry.is_valid and isinstance(found.geometry, MultiPolygon)
    assert found.geometry.contains(Point(7.9956, 58.1467))  # the cathedral, Kvadraturen
    # Two of its parts overlap in Kartverket's generalised file: said, and the area kept.
    assert found.notes == [
        "Feature 4 has parts that overlap (self-intersection near longitude 8.104033, "
        "latitude 58.100980); the area they cover is kept as one."
    ]


def test_a_ring_that_crosses_itself_in_kartverkets_file_is_refused() -> None:
    with pytest.raises(
        PolygonFileError, match="feature 5 has an outline that crosses itself"
    ) as raised:
        boundary_from_file(AGDER, 4205)
    assert raised.value.location == pytest.approx((7.431051, 58.031943), abs=1e-6)


@pytest.mark.parametrize(
    ("town", "lon", "lat", "epsg"),
    [
        ("Bodø", 14.40, 67.28, 25833),
        ("Tromsø", 18.96, 69.65, 25833),  # Troms, but nearer 15°E than 27°E
        ("Vardø", 31.11, 70.37, 25835),
        ("west of 12°E", 11.9, 59.5, 25832),
        ("east of 12°E", 12.1, 63.0, 25833),
        ("west of 21°E", 20.9, 69.5, 25833),
        ("east of 21°E", 21.1, 69.5, 25835),
    ],
)
def test_utm_zone_is_the_nearest_central_meridian(town: str, lon: float, lat: float, epsg: int):
    assert choose_utm_zone(Point(lon, lat).buffer(0.05)) == epsg, town


def test_utm_zone_for_kristiansand_is_32() -> None:
    assert choose_utm_zone(boundary_from_file(AGDER, "4204").geometry) == 25832
