"""Incoming geometries: each kind of bad input gets a message saying what and where."""

import json

import pytest
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry import box

from statusmap.gis.validation import Z_DROPPED
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import check_near
from statusmap.gis.validation import check_point
from statusmap.gis.validation import parse_geojson
from statusmap.gis.validation import validate_area

GRAN = box(10.50, 60.33, 10.62, 60.39)  # a municipality-sized box near Gran, Hadeland


def _validate(geometry, **kwargs):
    return validate_area(geometry, max_vertices=1000, **kwargs)


def test_a_valid_polygon_becomes_a_multipolygon() -> None:
    area = _validate(box(10.55, 60.35, 10.56, 60.36))
    assert isinstance(area, MultiPolygon) and area.area > 0


def test_self_intersecting_polygon_is_refused_with_the_place_named() -> None:
    bowtie = Polygon([(10.55, 60.35), (10.57, 60.37), (10.57, 60.35), (10.55, 60.37)])
    with pytest.raises(GeometryError) as caught:
        _validate(bowtie)
    message = str(caught.value)
    assert "crosses itself" in message
    assert "longitude 10.560000, latitude 60.360000" in message


def test_unclosed_ring_is_refused() -> None:
    data = {"type": "Polygon", "coordinates": [[[10.5, 60.3], [10.6, 60.3], [10.6, 60.4]] * 2]}
    with pytest.raises(GeometryError, match="not closed"):
        parse_geojson(data, max_bytes=10_000)


def test_point_outside_norway_is_refused() -> None:
    with pytest.raises(GeometryError, match="outside Norway") as caught:
        check_point(18.0686, 59.3293)  # Stockholm
    assert "longitude 18.068600, latitude 59.329300" in str(caught.value)
    assert check_point(10.7522, 59.9139).x == pytest.approx(10.7522)  # Oslo is fine


def test_swapped_latitude_longitude_is_refused() -> None:
    with pytest.raises(GeometryError, match="outside Norway"):
        check_point(60.36, 10.56)
    with pytest.raises(GeometryError, match="out of range"):
        _validate(box(60.3, 100.5, 60.4, 100.6))


def test_area_far_outside_the_municipality_is_refused() -> None:
    lillehammer = box(10.45, 61.10, 10.47, 61.12)
    with pytest.raises(GeometryError, match="outside the municipality"):
        _validate(lillehammer, boundary=GRAN, utm_epsg=25832, tolerance_m=2000)
    just_outside = box(10.621, 60.35, 10.63, 60.36)  # within 2 km of the edge
    assert _validate(just_outside, boundary=GRAN, utm_epsg=25832, tolerance_m=2000)


def test_each_boundary_and_tolerance_is_checked_against_its_own_reach() -> None:
    """The reach is kept per boundary object: another boundary, or another tolerance, of the
    same municipality is never answered from it."""
    lillehammer = box(10.40, 61.05, 10.52, 61.15)
    near_gran = shapely.Point(10.63, 60.36)  # about 550 m east of GRAN's edge
    check_near(near_gran, GRAN, utm_epsg=25832, tolerance_m=2000)
    with pytest.raises(GeometryError, match="outside the municipality"):
        check_near(near_gran, lillehammer, utm_epsg=25832, tolerance_m=2000)
    with pytest.raises(GeometryError, match="outside the municipality"):
        check_near(near_gran, GRAN, utm_epsg=25832, tolerance_m=100)
    same_outline = box(*GRAN.bounds)  # equal, not the same object
    check_near(near_gran, same_outline, utm_epsg=25832, tolerance_m=2000)


def test_size_limits() -> None:
    many = Polygon(
        [(10.5 + 0.0001 * i, 60.3 + (0.001 if i % 2 else 0)) for i in range(1500)] + [(10.5, 60.2)]
    )
    with pytest.raises(GeometryError, match="vertices"):
        _validate(many)
    big = json.dumps({"type": "Polygon", "coordinates": [[[10.5, 60.3]] * 5000]})
    with pytest.raises(GeometryError, match="bytes"):
        parse_geojson(big, max_bytes=1000)


def test_wrong_type_and_bad_json() -> None:
    with pytest.raises(GeometryError, match="Polygon or MultiPolygon"):
        _validate(box(10.5, 60.3, 10.6, 60.4).exterior)
    with pytest.raises(GeometryError, match="not valid JSON"):
        parse_geojson("{nope", max_bytes=1000)


def test_feature_collection_is_merged() -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": box(10.5, 60.3, 10.51, 60.31).__geo_interface__,
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": box(10.6, 60.3, 10.61, 60.31).__geo_interface__,
            },
        ],
    }
    merged = parse_geojson(fc, max_bytes=100_000)
    assert len(_validate(merged).geoms) == 2


# Extreme places of Norway, mostly on the outer coast and the borders, and near misses abroad.
NORWEGIAN = {
    "Kråkenes, Stadlandet": (4.987, 62.034),
    "Svinøy fyr": (5.27, 62.33),
    "Hoddevik": (5.14, 62.12),
    "Utvær": (4.50, 61.04),
    "Utsira": (4.88, 59.30),
    "Lindesnes": (7.05, 57.98),
    "Torbjørnskjær": (10.79, 59.00),
    "Svinesund": (11.27, 59.09),
    "Treriksrøysa (Sweden, Finland)": (20.55, 69.06),
    "Treriksrøysa (Finland, Russia)": (28.93, 69.05),
    "Grense Jakobselv": (30.83, 69.78),
    "Hornøya, Vardø": (31.16, 70.39),
    "Knivskjellodden": (25.66, 71.19),
    "Ingøy": (24.03, 71.07),
    "Andenes": (16.12, 69.33),
    "Røst": (12.07, 67.45),
    "Halten": (9.40, 64.17),
    "Kautokeino": (23.04, 69.01),
    "Riksgränsen border": (18.12, 68.43),
    "Longyearbyen": (15.63, 78.22),
}
ABROAD = {
    "Stockholm": (18.07, 59.33),
    "Gothenburg": (11.97, 57.71),
    "Östersund": (14.64, 63.18),
    "Umeå": (20.26, 63.83),
    "Kiruna": (20.23, 67.86),
    "Helsinki": (24.94, 60.17),
    "Murmansk": (33.08, 68.97),
    "Copenhagen": (12.57, 55.68),
    "Lerwick": (-1.15, 60.15),
}


@pytest.mark.parametrize("place", sorted(NORWEGIAN))
def test_norwegian_extremes_are_in_norway(place: str) -> None:
    check_point(*NORWEGIAN[place])


@pytest.mark.parametrize("place", sorted(ABROAD))
def test_places_abroad_are_not(place: str) -> None:
    with pytest.raises(GeometryError, match="outside Norway"):
        check_point(*ABROAD[place])


# Malformed GeoJSON structure: each case is refused with GeometryError naming where it is wrong,
# never with RecursionError, TypeError, AttributeError, OverflowError or a GEOS error.
_POINT = {"type": "Point", "coordinates": [10.5, 60.3]}
_SQUARE = [[10.5, 60.3], [10.6, 60.3], [10.6, 60.4], [10.5, 60.3]]
_BOWTIE = [[10.55, 60.35], [10.57, 60.37], [10.57, 60.35], [10.55, 60.37], [10.55, 60.35]]


def _feature(geometry: object) -> dict:
    return {"type": "Feature", "properties": {}, "geometry": geometry}


def _collection(*features: object) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _gc(geometries: object) -> dict:
    return {"type": "GeometryCollection", "geometries": geometries}


def _nested_gcs(depth: int) -> dict:
    geometry: dict = _POINT
    for _ in range(depth):
        geometry = _gc([geometry])
    return geometry


MALFORMED = {
    "deeply nested JSON text": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "deeply nested JSON object": (
        '{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "nested too deeply",
    ),
    "top level is a number": (5, "must be a GeoJSON object, not a number"),
    "top level is JSON list text": ("[1, 2]", "must be a GeoJSON object, not a list"),
    "feature is a number": (_collection(5), r"features\[0\] is not a GeoJSON Feature object"),
    "features is a number": (
        {"type": "FeatureCollection", "features": 5},
        "features of a FeatureCollection must be a list",
    ),
    "features is a string": (
        {"type": "FeatureCollection", "features": '{"type": "Point"}'},
        "features of a FeatureCollection must be a list",
    ),
    "FeatureCollection inside a FeatureCollection": (
        _collection(_collection(_feature(_POINT))),
        r"features\[0\] is not a GeoJSON Feature object.*FeatureCollection",
    ),
    "bare geometry in features": (
        _collection(_feature(_POINT), _POINT),
        r"features\[1\] is not a GeoJSON Feature object.*Point",
    ),
    "feature geometry is a number": (_feature(5), "geometry must be a GeoJSON geometry object"),
    "feature geometry is a list": (
        _collection(_feature([10.5, 60.3])),
        r"features\[0\]\.geometry must be a GeoJSON geometry object, not a list",
    ),
    "feature geometry is null": (_collection(_feature(None)), r"features\[0\] has no geometry"),
    "unknown geometry type": ({"type": 5}, r"its \"type\" must be one of Point"),
    "no type": ({"coordinates": [1, 2]}, r"its \"type\" must be one of Point"),
    "ring is a number": (
        {"type": "Polygon", "coordinates": [5]},
        r"coordinates\[0\] of a Polygon must be a ring",
    ),
    "polygon coordinates are a string": (
        {"type": "Polygon", "coordinates": "abc"},
        "coordinates of a Polygon must be a list of rings, not a string",
    ),
    "ring of strings": (
        {"type": "Polygon", "coordinates": [["a", "b", "c", "a"]]},
        r"coordinates\[0\]\[0\] of a Polygon must be a position",
    ),
    "ring of one-number positions": (
        {"type": "Polygon", "coordinates": [[[1], [2], [3], [1]]]},
        r"coordinates\[0\]\[0\] of a Polygon must be a position",
    ),
    "polygon in a MultiPolygon is a number": (
        {"type": "MultiPolygon", "coordinates": [[_SQUARE], 5]},
        r"coordinates\[1\] of a MultiPolygon must be a Polygon",
    ),
    "point coordinates are strings": (
        {"type": "Point", "coordinates": ["10.5", "60.3"]},
        r"coordinates\[0\] of a Point must be a finite number, not a string",
    ),
    "point coordinates are booleans": (
        {"type": "Point", "coordinates": [True, False]},
        r"coordinates\[0\] of a Point must be a finite number, not a boolean",
    ),
    "point coordinates are null": (
        {"type": "Point", "coordinates": None},
        "coordinates of a Point must be a position",
    ),
    "NaN": ('{"type": "Point", "coordinates": [NaN, 60.3]}', "finite number, not NaN"),
    "Infinity": ('{"type": "Point", "coordinates": [10.5, -Infinity]}', "not -Infinity"),
    "number beyond float range": ('{"type": "Point", "coordinates": [1e400, 60.3]}', "Infinity"),
    "integer beyond float range": (
        '{"type": "Point", "coordinates": [1' + "0" * 400 + ", 60.3]}",
        "too large",
    ),
    "position with one number": ({"type": "Point", "coordinates": [10.5]}, "must be a position"),
    "position with four numbers": (
        {"type": "Point", "coordinates": [10.5, 60.3, 1, 2]},
        "must be a position",
    ),
    "positions with and without height": (
        {"type": "LineString", "coordinates": [[10.5, 60.3], [10.6, 60.3, 5]]},
        "mixes positions",
    ),
    "line is a number": (
        {"type": "LineString", "coordinates": 5},
        "coordinates of a LineString must be a list of positions, not a number",
    ),
    "line with one position": (
        {"type": "LineString", "coordinates": [[10.5, 60.3]]},
        "at least two positions",
    ),
    "line in a MultiLineString is a number": (
        {"type": "MultiLineString", "coordinates": [5]},
        r"coordinates\[0\] of a MultiLineString must be a LineString",
    ),
    "multipoint of numbers": (
        {"type": "MultiPoint", "coordinates": [1, 2]},
        r"coordinates\[0\] of a MultiPoint must be a position",
    ),
    "geometries is a number": (_gc(5), "geometries of a GeometryCollection must be a list"),
    "member of a GeometryCollection is a number": (
        _gc([5]),
        r"geometries\[0\] must be a GeoJSON geometry object",
    ),
    "GeometryCollections nested deeply": (_nested_gcs(5000), "nested too deeply"),
    "GeometryCollections nested one too deep": (
        _nested_gcs(4),
        r"geometries\[0\]\.geometries\[0\]\.geometries\[0\] is a GeometryCollection nested",
    ),
    # found by the fuzzer: shapely raises IndexError and EmptyPartError on these
    "Polygon without rings in a MultiPolygon": (
        {"type": "MultiPolygon", "coordinates": [[], [_SQUARE]]},
        r"coordinates\[0\] of a MultiPolygon is a Polygon without rings",
    ),
    "empty line in a MultiLineString": (
        {"type": "MultiLineString", "coordinates": [[], _SQUARE]},
        r"at least two positions; coordinates\[0\] has 0",
    ),
    "place named inside a FeatureCollection": (
        _collection(_feature(_POINT), _feature({"type": "Polygon", "coordinates": [[5]]})),
        r"features\[1\]\.geometry\.coordinates\[0\]\[0\] of a Polygon must be a position",
    ),
    "invalid features cannot be merged": (
        _collection(*(_feature({"type": "Polygon", "coordinates": [_BOWTIE]}) for _ in range(2))),
        r"cannot be merged.*features\[0\]",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_geojson_is_refused_with_the_place_named(case: str) -> None:
    data, message = MALFORMED[case]
    with pytest.raises(GeometryError, match=message):
        parse_geojson(data, max_bytes=10_000_000)


def test_unclosed_ring_message_names_the_ring() -> None:
    ring = [[10.5, 60.3], [10.6, 60.3], [10.6, 60.4], [10.5, 60.4]]
    data = {"type": "Polygon", "coordinates": [_SQUARE, ring]}
    with pytest.raises(GeometryError, match=r"not closed: coordinates\[1\] starts at longitude"):
        parse_geojson(data, max_bytes=10_000)


def test_well_formed_geometries_still_parse() -> None:
    assert parse_geojson({"type": "Polygon", "coordinates": []}, max_bytes=1000).is_empty
    mixed = _gc([_POINT, {"type": "Polygon", "coordinates": [_SQUARE]}])
    assert parse_geojson(_feature(mixed), max_bytes=10_000).geom_type == "GeometryCollection"
    assert parse_geojson(_nested_gcs(3), max_bytes=10_000).geom_type == "GeometryCollection"
    lines = {"type": "MultiLineString", "coordinates": [_SQUARE, _SQUARE[:2]]}
    assert parse_geojson(lines, max_bytes=10_000).geom_type == "MultiLineString"
    as_tuples = box(10.5, 60.3, 10.6, 60.4).__geo_interface__  # tuples, as shapely gives them
    assert parse_geojson(as_tuples, max_bytes=10_000).area > 0


def test_size_limit_counts_bytes_not_characters() -> None:
    name = "Ålesund " * 100  # 900 bytes in UTF-8, 800 characters
    text = json.dumps(
        {"type": "Point", "coordinates": [6.15, 62.47], "name": name}, ensure_ascii=False
    )
    with pytest.raises(GeometryError, match="bytes"):
        parse_geojson(text, max_bytes=len(text) + 50)
    assert parse_geojson(text, max_bytes=len(text.encode()))


# Heights: GIS exports often carry Z; statusmap keeps positions only, and says so.
_SQUARE_Z = [[lon, lat, 120.5] for lon, lat in _SQUARE]


def test_heights_are_dropped_from_geojson_with_a_note() -> None:
    notes: list[str] = []
    area = parse_geojson(
        {"type": "Polygon", "coordinates": [_SQUARE_Z]}, max_bytes=10_000, notes=notes
    )
    assert not shapely.has_z(area) and area.area > 0
    assert notes == [Z_DROPPED]
    assert not shapely.has_z(
        parse_geojson(_feature(_POINT | {"coordinates": [10.5, 60.3, 9]}), max_bytes=1000)
    )


def test_heights_of_many_features_give_one_note() -> None:
    notes: list[str] = []
    squares = [[[lon + i, lat, 7] for lon, lat in _SQUARE] for i in range(3)]
    fc = _collection(*(_feature({"type": "Polygon", "coordinates": [ring]}) for ring in squares))
    assert not shapely.has_z(parse_geojson(fc, max_bytes=100_000, notes=notes))
    assert notes == [Z_DROPPED]


def test_flat_geojson_gives_no_note() -> None:
    notes: list[str] = []
    parse_geojson({"type": "Polygon", "coordinates": [_SQUARE]}, max_bytes=10_000, notes=notes)
    assert notes == []


def test_ring_closed_in_position_but_not_in_height_is_closed() -> None:
    ring = [*_SQUARE_Z[:-1], [*_SQUARE[0], 121.0]]
    area = parse_geojson({"type": "Polygon", "coordinates": [ring]}, max_bytes=10_000)
    assert area.area > 0


def test_validate_area_drops_heights() -> None:
    area = _validate(Polygon(_SQUARE_Z))
    assert isinstance(area, MultiPolygon) and not shapely.has_z(area)
