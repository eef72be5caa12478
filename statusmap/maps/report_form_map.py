"""The report page's small map: the shared base and the municipality's boundary, nothing else.
static/js/report-map.js puts the reporter's tap on it."""

from __future__ import annotations

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from statusmap.maps.base import BaseMap
from statusmap.maps.base import new_map
from statusmap.maps.parts import MapParts
from statusmap.maps.parts import render_parts
from statusmap.maps.public_map import add_boundary
from statusmap.maps.public_map import light_boundary


def build_report_map(boundary: BaseGeometry, base: BaseMap) -> MapParts:
    """A map framing the municipality, to tap where the report is about."""
    m = new_map(base)
    add_boundary(m, mapping(light_boundary(boundary)))
    minx, miny, maxx, maxy = boundary.bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return render_parts(m)
