"""Coordinate reference systems: EPSG:4326 for storage and the web, EUREF89 UTM for measuring."""

from __future__ import annotations

from functools import cache

import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

WGS84 = 4326
NORWEGIAN_UTM = (25832, 25833, 25835)


@cache
def _transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def reproject(geometry: BaseGeometry, source: int, target: int) -> BaseGeometry:
    """Reproject a shapely geometry between two EPSG codes (x/y = lon/lat or east/north)."""
    if source == target:
        return geometry
    transformer = _transformer(source, target)
    return shapely.transform(geometry, transformer.transform, interleaved=False)  # type: ignore[arg-type]


def to_wgs84(geometry: BaseGeometry, source: int) -> BaseGeometry:
    """Reproject a geometry from a projected CRS to EPSG:4326 (lon, lat)."""
    return reproject(geometry, source, WGS84)


def to_utm(geometry: BaseGeometry, utm_epsg: int) -> BaseGeometry:
    """Reproject an EPSG:4326 geometry to a municipality's UTM zone, for measuring in metres."""
    return reproject(geometry, WGS84, utm_epsg)


def utm_zone_for(lon: float) -> int:
    """Return the Norwegian EUREF89 UTM zone (25832/25833/25835) for a longitude."""
    if lon < 12.0:
        return 25832
    if lon < 24.0:
        return 25833
    return 25835
