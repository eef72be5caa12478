"""The one map configuration every map uses (public, incident, editor, widget): base layers,
attribution, zoom limits, the switcher, and the street layer drawn from our own data."""

from __future__ import annotations

from dataclasses import dataclass

import folium
from markupsafe import escape

from statusmap.maps.parts import MapAssets
from statusmap.maps.parts import use_local_assets


@dataclass(frozen=True)
class TileLayer:
    """One tile base layer, served through our own proxy."""

    name: str  # shown in the layer switcher
    url: str  # /tiles/<layer>/{z}/{x}/{y}.png
    attribution: str


@dataclass(frozen=True)
class BaseMap:
    """What lies under the zones on every map, and how far one may zoom."""

    assets: MapAssets
    tiles: tuple[TileLayer, ...] = ()
    streets_url: str | None = None  # GeoJSON of the municipality's streets (static/js/base-map.js)
    streets_attribution: str = ""
    streets_only_name: str = "Streets only"  # the switcher's choice without tiles
    min_zoom: int = 8
    max_zoom: int = 18


def new_map(base: BaseMap) -> folium.Map:
    """A folium map with our assets, the tile layers and (with more than one base) a switcher.

    The street layer is not part of the folium map: base-map.js loads it into a pane beneath the
    tiles, so it shows wherever a tile is missing and alone when there are no tiles at all.
    """
    m = folium.Map(
        tiles=None,
        control_scale=True,
        min_zoom=base.min_zoom,
        max_zoom=base.max_zoom,
        zoom_control=True,
    )
    use_local_assets(m, base.assets)
    for n, layer in enumerate(base.tiles):
        folium.TileLayer(
            tiles=layer.url,
            attr=str(escape(layer.attribution)),
            name=layer.name,
            min_zoom=base.min_zoom,
            max_zoom=base.max_zoom,
            overlay=False,
            control=True,
            show=n == 0,
        ).add_to(m)
    if base.tiles:
        # A base choice with no tiles: just our street layer (and the zones) on a plain ground.
        folium.FeatureGroup(name=base.streets_only_name, overlay=False, show=False).add_to(m)
        folium.LayerControl(position="topright", collapsed=True).add_to(m)
    return m
