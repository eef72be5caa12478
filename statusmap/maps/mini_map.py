"""A small map drawn on the server as SVG paths: the boundary and numbered incident areas.

No tiles and no scripts: for the embed page, where a Leaflet map would weigh more than the rest
of the page together. Plain data comes out; the template writes the SVG (and escapes the text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from statusmap.kinds import KIND_STYLES
from statusmap.kinds import KindStyle
from statusmap.models import IncidentKind

WIDTH = 320.0
MARGIN = 8.0


@dataclass(frozen=True)
class MiniZone:
    """One incident area: its number in the list, its kind, and its path in map units."""

    number: int
    kind: IncidentKind
    path: str
    label_x: float
    label_y: float
    style: KindStyle


@dataclass(frozen=True)
class MiniMap:
    """What the template draws: a viewBox, the boundary's path and the zones."""

    width: float
    height: float
    boundary: str
    zones: list[MiniZone]


class _Projection:
    """Longitude and latitude to SVG units: equirectangular, true to scale at mid-latitude."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        minx, miny, maxx, maxy = bounds
        self.minx, self.maxy = minx, maxy
        self.stretch = math.cos(math.radians((miny + maxy) / 2))
        span_x = max((maxx - minx) * self.stretch, 1e-9)
        self.scale = (WIDTH - 2 * MARGIN) / span_x
        self.height = (maxy - miny) * self.scale + 2 * MARGIN

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.minx) * self.stretch * self.scale + MARGIN
        y = (self.maxy - lat) * self.scale + MARGIN
        return round(x, 1), round(y, 1)

    def path(self, geometry: BaseGeometry) -> str:
        """An SVG path (even-odd rings) of a polygon or multipolygon."""
        polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
        parts = []
        for polygon in polygons:
            if not isinstance(polygon, Polygon):
                continue
            for ring in (polygon.exterior, *polygon.interiors):
                points = [self.point(x, y) for x, y, *_ in ring.coords]
                parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
        return "".join(parts)


def build_mini_map(
    boundary: BaseGeometry, areas: list[tuple[int, IncidentKind, BaseGeometry]]
) -> MiniMap:
    """Draw the boundary and each (number, kind, area), simplified to about a pixel."""
    projection = _Projection(boundary.bounds)
    pixel = 1 / projection.scale  # one SVG unit in degrees of latitude
    zones = []
    for number, kind, area in areas:
        label = area.representative_point()
        x, y = projection.point(label.x, label.y)
        simple = area.simplify(pixel / 2, preserve_topology=True)
        zones.append(MiniZone(number, kind, projection.path(simple), x, y, KIND_STYLES[kind]))
    outline = projection.path(boundary.simplify(pixel, preserve_topology=True))
    return MiniMap(WIDTH, round(projection.height, 1), outline, zones)
