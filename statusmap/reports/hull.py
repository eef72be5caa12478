"""The area around a selection of report points: their convex hull, buffered in UTM.

A draft incident made from reports starts from this area; staff refine it in the map editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shapely.geometry import MultiPoint
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon

from statusmap.gis.crs import to_utm
from statusmap.gis.crs import to_wgs84

HULL_BUFFER_M = 50.0


def hull_around(
    points: Sequence[Any], utm_epsg: int, buffer_m: float = HULL_BUFFER_M
) -> MultiPolygon:
    """One polygon holding every point with `buffer_m` to spare, as a WGS 84 MultiPolygon.

    One point gives a disc, two a rounded strip, more their rounded convex hull. Measured in the
    municipality's UTM zone, so the margin is metres on the ground.
    """
    if not points:
        raise ValueError("A hull needs at least one point.")
    utm = MultiPoint([to_utm(point, utm_epsg).coords[0] for point in points])
    shape = utm.convex_hull.buffer(buffer_m, quad_segs=8)
    area = to_wgs84(shape, utm_epsg)
    assert isinstance(area, Polygon)  # the buffer of a non-empty hull is one polygon
    return MultiPolygon([area])
