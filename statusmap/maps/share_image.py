"""A picture of an incident's area over the street layer, for link previews (Open Graph): PNG.

Drawn from our own data with Pillow: no tiles, no other host. The area is filled with its kind's
colour, hatched and outlined in the kind's line pattern, so it reads without colour too; the
banner below says kind, status and title in words.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Protocol

import shapely
from PIL import Image
from PIL import ImageChops
from PIL import ImageDraw
from shapely.geometry import LineString
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from statusmap.kinds import KindStyle
from statusmap.maps.share_banner import BANNER_HEIGHT
from statusmap.maps.share_banner import ShareTexts
from statusmap.maps.share_banner import draw_attribution
from statusmap.maps.share_banner import draw_banner
from statusmap.maps.share_banner import draw_street_names
from statusmap.maps.share_frame import Frame
from statusmap.maps.share_frame import frame_around

WIDTH, HEIGHT = 1200, 630  # the size Open Graph and Twitter's large card ask for
MAP_HEIGHT = HEIGHT - BANNER_HEIGHT
LAND = "#f4f2ec"
OUTSIDE = "#d8d6d0"  # beyond the municipality's boundary
BOUNDARY = "#5f5f5f"
STREET_CASING, STREET_FILL = "#a9a9a9", "#ffffff"
HATCH_STEP, HATCH_WIDTH = 18, 4
DASH_SCALE = 1.6  # the web map's SVG dash lengths, for lines this much wider


class NamedLine(Protocol):
    """A street: its name ("" for none) and its lines in EPSG:4326."""

    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class ShareScene:
    """What the picture shows: geometries in EPSG:4326, measured in the given UTM zone."""

    area: BaseGeometry | None  # None: the whole boundary is shown, with nothing marked
    style: KindStyle
    utm_epsg: int
    boundary: BaseGeometry | None = None
    streets: Sequence[NamedLine] = ()

    @property
    def focus(self) -> BaseGeometry:
        """What the picture is framed on: the area, else the boundary."""
        focus = self.area if self.area is not None else self.boundary
        if focus is None:
            raise ValueError("a share picture needs an area or a boundary")
        return focus


def share_frame(focus: BaseGeometry, utm_epsg: int) -> Frame:
    """The ground the picture of an area shows (ask for the streets within its wgs84_bbox)."""
    return frame_around(focus, utm_epsg, WIDTH, MAP_HEIGHT)


def render_share_image(scene: ShareScene, texts: ShareTexts) -> bytes:
    """The 1200x630 PNG: map above, banner below."""
    frame = share_frame(scene.focus, scene.utm_epsg)
    image = Image.new("RGB", (WIDTH, HEIGHT), LAND)
    map_part = Image.new("RGB", (WIDTH, MAP_HEIGHT), LAND)
    _draw_boundary(map_part, frame, scene.boundary)
    streets = [(s.name, frame.to_pixels(s.geometry)) for s in scene.streets]
    _draw_streets(map_part, [lines for _, lines in streets])
    if scene.area is not None:
        _draw_area(map_part, frame.to_pixels(scene.area), scene.style)
    taken = draw_attribution(map_part, texts.attribution if streets else "")
    draw_street_names(map_part, [(name, lines) for name, lines in streets if name], taken)
    image.paste(map_part, (0, 0))
    draw_banner(image, MAP_HEIGHT, texts, scene.style.colour)
    out = BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _polygons(geometry: BaseGeometry) -> Iterator[Polygon]:
    for part in shapely.get_parts(geometry):
        if isinstance(part, Polygon) and not part.is_empty:
            yield part
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            yield from _polygons(part)


def _lines(geometry: BaseGeometry) -> Iterator[list[tuple[float, float]]]:
    for part in shapely.get_parts(geometry):
        if isinstance(part, LineString) and len(part.coords) >= 2:
            yield [(x, y) for x, y, *_ in part.coords]
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            yield from _lines(part)


def _rings(polygon: Polygon) -> Iterator[list[tuple[float, float]]]:
    for ring in (polygon.exterior, *polygon.interiors):
        yield [(x, y) for x, y, *_ in ring.coords]


def _mask(geometry: BaseGeometry, size: tuple[int, int]) -> Image.Image:
    """An L image: 255 inside the (pixel) polygons, holes left out."""
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for polygon in _polygons(geometry):
        exterior, *holes = _rings(polygon)
        draw.polygon(exterior, fill=255)
        for hole in holes:
            draw.polygon(hole, fill=0)
    return mask


def _draw_boundary(image: Image.Image, frame: Frame, boundary: BaseGeometry | None) -> None:
    if boundary is None:
        return
    inside = frame.to_pixels(boundary)
    outside = Image.new("RGB", image.size, OUTSIDE)
    image.paste(outside, mask=ImageChops.invert(_mask(inside, image.size)))
    draw = ImageDraw.Draw(image)
    for polygon in _polygons(inside):
        for ring in _rings(polygon):
            draw.line(ring, fill=BOUNDARY, width=2)


def _draw_streets(image: Image.Image, streets: Sequence[BaseGeometry]) -> None:
    draw = ImageDraw.Draw(image)
    lines = [line for geometry in streets for line in _lines(geometry)]
    for colour, width in ((STREET_CASING, 9), (STREET_FILL, 6)):
        for line in lines:
            draw.line(line, fill=colour, width=width, joint="curve")


@cache
def _hatch(size: tuple[int, int]) -> Image.Image:
    """Diagonal stripes (an L image), the pattern that marks an area without colour."""
    width, height = size
    hatch = Image.new("L", size, 0)
    draw = ImageDraw.Draw(hatch)
    for x in range(-height, width, HATCH_STEP):
        draw.line([(x, height), (x + height, 0)], fill=255, width=HATCH_WIDTH)
    return hatch


def _draw_area(image: Image.Image, area: BaseGeometry, style: KindStyle) -> None:
    mask = _mask(area, image.size)
    colour = Image.new("RGB", image.size, style.colour)
    opacity = max(style.fill_opacity, 0.2)
    image.paste(colour, mask=mask.point(lambda value: round(value * opacity)))
    image.paste(colour, mask=ImageChops.multiply(mask, _hatch(image.size)))
    draw = ImageDraw.Draw(image)
    dash = [float(n) * DASH_SCALE for n in style.dash.split()]
    for polygon in _polygons(area):
        for ring in _rings(polygon):
            draw.line(ring, fill="#ffffff", width=10, joint="curve")
            for piece in _dashes(ring, dash):
                draw.line(piece, fill=style.colour, width=6, joint="curve")


def _dashes(
    line: list[tuple[float, float]], pattern: Sequence[float]
) -> Iterator[list[tuple[float, float]]]:
    """The drawn pieces of a line under an SVG-like dash pattern (empty: the whole line)."""
    if not pattern or sum(pattern) <= 0:
        yield line
        return
    path = LineString(line)
    position, index = 0.0, 0
    while position < path.length:
        step = pattern[index % len(pattern)]
        if index % 2 == 0:
            piece = substring(path, position, min(position + step, path.length))
            if isinstance(piece, LineString):
                yield [(x, y) for x, y, *_ in piece.coords]
        position += step
        index += 1
