"""RFC 7946 output: right-hand rule whatever the winding, lon/lat, seven decimals (as drawn)."""

from __future__ import annotations

import json

from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from statusmap.feeds.geojson import rfc7946_geometry
from tests.rfc7946 import check_geometry

OUTER = [(10.5, 60.3), (10.6, 60.3), (10.6, 60.4), (10.5, 60.4)]
HOLE = [(10.52, 60.32), (10.54, 60.32), (10.54, 60.34), (10.52, 60.34)]


def test_clockwise_input_comes_out_counter_clockwise_with_clockwise_holes() -> None:
    wrong = orient(Polygon(OUTER, [HOLE]), sign=-1.0)  # exterior clockwise, hole counter-clockwise
    for geometry in (wrong, MultiPolygon([wrong])):
        as_sent = json.loads(json.dumps(rfc7946_geometry(geometry)))
        assert check_geometry(as_sent, "out") == []


def test_coordinates_are_rounded_to_seven_decimals_lon_first() -> None:
    polygon = Polygon([(10.123456789, 60.987654321), (10.2, 60.9), (10.2, 61.0)])
    ring = json.loads(json.dumps(rfc7946_geometry(polygon)))["coordinates"][0]
    assert [10.1234568, 60.9876543] in ring
