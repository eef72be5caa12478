"""The frame of a share image: which stretch of ground it shows and how it maps to pixels.

The ground is measured in the municipality's UTM zone (metres, north up); the frame is the area's
extent with padding, never narrower than MIN_SPAN_M, widened to the picture's aspect ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely import affinity
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from statusmap.gis.crs import WGS84
from statusmap.gis.crs import reproject
from statusmap.gis.crs import to_utm

PADDING = 0.3  # of the area's larger side, on each side
MIN_SPAN_M = 600.0  # a small area is still shown with a few streets around it
BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
MARGIN_PX = 20  # lines are clipped a little outside the picture, so their ends do not show


@dataclass(frozen=True)
class Frame:
    """A north-up window on the ground (UTM metres) drawn into width x height pixels."""

    utm_epsg: int
    min_x: float
    min_y: float
    max_x: float
    max_y: float
    width: int
    height: int

    @property
    def scale(self) -> float:
        """Pixels per metre (the same both ways)."""
        return self.width / (self.max_x - self.min_x)

    def to_pixels(self, geometry: BaseGeometry) -> BaseGeometry:
        """An EPSG:4326 geometry in pixel coordinates (y down), clipped near the picture."""
        s = self.scale
        projected = to_utm(geometry, self.utm_epsg)
        placed = affinity.affine_transform(
            projected, [s, 0, 0, -s, -self.min_x * s, self.max_y * s]
        )
        return shapely.clip_by_rect(
            placed, -MARGIN_PX, -MARGIN_PX, self.width + MARGIN_PX, self.height + MARGIN_PX
        )

    def wgs84_bbox(self) -> BBox:
        """The frame's box in EPSG:4326 (lon/lat), enclosing every point the picture shows."""
        ground = box(self.min_x, self.min_y, self.max_x, self.max_y).segmentize(
            (self.max_x - self.min_x) / 8
        )
        bounds = reproject(ground, self.utm_epsg, WGS84).bounds
        return (bounds[0], bounds[1], bounds[2], bounds[3])


def frame_around(area: BaseGeometry, utm_epsg: int, width: int, height: int) -> Frame:
    """The frame that shows an EPSG:4326 area whole, centred, with room around it."""
    min_x, min_y, max_x, max_y = to_utm(area, utm_epsg).bounds
    pad = max(max_x - min_x, max_y - min_y) * PADDING
    span_x = max(max_x - min_x + 2 * pad, MIN_SPAN_M)
    span_y = max(max_y - min_y + 2 * pad, MIN_SPAN_M * height / width)
    # Widen the shorter side to the picture's aspect ratio: metres per pixel the same both ways.
    span_x, span_y = max(span_x, span_y * width / height), max(span_y, span_x * height / width)
    centre_x, centre_y = (min_x + max_x) / 2, (min_y + max_y) / 2
    return Frame(
        utm_epsg,
        centre_x - span_x / 2,
        centre_y - span_y / 2,
        centre_x + span_x / 2,
        centre_y + span_y / 2,
        width,
        height,
    )
