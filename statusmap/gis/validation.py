"""Validation of incoming geometries: type, rings, self-intersection, range, place and size.

Each check raises GeometryError with a message a person can act on, naming the place that is wrong.
Reading GeoJSON text is in geojson_input; parse_geojson, GeometryError, drop_z and Z_DROPPED are
re-exported here, where the rest of statusmap imports them from.
"""

from __future__ import annotations

import re
from functools import lru_cache

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import Polygon
from shapely.geometry import Polygon as _Polygon
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from statusmap.gis.crs import to_utm
from statusmap.gis.geojson_input import Z_DROPPED as Z_DROPPED
from statusmap.gis.geojson_input import GeometryError as GeometryError
from statusmap.gis.geojson_input import drop_z as drop_z
from statusmap.gis.geojson_input import parse_geojson as parse_geojson

# Where Norway is, coarsely: a hand-drawn envelope of the mainland and its islands that runs some
# 20-40 km beyond the land border with Sweden, Finland and Russia (so no Norwegian address near the
# border is ever refused), plus boxes for Svalbard and Jan Mayen. It stops Stockholm, Gothenburg or
# swapped coordinates; the precise check is "inside or near the municipality" (check_near).
_MAINLAND = (
    (4.0, 57.7),
    (7.0, 57.7),
    (8.8, 57.8),
    (10.6, 58.5),
    (11.3, 58.75),
    (11.9, 59.0),
    (12.3, 59.5),
    (12.5, 59.9),
    (13.0, 60.2),
    (13.1, 61.0),
    (13.3, 61.4),
    (12.9, 62.0),
    (12.8, 62.6),
    (12.9, 63.2),
    (13.6, 63.8),
    (14.8, 64.4),
    (14.9, 65.0),
    (15.4, 65.6),
    (16.1, 66.2),
    (16.9, 66.9),
    (17.3, 67.5),
    (18.8, 68.35),
    (20.2, 68.55),
    (21.2, 69.0),
    (22.0, 68.9),
    (23.0, 68.45),
    (24.2, 68.4),
    (25.3, 68.5),
    (26.3, 69.0),
    (27.0, 69.6),
    (28.4, 69.7),
    (28.5, 69.0),
    (28.8, 68.75),
    (29.7, 68.75),
    (30.5, 69.3),
    (31.4, 69.7),
    (31.8, 70.5),
    (28.0, 71.4),
    (25.5, 71.5),
    (19.0, 70.6),
    (13.5, 68.7),
    (11.0, 67.8),
    (9.5, 65.0),
    (7.0, 63.6),
    (4.6, 62.6),
    (3.9, 61.8),
    (4.0, 57.7),
)
NORWAY_EXTENTS = (
    _Polygon(_MAINLAND),
    box(10.0, 74.0, 35.0, 81.0),
    box(-9.2, 70.8, -7.8, 71.2),
)


def validate_area(
    geometry: BaseGeometry,
    *,
    max_vertices: int,
    boundary: BaseGeometry | None = None,
    utm_epsg: int | None = None,
    tolerance_m: float = 2000.0,
) -> MultiPolygon:
    """Check that an EPSG:4326 geometry can be an incident area; return it as a 2D MultiPolygon."""
    geometry, _ = drop_z(geometry)
    if not isinstance(geometry, Polygon | MultiPolygon):
        raise GeometryError(f"An area must be a Polygon or MultiPolygon, not {geometry.geom_type}.")
    if geometry.is_empty:
        raise GeometryError("The area is empty.")
    vertices = shapely.get_num_coordinates(geometry)
    if vertices > max_vertices:
        raise GeometryError(f"The area has {vertices} vertices; the limit is {max_vertices}.")
    check_coordinates(geometry)
    if not geometry.is_valid:
        raise _explain_invalid(geometry)
    check_in_norway(geometry)
    if boundary is not None and utm_epsg is not None:
        check_near(geometry, boundary, utm_epsg=utm_epsg, tolerance_m=tolerance_m)
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    return geometry


def check_coordinates(geometry: BaseGeometry) -> None:
    """Reject coordinates outside lon [-180, 180], lat [-90, 90] (often swapped lat/lon)."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise GeometryError(
            "Coordinates must be longitude, latitude in degrees (EPSG:4326, longitude first); "
            f"got values out of range (bounds {geometry.bounds})."
        )


def check_in_norway(geometry: BaseGeometry) -> None:
    """Reject a geometry that lies wholly or partly outside Norway."""
    if not any(extent.covers(geometry) for extent in NORWAY_EXTENTS):
        lon, lat = _outside_point(geometry)
        raise GeometryError(f"The location {_where(lon, lat)} is outside Norway.")


def check_near(
    geometry: BaseGeometry, boundary: BaseGeometry, *, utm_epsg: int, tolerance_m: float
) -> None:
    """Reject a geometry further than tolerance_m outside the municipality's boundary."""
    local = to_utm(geometry, utm_epsg)
    if not _reach_of(boundary, utm_epsg, tolerance_m).covers(local):
        lon, lat = _outside_point(geometry, within=boundary)
        raise GeometryError(
            f"The location {_where(lon, lat)} is more than {tolerance_m:.0f} m outside "
            "the municipality."
        )


# The same boundary object (a municipality kept in memory) is asked about again and again: its
# reach is found by identity first, since its WKB (the key below) costs milliseconds to write and
# hash for a real outline of thousands of points. The entry holds the boundary, so its id stays
# its own.
_REACH_BY_ID: dict[int, tuple[BaseGeometry, int, float, BaseGeometry]] = {}
REACH_BY_ID_ENTRIES = 16


def _reach_of(boundary: BaseGeometry, utm_epsg: int, tolerance_m: float) -> BaseGeometry:
    known = _REACH_BY_ID.get(id(boundary))
    if known is not None and known[0] is boundary and known[1:3] == (utm_epsg, tolerance_m):
        return known[3]
    reach = _reach(boundary.wkb, utm_epsg, tolerance_m)
    if len(_REACH_BY_ID) >= REACH_BY_ID_ENTRIES:
        _REACH_BY_ID.clear()  # boundaries loaded afresh per request come and go
    _REACH_BY_ID[id(boundary)] = (boundary, utm_epsg, tolerance_m, reach)
    return reach


@lru_cache(maxsize=32)
def _reach(boundary_wkb: bytes, utm_epsg: int, tolerance_m: float) -> BaseGeometry:
    """The boundary widened by the tolerance in UTM, made once per boundary (a buffer of a real
    municipality's outline takes milliseconds; every report and every drawn area asks for it)."""
    reach = to_utm(shapely.from_wkb(boundary_wkb), utm_epsg).buffer(tolerance_m)
    shapely.prepare(reach)
    return reach


def check_point(lon: float, lat: float) -> Point:
    """Validate a lon/lat pair as a point in Norway and return it."""
    point = Point(lon, lat)
    check_coordinates(point)
    check_in_norway(point)
    return point


def _outside_point(geometry: BaseGeometry, within: BaseGeometry | None = None) -> tuple[float, ...]:
    """Return one coordinate of geometry that lies outside Norway (or outside 'within')."""
    for x, y in shapely.get_coordinates(geometry):
        candidate = Point(x, y)
        if within is not None and not within.covers(candidate):
            return float(x), float(y)
        if within is None and not any(e.covers(candidate) for e in NORWAY_EXTENTS):
            return float(x), float(y)
    centroid = geometry.centroid
    return centroid.x, centroid.y


def invalid_reason(geometry: BaseGeometry) -> tuple[str, tuple[float, float] | None]:
    """Why GEOS finds a geometry invalid ('Self-intersection', ...) and where, if it says."""
    reason = explain_validity(geometry)
    match = re.match(r"(.*)\[(-?[\d.eE+-]+) (-?[\d.eE+-]+)\]", reason)
    if not match:
        return reason, None
    return match.group(1).strip(), (float(match.group(2)), float(match.group(3)))


def _explain_invalid(geometry: BaseGeometry) -> GeometryError:
    what, place = invalid_reason(geometry)
    if place is None:
        return GeometryError(f"The area is not a valid polygon: {what}.")
    lon, lat = place
    if what.lower() == "self-intersection":
        return GeometryError(
            f"The area's outline crosses itself near {_where(lon, lat)}. "
            "Redraw it so that no edges cross.",
            location=(lon, lat),
        )
    return GeometryError(
        f"The area is not a valid polygon ({what}) near {_where(lon, lat)}.", location=(lon, lat)
    )


def _where(lon: float, lat: float) -> str:
    return f"longitude {lon:.6f}, latitude {lat:.6f}"
