"""The embed page's mini map: true to scale, inside its viewBox, holes kept, about a pixel fine."""

from __future__ import annotations

import re

from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import box

from statusmap.maps.mini_map import WIDTH
from statusmap.maps.mini_map import build_mini_map
from statusmap.models import IncidentKind


def _numbers(path: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path)]


def test_a_square_kilometre_at_60_degrees_north_is_drawn_square() -> None:
    # 1 km east-west at 60° N is twice the degrees of longitude of 1 km north-south.
    boundary = box(10.0, 60.0, 10.0 + 2 * 0.009, 60.0 + 0.009)
    mini = build_mini_map(boundary, [])
    assert mini.width == WIDTH
    assert abs(mini.height - WIDTH) < 3, mini.height
    values = _numbers(mini.boundary)
    assert min(values) >= 0 and max(values) <= WIDTH


def test_zones_are_numbered_with_their_kind_and_keep_their_holes() -> None:
    boundary = box(8.0, 58.0, 8.2, 58.1)
    ring = box(8.05, 58.02, 8.15, 58.08).difference(box(8.08, 58.04, 8.12, 58.06))
    two = MultiPolygon([box(8.01, 58.01, 8.02, 58.02), box(8.17, 58.08, 8.18, 58.09)])
    mini = build_mini_map(
        boundary, [(1, IncidentKind.BOIL_WATER, ring), (2, IncidentKind.SEWER, two)]
    )
    first, second = mini.zones
    assert (first.number, first.kind, second.number) == (1, IncidentKind.BOIL_WATER, 2)
    assert first.path.count("M") == 2, "the outer ring and the hole"
    assert second.path.count("M") == 2, "both parts of a multipolygon"
    assert first.style.colour == "#a50f15"
    label = Point(first.label_x, first.label_y)
    assert 0 < label.x < WIDTH and 0 < label.y < mini.height


def test_a_detailed_boundary_is_simplified_to_about_a_pixel() -> None:
    circle = Point(8.0, 58.0).buffer(0.1, quad_segs=2000)  # 8000 vertices
    mini = build_mini_map(circle, [])
    assert mini.boundary.count("L") < 400
