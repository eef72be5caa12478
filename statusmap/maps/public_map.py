"""The public status map: municipality boundary and incident zones, each labelled in text."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from statusmap.kinds import KIND_STYLES
from statusmap.maps.base import BaseMap
from statusmap.maps.base import new_map
from statusmap.maps.parts import MapParts
from statusmap.maps.parts import render_parts
from statusmap.maps.parts import tooltip_text
from statusmap.models import IncidentKind


@dataclass(frozen=True)
class MapZone:
    """One incident area to draw; label and title are plain text (escaped here)."""

    incident_id: int
    kind: IncidentKind
    area: BaseGeometry
    label: str
    title: str
    status_label: str
    scheduled: bool = False


def build_public_map(
    boundary: BaseGeometry,
    zones: list[MapZone],
    base: BaseMap,
    *,
    boundary_label: str,
) -> MapParts:
    """Build the public map on the shared base, framing the zones, and render it to parts."""
    m = new_map(base)
    add_boundary(m, mapping(light_boundary(boundary)))
    for zone in zones:
        _add_zone(m, zone)
    m.fit_bounds(_view(boundary, zones))
    return render_parts(m)


# About 5 m: finer than the boundary line on any zoom a resident uses, and far lighter to send.
BOUNDARY_TOLERANCE_DEG = 0.00005


def light(geometry: BaseGeometry) -> BaseGeometry:
    """Round coordinates to six decimals (about 0.1 m) so the page does not carry 15 digits each."""
    return shapely.set_precision(geometry, 1e-6, mode="pointwise")


def light_boundary(boundary: BaseGeometry) -> BaseGeometry:
    """The boundary as maps draw it: simplified to about 5 m and rounded."""
    return light(boundary.simplify(BOUNDARY_TOLERANCE_DEG, preserve_topology=True))


def add_boundary(m: folium.Map, data: dict[str, object]) -> None:
    """The boundary as context only: not a tab stop, no tooltip (the legend names it)."""
    folium.GeoJson(
        data,
        name="boundary",
        style_function=lambda _f: {"color": "#444", "weight": 2, "fill": False, "dashArray": ""},
        interactive=False,
        control=False,
    ).add_to(m)


def _view(boundary: BaseGeometry, zones: list[MapZone]) -> list[list[float]]:
    """Frame the zones when there are any (a resident looks for their street), else the boundary."""
    if zones:
        min_lon, min_lat, max_lon, max_lat = unary_union([z.area for z in zones]).bounds
        pad_lon, pad_lat = (
            max((max_lon - min_lon) * 0.15, 0.003),
            max((max_lat - min_lat) * 0.15, 0.0015),
        )
        return [[min_lat - pad_lat, min_lon - pad_lon], [max_lat + pad_lat, max_lon + pad_lon]]
    min_lon, min_lat, max_lon, max_lat = boundary.bounds
    return [[min_lat, min_lon], [max_lat, max_lon]]


def _add_zone(m: folium.Map, zone: MapZone) -> None:
    style = KIND_STYLES[zone.kind]
    zone_style = {
        "color": style.colour,
        "weight": 3,
        "dashArray": style.dash,
        "fillColor": style.colour,
        # Scheduled zones are paler; the tooltip and its accessible name say "planned" in words.
        "fillOpacity": style.fill_opacity / 3 if zone.scheduled else style.fill_opacity,
    }
    folium.GeoJson(
        mapping(light(zone.area)),
        name=f"incident-{zone.incident_id}",
        style_function=lambda _f, s=zone_style: s,
        highlight_function=lambda _f: {"weight": 5},
        # The kind in words on the map itself, so the zone never depends on colour alone.
        tooltip=folium.Tooltip(
            f"<strong>{tooltip_text(zone.label)}</strong> ({tooltip_text(zone.status_label)})"
            f"<br>{tooltip_text(zone.title)}",
            sticky=False,
        ),
        control=False,
    ).add_to(m)
