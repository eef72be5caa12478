"""Fuzzing parse_geojson: whatever comes in, out comes a shapely geometry or a GeometryError."""

from __future__ import annotations

import copy
import json
from typing import Any

import shapely
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from shapely.geometry.base import BaseGeometry

from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import parse_geojson

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_BYTES = 1_000_000
GEOJSON_KEYS = ["type", "coordinates", "geometry", "geometries", "features", "properties"]
GEOJSON_TYPES = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
    "Feature",
    "FeatureCollection",
]

# Arbitrary JSON-like values, with NaN, infinities, huge integers, and GeoJSON's own words.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**308, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.sampled_from(GEOJSON_TYPES),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.sampled_from(GEOJSON_KEYS) | st.text(max_size=5), children, max_size=5),
    ),
    max_leaves=25,
)
junk = st.recursive(scalars, lambda c: st.lists(c, max_size=3), max_leaves=5)


# Valid GeoJSON, all positions of a geometry with the same number of ordinates (2 or 3).
def _positions(dims: int, min_size: int = 0) -> st.SearchStrategy[list[Any]]:
    ordinate = st.floats(min_value=-180, max_value=180) | st.integers(-180, 180)
    position = st.lists(ordinate, min_size=dims, max_size=dims)
    return st.lists(position, min_size=min_size, max_size=5)


def _rings(dims: int) -> st.SearchStrategy[list[Any]]:
    return _positions(dims, min_size=3).map(lambda ring: [*ring, list(ring[0])])


def _simple_geometries(dims: int) -> st.SearchStrategy[dict[str, Any]]:
    polygon = st.lists(_rings(dims), max_size=2)
    coordinates = {
        "Point": _positions(dims, min_size=1).map(lambda ps: ps[0]),
        "MultiPoint": _positions(dims),
        "LineString": _positions(dims, min_size=2),
        "MultiLineString": st.lists(_positions(dims, min_size=2), max_size=2),
        "Polygon": polygon,
        "MultiPolygon": st.lists(st.lists(_rings(dims), min_size=1, max_size=2), max_size=2),
    }
    return st.one_of(
        *(
            st.fixed_dictionaries({"type": st.just(k), "coordinates": c})
            for k, c in coordinates.items()
        )
    )


valid_geometries = st.recursive(
    _simple_geometries(2) | _simple_geometries(3),
    lambda members: st.fixed_dictionaries(
        {"type": st.just("GeometryCollection"), "geometries": st.lists(members, max_size=3)}
    ),
    max_leaves=3,
)
valid_features = st.fixed_dictionaries(
    {"type": st.just("Feature"), "geometry": valid_geometries, "properties": st.builds(dict)}
)
valid_collections = st.fixed_dictionaries(
    {"type": st.just("FeatureCollection"), "features": st.lists(valid_features, max_size=3)}
)
valid_documents = st.one_of(valid_geometries, valid_features, valid_collections)


# Pieces that are right somewhere in GeoJSON, and so wrong in most other places.
PIECES = [
    [10.5, 60.3],
    [10.5, 60.3, 100.0],
    [[10.5, 60.3], [10.6, 60.3], [10.6, 60.4], [10.5, 60.3]],
    {"type": "Point", "coordinates": [10.5, 60.3]},
    {"type": "Feature", "geometry": None, "properties": {}},
    {"type": "FeatureCollection", "features": []},
    {"type": "GeometryCollection", "geometries": []},
]


def _places(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in a document: the places a mutation can go."""
    keys = range(len(node)) if isinstance(node, list) else node if isinstance(node, dict) else ()
    return [(node, key) for key in keys] + [p for key in keys for p in _places(node[key])]


@st.composite
def _mutated(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> Any:
    """A valid document with one to three of its parts, at any level, wrong or missing."""
    document = draw(documents)
    for _ in range(draw(st.integers(1, 3))):
        places = _places(document)
        if not places:
            break
        if draw(st.booleans()):  # sampled_from favours the first places; these are the deepest
            places.reverse()
        container, key = draw(st.sampled_from(places))
        if isinstance(container, dict) and draw(st.booleans()):
            del container[key]
        else:
            container[key] = draw(junk | st.sampled_from(PIECES).map(copy.deepcopy))
    return document


near_valid = _mutated(valid_documents)
documents = st.one_of(valid_documents, near_valid, json_values)


def _as_text(document: Any, allow_nan: bool) -> str:
    try:
        return json.dumps(document, allow_nan=allow_nan)
    except ValueError:  # NaN or infinity with allow_nan=False
        return json.dumps(None)


texts = st.one_of(
    st.builds(_as_text, documents, st.booleans()),
    st.builds(_as_text, documents, st.booleans()).flatmap(
        lambda text: st.integers(0, len(text)).map(lambda n: text[:n])  # cut short
    ),
    st.text(),
    st.text(alphabet='[]{}",:0123456789.eE-NaInfity ').map(lambda t: "[" * 2000 + t),
    st.integers(1, 100_000).map(lambda n: "[" * n + "]" * n),
)
raw = st.one_of(texts, texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary())


def _parses_or_refuses(data: Any) -> None:
    try:
        result = parse_geojson(data, max_bytes=MAX_BYTES)
    except GeometryError as exc:
        assert str(exc)
    else:
        assert isinstance(result, BaseGeometry) and not shapely.has_z(result)


@FUZZ
@given(json_values)
def test_arbitrary_json_values(data: Any) -> None:
    _parses_or_refuses(data)


@FUZZ
@given(near_valid)
def test_near_valid_geojson(data: Any) -> None:
    _parses_or_refuses(data)


@FUZZ
@given(st.one_of(valid_geometries, valid_features))
def test_valid_geojson_parses(data: dict[str, Any]) -> None:
    geometry = data["geometry"] if data["type"] == "Feature" else data
    assert parse_geojson(data, max_bytes=MAX_BYTES).geom_type == geometry["type"]


@FUZZ
@given(raw)
def test_raw_text_and_bytes(data: str | bytes) -> None:
    _parses_or_refuses(data)


def test_a_position_far_out_is_refused_before_geos_overflows() -> None:
    """Found by the fuzzer: a line and a polygon with a vertex at 1e308 made GEOS overflow while
    merging the features, and the error escaped as a TopologyException."""
    far = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [0, 1e308], [0, 0]]]}
    line = {"type": "LineString", "coordinates": [[0, 0], [0, 0.15]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": line},
            {"type": "Feature", "properties": {}, "geometry": far},
        ],
    }
    try:
        parse_geojson(json.dumps(collection), max_bytes=MAX_BYTES)
    except GeometryError as refused:
        assert "far outside any coordinate" in str(refused)
    else:
        raise AssertionError("a vertex at 1e308 was accepted")
