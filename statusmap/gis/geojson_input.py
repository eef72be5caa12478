"""Reading incoming GeoJSON (RFC 7946) into one shapely geometry, refusing malformed structure.

The structure is checked per geometry type before shapely sees it, so every problem raises
GeometryError naming where in the document it is, e.g. "features[3].geometry.coordinates[0]".
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import GeometryCollection
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from statusmap.gis.json_values import describe
from statusmap.gis.json_values import finite

# How many GeometryCollections may sit inside one another (RFC 7946 advises no nesting at all).
MAX_COLLECTION_NESTING = 3


class GeometryError(ValueError):
    """An unusable incoming geometry; the message says what and where, `location` (lon, lat)."""

    def __init__(self, message: str, location: tuple[float, float] | None = None) -> None:
        super().__init__(message)
        self.location = location


Z_DROPPED = "The heights (Z coordinates) were dropped: statusmap stores positions only."


def drop_z(geometry: BaseGeometry) -> tuple[BaseGeometry, bool]:
    """Return the geometry in 2D, and whether it had heights (GIS exports often carry Z)."""
    if not shapely.has_z(geometry):
        return geometry, False
    return shapely.force_2d(geometry), True


def parse_geojson(
    data: str | bytes | dict[str, Any], *, max_bytes: int, notes: list[str] | None = None
) -> BaseGeometry:
    """Parse a GeoJSON geometry, Feature or FeatureCollection into one 2D shapely geometry.

    Heights are dropped; if there were any, Z_DROPPED is appended to notes (once).
    """
    document = _load(data, max_bytes)
    if not isinstance(document, dict):
        raise GeometryError(f"The geometry must be a GeoJSON object, not {describe(document)}.")
    if document.get("type") == "FeatureCollection":
        geometry = _feature_collection(document)
    elif document.get("type") == "Feature":
        geometry = _feature(document, "")
    else:
        geometry = _geometry(document, "", nesting=0)
    geometry, had_z = drop_z(geometry)
    if had_z and notes is not None and Z_DROPPED not in notes:
        notes.append(Z_DROPPED)
    return geometry


def _load(data: object, max_bytes: int) -> object:
    if not isinstance(data, str | bytes | bytearray):
        return data
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise GeometryError(f"The geometry is {size} bytes; the limit is {max_bytes}.")
    try:
        return json.loads(data)
    except RecursionError as exc:
        raise GeometryError("The geometry is nested too deeply to be GeoJSON.") from exc
    except ValueError as exc:
        raise GeometryError(f"The geometry is not valid JSON: {exc}") from exc


def _feature_collection(document: dict[str, Any]) -> BaseGeometry:
    features = document.get("features")
    if features is not None and not isinstance(features, list | tuple):
        raise GeometryError(
            "features of a FeatureCollection must be a list of Feature objects, "
            f"not {describe(features)}."
        )
    if not features:
        raise GeometryError("The FeatureCollection has no features.")
    parts = [_feature(feature, f"features[{i}]") for i, feature in enumerate(features)]
    if len(parts) == 1:
        return parts[0]
    try:
        with warnings.catch_warnings():
            # Numeric trouble inside GEOS (overflow, NaN) is a refusal, not a garbled area.
            warnings.simplefilter("error", RuntimeWarning)
            return shapely.union_all(parts)
    except RuntimeWarning as exc:
        raise GeometryError(f"The features cannot be merged into one area: {exc}.") from exc
    except ShapelyError as exc:
        broken = next((i for i, part in enumerate(parts) if not part.is_valid), None)
        if broken is None:
            raise GeometryError(f"The features cannot be merged into one area: {exc}") from exc
        raise GeometryError(
            f"The features cannot be merged into one area: features[{broken}] is not a valid "
            f"geometry ({explain_validity(parts[broken])})."
        ) from exc


def _feature(feature: object, path: str) -> BaseGeometry:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        hint = ""
        if isinstance(feature, dict) and feature.get("type") == "FeatureCollection":
            hint = "; a FeatureCollection cannot contain another, list its Features directly"
        raise GeometryError(
            f"{path} is not a GeoJSON Feature object (it is {describe(feature)}{hint})."
        )
    if feature.get("geometry") is None:
        raise GeometryError(f"{path or 'The Feature'} has no geometry (it is null or missing).")
    return _geometry(feature["geometry"], _member(path, "geometry"), nesting=0)


def _geometry(geometry: object, path: str, *, nesting: int) -> BaseGeometry:
    name = path or "The geometry"
    if not isinstance(geometry, dict):
        raise GeometryError(f"{name} must be a GeoJSON geometry object, not {describe(geometry)}.")
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        return _geometry_collection(geometry, path, nesting=nesting)
    if not isinstance(kind, str) or kind not in _CHECKS:
        found = f"not {describe(kind)}" if "type" in geometry else "and it has none"
        raise GeometryError(
            f'{name} is not a GeoJSON geometry: its "type" must be one of '
            f"{', '.join(_CHECKS)} or GeometryCollection, {found}."
        )
    _CHECKS[kind](geometry.get("coordinates"), _member(path, "coordinates"), kind)
    try:
        return shape(geometry)
    except (ValueError, ShapelyError) as exc:  # a safety net: the checks above should catch all
        raise GeometryError(f"{name} is not a usable {kind}: {exc}") from exc


def _geometry_collection(collection: dict[str, Any], path: str, *, nesting: int) -> BaseGeometry:
    if nesting >= MAX_COLLECTION_NESTING:
        raise GeometryError(
            f"{path} is a GeometryCollection nested too deeply in others (at most "
            f"{MAX_COLLECTION_NESTING} levels); put its members in the outer collection."
        )
    members = collection.get("geometries")
    where = _member(path, "geometries")
    if not isinstance(members, list | tuple):
        raise GeometryError(
            f"{where} of a GeometryCollection must be a list of geometry objects, "
            f"not {describe(members)}."
        )
    parts = [_geometry(m, f"{where}[{i}]", nesting=nesting + 1) for i, m in enumerate(members)]
    return GeometryCollection(parts)


# One structural check per geometry type: (coordinates, path, type name) -> None or GeometryError.


def _point(coordinates: object, path: str, kind: str) -> None:
    _position(coordinates, path, kind)


def _multi_point(coordinates: object, path: str, kind: str) -> None:
    _positions(coordinates, path, kind, "a list of positions")


def _line_string(coordinates: object, path: str, kind: str, *, part: bool = False) -> None:
    what = "a LineString: a list of positions" if part else "a list of positions"
    positions = _positions(coordinates, path, kind, what)
    if len(positions) < 2 and (positions or part):  # a LineString may be empty, not a part of one
        raise GeometryError(f"A line needs at least two positions; {path} has {len(positions)}.")


def _multi_line_string(coordinates: object, path: str, kind: str) -> None:
    for i, line in enumerate(_list(coordinates, path, kind, "a list of LineStrings")):
        _line_string(line, f"{path}[{i}]", kind, part=True)


def _polygon(coordinates: object, path: str, kind: str) -> None:
    for i, ring in enumerate(_list(coordinates, path, kind, "a list of rings")):
        _ring(ring, f"{path}[{i}]", kind)


def _multi_polygon(coordinates: object, path: str, kind: str) -> None:
    for i, polygon in enumerate(_list(coordinates, path, kind, "a list of Polygons")):
        where = f"{path}[{i}]"
        rings = _list(polygon, where, kind, "a Polygon: a list of rings")
        if not rings:
            raise GeometryError(f"{where} of a {kind} is a Polygon without rings; remove it.")
        for j, ring in enumerate(rings):
            _ring(ring, f"{where}[{j}]", kind)


_CHECKS: dict[str, Callable[[object, str, str], None]] = {
    "Point": _point,
    "MultiPoint": _multi_point,
    "LineString": _line_string,
    "MultiLineString": _multi_line_string,
    "Polygon": _polygon,
    "MultiPolygon": _multi_polygon,
}


def _ring(ring: object, path: str, kind: str) -> None:
    positions = _positions(ring, path, kind, "a ring: a list of positions")
    if len(positions) < 4:
        raise GeometryError(
            f"A polygon ring needs at least four positions; {path} has {len(positions)}."
        )
    if list(positions[0][:2]) != list(positions[-1][:2]):  # heights are dropped anyway
        lon, lat = positions[0][:2]
        raise GeometryError(
            f"A polygon ring is not closed: {path} starts at {_where(lon, lat)} "
            "but does not end there."
        )


def _positions(value: object, path: str, kind: str, what: str) -> list[Any] | tuple[Any, ...]:
    positions = _list(value, path, kind, what)
    for i, position in enumerate(positions):
        _position(position, f"{path}[{i}]", kind)
    if len({len(position) for position in positions}) > 1:
        raise GeometryError(
            f"{path} of a {kind} mixes positions with and without height: "
            "give all of them 2 numbers, or all 3."
        )
    return positions


# Beyond this no number of a position is a coordinate of any system we read (degrees, or
# metres of a UTM zone: northings in Norway stay below 8e6), and GEOS would overflow on it.
FAR_OUT = 1e8


def _position(value: object, path: str, kind: str) -> None:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise GeometryError(
            f"{path} of a {kind} must be a position: 2 or 3 numbers (longitude, latitude "
            f"and optionally height), not {describe(value)}."
        )
    for i, number in enumerate(value):
        checked = finite(number)
        if checked is None:
            raise GeometryError(
                f"{path}[{i}] of a {kind} must be a finite number, not {describe(number)}."
            )
        if abs(checked) > FAR_OUT:
            raise GeometryError(
                f"{path}[{i}] of a {kind} is {checked:g}, far outside any coordinate: positions "
                "are longitude and latitude in degrees (WGS 84), or metres of the given UTM zone."
            )


def _list(value: object, path: str, kind: str, what: str) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise GeometryError(f"{path} of a {kind} must be {what}, not {describe(value)}.")
    return value


def _member(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _where(lon: float, lat: float) -> str:
    return f"longitude {lon:.6f}, latitude {lat:.6f}"
