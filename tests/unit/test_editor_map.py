"""The editor map: Geoman on this instance only, self-hosted, layers told apart by role."""

from __future__ import annotations

import json
import re

import folium
from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import box

from statusmap.maps.base import BaseMap
from statusmap.maps.editor_map import EditorAssets
from statusmap.maps.editor_map import ReferenceZone
from statusmap.maps.editor_map import build_editor_map
from statusmap.maps.editor_map import polygonal_part
from statusmap.maps.parts import MapAssets
from statusmap.maps.public_map import build_public_map
from statusmap.models import IncidentKind

BASE = BaseMap(MapAssets("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css"))
GEOMAN = EditorAssets(
    "/static/vendor/leaflet-geoman/leaflet-geoman.js",
    "/static/vendor/leaflet-geoman/leaflet-geoman.css",
)
BOUNDARY = box(10.50, 60.33, 10.62, 60.39)
# Fifteen decimals: the editable area must reach the page exactly as stored.
AREA = box(10.551234567890123, 60.35, 10.56, 60.36)


def _reference() -> ReferenceZone:
    area = box(10.57, 60.35, 10.58, 60.36)
    return ReferenceZone(7, IncidentKind.SHUTDOWN, area, "Vannavstenging", "Pågår", "<b>Rør</b>")


def test_geoman_loads_after_leaflet_before_the_map_and_only_on_this_map() -> None:
    parts = build_editor_map(BOUNDARY, [_reference()], AREA, BASE, GEOMAN).parts
    script = str(parts.script)
    leaflet = script.index('src="/static/vendor/leaflet/leaflet.js"')
    geoman = script.index('src="/static/vendor/leaflet-geoman/leaflet-geoman.js"')
    assert leaflet < geoman < script.index("L.map(")
    assert 'href="/static/vendor/leaflet-geoman/leaflet-geoman.css"' in str(parts.styles)
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", script + str(parts.styles))
    public = build_public_map(BOUNDARY, [], BASE, boundary_label="Gran")
    assert "geoman" not in str(public.script) + str(public.styles)
    assert all("geoman" not in url for _name, url in folium.Map().default_js)


def test_layers_carry_their_role_and_the_area_its_exact_coordinates() -> None:
    script = str(build_editor_map(BOUNDARY, [_reference()], AREA, BASE, GEOMAN).parts.script)
    roles = re.findall(r'"role": "(\w+)"', script)
    assert sorted(roles) == ["area", "boundary", "reference"]
    assert "10.551234567890123" in script, "the editable area is not rounded"
    assert "&lt;b&gt;Rør&lt;/b&gt;" in script and "<b>Rør</b>" not in script


def test_without_an_area_the_map_frames_the_boundary() -> None:
    script = str(build_editor_map(BOUNDARY, [], None, BASE, GEOMAN).parts.script)
    assert '"role": "area"' not in script
    bounds = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", script, re.S).group(1))
    (south, west), (north, east) = bounds
    assert south < 60.33 and west < 10.50 and north > 60.39 and east > 10.62


def test_polygonal_part_keeps_polygons_and_drops_the_rest() -> None:
    assert polygonal_part(None) is None and polygonal_part(Point(10, 60)) is None
    mixed = Point(10, 60).union(AREA)
    assert polygonal_part(mixed) == MultiPolygon([AREA])
