"""Map building: self-hosted assets only, zoomable viewport, escaped text, framing."""

from __future__ import annotations

import json
import re

import folium
import pytest
from shapely.geometry import box

from statusmap.maps.base import BaseMap
from statusmap.maps.base import TileLayer
from statusmap.maps.parts import ExternalAssetError
from statusmap.maps.parts import MapAssets
from statusmap.maps.parts import render_parts
from statusmap.maps.public_map import MapZone
from statusmap.maps.public_map import build_public_map
from statusmap.models import IncidentKind

ASSETS = MapAssets("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css")
BASE = BaseMap(ASSETS)  # no tiles: the street layer alone (drawn by base-map.js)
BOUNDARY = box(10.50, 60.33, 10.62, 60.39)


def _zone(title: str = "Kokepålegg i Storgata") -> MapZone:
    area = box(10.55, 60.35, 10.56, 60.36)
    return MapZone(1, IncidentKind.BOIL_WATER, area, "Kokepålegg", title, status_label="Pågår")


def test_only_our_own_assets_and_a_zoomable_viewport() -> None:
    parts = build_public_map(BOUNDARY, [_zone()], BASE, boundary_label="Gran")
    head, script = str(parts.styles), str(parts.script)
    assert 'href="/static/vendor/leaflet/leaflet.css"' in head and "<script" not in head
    assert "http" not in head and "user-scalable" not in head and "html, body" not in head
    # Leaflet first, then the map that uses it; both at the end of the body.
    assert script.index('<script src="/static/vendor/leaflet/leaflet.js"></script>') < script.index(
        "L.map("
    )
    assert "tileLayer" not in str(parts.script)


def test_folium_defaults_are_not_changed_for_other_maps() -> None:
    build_public_map(BOUNDARY, [], BASE, boundary_label="Gran")
    assert folium.Map().default_js[0][1].startswith("https://")  # class default untouched


def test_a_map_with_cdn_assets_is_refused() -> None:
    with pytest.raises(ExternalAssetError):
        render_parts(folium.Map(tiles=None))


def test_tiles_only_when_configured_with_a_switcher_and_zoom_limits() -> None:
    base = BaseMap(
        ASSETS,
        tiles=(
            TileLayer("Gråtonekart", "/tiles/topograatone/{z}/{x}/{y}.png", "© Kartverket"),
            TileLayer("Fargekart", "/tiles/topo/{z}/{x}/{y}.png", "© Kartverket"),
        ),
        streets_only_name="Bare gater",
        min_zoom=8,
        max_zoom=18,
    )
    script = str(build_public_map(BOUNDARY, [_zone()], base, boundary_label="Gran").script)
    assert "/tiles/topograatone/{z}/{x}/{y}.png" in script and "/tiles/topo/{z}" in script
    assert "L.control.layers" in script
    for name in ("Gråtonekart", "Fargekart", "Bare gater"):
        assert json.dumps(name)[1:-1] in script or name in script
    assert re.search(r'"minZoom": 8', script) and re.search(r'"maxZoom": 18', script)
    assert re.search(r"overlays\s*:\s*\{\s*\}", script), "zones and boundary are not switchable"
    no_tiles = str(build_public_map(BOUNDARY, [], BASE, boundary_label="Gran").script)
    assert "tileLayer" not in no_tiles and "L.control.layers" not in no_tiles


def test_titles_cannot_break_out_of_the_tooltip() -> None:
    nasty = "</div><script>alert(1)</script>`);alert(2);(`${3}\\"
    parts = build_public_map(BOUNDARY, [_zone(nasty)], BASE, boundary_label="Gran")
    script = str(parts.script)
    assert "<script>alert" not in script
    assert "`);alert(2)" not in script and "${3}" not in script
    assert (
        "&lt;/div&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#96;);alert(2);(&#96;&#36;{3}&#92;"
        in script
    )


def test_map_frames_the_zones_not_the_whole_municipality() -> None:
    parts = build_public_map(BOUNDARY, [_zone()], BASE, boundary_label="Gran")
    match = re.search(
        r"fitBounds\(\s*\[\[([\d.]+),\s*([\d.]+)\],\s*\[([\d.]+),\s*([\d.]+)\]\]", str(parts.script)
    )
    assert match, "the map sets its view"
    south, west, north, east = map(float, match.groups())
    assert south < 60.35 and west < 10.55 and north > 60.36 and east > 10.56  # zone inside
    assert north - south < 0.03 and east - west < 0.05  # far tighter than the municipality
    empty = build_public_map(BOUNDARY, [], BASE, boundary_label="Gran")
    assert "[[60.33, 10.5], [60.39, 10.62]]" in str(empty.script).replace("\n", "")
