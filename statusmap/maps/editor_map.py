"""The staff map editor's map: the boundary and the other current incidents as reference layers,
and the area being edited as the one editable layer (static/js/area-editor.js makes it editable).

Every layer carries a `role` property in its GeoJSON features ("boundary", "reference", "area"),
so the editor script can tell them apart without knowing folium's generated variable names.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from statusmap.kinds import KIND_STYLES
from statusmap.maps.base import BaseMap
from statusmap.maps.base import new_map
from statusmap.maps.parts import MapParts
from statusmap.maps.parts import render_parts
from statusmap.maps.parts import tooltip_text
from statusmap.maps.public_map import add_boundary
from statusmap.maps.public_map import light
from statusmap.maps.public_map import light_boundary
from statusmap.models import IncidentKind

# The area being drawn: a colour no incident kind uses, a thick solid line, a light fill.
AREA_STYLE = {"color": "#005a9c", "weight": 4, "fillColor": "#005a9c", "fillOpacity": 0.2}


@dataclass(frozen=True)
class EditorAssets:
    """URLs of the vendored draw-and-edit plugin (Leaflet-Geoman, static/vendor/), and of the
    clustering and heat plugins when the residents' reports are offered on the map."""

    geoman_js: str
    geoman_css: str
    report_layer: ReportLayerAssets | None = None


@dataclass(frozen=True)
class ReportLayerAssets:
    """URLs of Leaflet.markercluster (script, two stylesheets) and Leaflet.heat (script)."""

    cluster_js: str
    cluster_css: str
    cluster_default_css: str
    heat_js: str


def load_report_layer(m: folium.Map, assets: ReportLayerAssets) -> None:
    """Load the clustering and heat plugins on this map instance (after Leaflet)."""
    m.default_js = [
        *m.default_js,
        ("leaflet_markercluster", assets.cluster_js),
        ("leaflet_heat", assets.heat_js),
    ]
    m.default_css = [
        *m.default_css,
        ("leaflet_markercluster_css", assets.cluster_css),
        ("leaflet_markercluster_default_css", assets.cluster_default_css),
    ]


@dataclass(frozen=True)
class ReferenceZone:
    """Another incident shown for reference (not editable); texts are plain (escaped here)."""

    incident_id: int
    kind: IncidentKind
    area: BaseGeometry
    label: str  # the kind in words
    status_label: str
    title: str


@dataclass(frozen=True)
class EditorMap:
    """A rendered editor map and the base it was built on (the map frame needs both)."""

    parts: MapParts
    base: BaseMap


def build_editor_map(
    boundary: BaseGeometry,
    references: list[ReferenceZone],
    area: BaseGeometry | None,
    base: BaseMap,
    assets: EditorAssets,
) -> EditorMap:
    """Build the editor map on the shared base, framed on the area (or the boundary)."""
    m = new_map(base)
    # Geoman must load after Leaflet and before the map is made, so the map gets its `pm`.
    # Set on this instance only: the class defaults stay as folium ships them.
    m.default_js = [*m.default_js, ("leaflet_geoman", assets.geoman_js)]
    m.default_css = [*m.default_css, ("leaflet_geoman_css", assets.geoman_css)]
    if assets.report_layer is not None:
        load_report_layer(m, assets.report_layer)
    add_boundary(m, _feature(light_boundary(boundary), "boundary"))
    for zone in references:
        _add_reference(m, zone)
    shown = polygonal_part(area)
    if shown is not None:
        # Exact coordinates: the editor writes back what it was given, not a rounded copy.
        folium.GeoJson(
            _feature(shown, "area"),
            name="area",
            style_function=lambda _f: AREA_STYLE,
            control=False,
        ).add_to(m)
    m.fit_bounds(_view(shown if shown is not None else boundary))
    return EditorMap(render_parts(m), base)


def polygonal_part(geometry: BaseGeometry | None) -> MultiPolygon | None:
    """The polygons of a geometry as one MultiPolygon (None if it has none), valid or not."""
    if geometry is None or geometry.is_empty:
        return None
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    if isinstance(geometry, MultiPolygon):
        return geometry
    parts = getattr(geometry, "geoms", ())
    polygons = [p for part in parts if (found := polygonal_part(part)) for p in found.geoms]
    return MultiPolygon(polygons) if polygons else None


def _feature(geometry: BaseGeometry, role: str, **properties: object) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"role": role, **properties},
        "geometry": mapping(geometry),
    }


def _view(geometry: BaseGeometry) -> list[list[float]]:
    """A little room around what is framed, so its edges and vertices can be grabbed."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    pad_lon = max((max_lon - min_lon) * 0.1, 0.002)
    pad_lat = max((max_lat - min_lat) * 0.1, 0.001)
    return [[min_lat - pad_lat, min_lon - pad_lon], [max_lat + pad_lat, max_lon + pad_lon]]


def _add_reference(m: folium.Map, zone: ReferenceZone) -> None:
    style = KIND_STYLES[zone.kind]
    zone_style = {
        "color": style.colour,
        "weight": 2,
        "dashArray": style.dash,
        "fillColor": style.colour,
        "fillOpacity": style.fill_opacity / 2,  # context, lighter than the area being drawn
    }
    folium.GeoJson(
        _feature(light(zone.area), "reference", incident=zone.incident_id),
        name=f"incident-{zone.incident_id}",
        style_function=lambda _f, s=zone_style: s,
        # The kind in words, so a reference zone never depends on its colour alone.
        tooltip=folium.Tooltip(
            f"<strong>{tooltip_text(zone.label)}</strong> ({tooltip_text(zone.status_label)})"
            f"<br>{tooltip_text(zone.title)}",
            sticky=False,
        ),
        control=False,
    ).add_to(m)
