"""The base map of every page's map, from the app's settings: tiles through our proxy, the
municipality's own street layer, attribution, zoom limits, names in the page's language."""

from __future__ import annotations

from flask import current_app
from flask import url_for
from flask_babel import lazy_gettext as _l
from shapely.geometry.base import BaseGeometry

from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.maps.base import BaseMap
from statusmap.maps.base import TileLayer
from statusmap.maps.editor_map import EditorAssets
from statusmap.maps.editor_map import EditorMap
from statusmap.maps.editor_map import ReferenceZone
from statusmap.maps.editor_map import ReportLayerAssets
from statusmap.maps.editor_map import build_editor_map
from statusmap.maps.parts import MapAssets
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.tiles.proxy import TileProxy
from statusmap.tiles.settings import MAP_MIN_ZOOM
from statusmap.web import vendor_url

# Names of Kartverket's layers in the switcher; another layer is shown by its own name.
LAYER_NAMES = {
    "topograatone": _l("Gråtonekart"),
    "topo": _l("Fargekart"),
    "toporaster": _l("Rasterkart"),
}
STREETS_ONLY = _l("Bare gater")


def base_map_for(municipality: Municipality) -> BaseMap:
    """The base map for a municipality's maps."""
    config = current_app.config
    # The settings were checked once at start-up and live with the app's proxy.
    proxy: TileProxy | None = current_app.extensions.get("statusmap_tiles")
    settings = proxy.settings if proxy is not None else None
    tiles: tuple[TileLayer, ...] = ()
    if settings is not None:
        tiles = tuple(
            TileLayer(
                str(LAYER_NAMES.get(layer, layer)), _tile_url(layer), config["TILE_ATTRIBUTION"]
            )
            for layer in settings.layers
        )
    return BaseMap(
        assets=MapAssets(vendor_url("leaflet/leaflet.js"), vendor_url("leaflet/leaflet.css")),
        tiles=tiles,
        streets_url=url_for("api.streets_geojson", slug=municipality.slug),
        streets_attribution=municipality.streets_attribution,
        streets_only_name=str(STREETS_ONLY),
        min_zoom=max(settings.min_zoom, MAP_MIN_ZOOM) if settings else MAP_MIN_ZOOM,
        max_zoom=settings.max_zoom if settings else 18,
    )


def _tile_url(layer: str) -> str:
    """Leaflet's URL template for one layer of our tile route."""
    example = url_for("tiles.tile", layer=layer, z=1, x=2, y=3)
    return example.removesuffix("/1/2/3.png") + "/{z}/{x}/{y}.png"


def reference_zones(incidents: list[Incident]) -> list[ReferenceZone]:
    """Incidents with an area as reference zones, their kind and status in words."""
    language, now = current_language(), utcnow()
    return [
        ReferenceZone(
            incident_id=incident.id,
            kind=incident.kind,
            area=incident.area,
            label=str(KIND_LABELS[incident.kind]),
            status_label=str(STATUS_LABELS[incident.status_at(now)]),
            title=incident.text("title", language),
        )
        for incident in incidents
        if incident.area is not None
    ]


def editor_map_for(
    municipality: Municipality, incidents: list[Incident], area: BaseGeometry | None
) -> EditorMap:
    """The staff map editor's map: `incidents` as reference zones, `area` as the editable one."""
    references = reference_zones(incidents)
    assets = EditorAssets(*geoman_assets(), report_layer_assets())
    return build_editor_map(
        municipality.boundary, references, area, base_map_for(municipality), assets
    )


def report_layer_assets() -> ReportLayerAssets:
    """The vendored clustering and heat plugins of the staff reports layer."""
    return ReportLayerAssets(
        vendor_url("leaflet-markercluster/leaflet.markercluster.js"),
        vendor_url("leaflet-markercluster/MarkerCluster.css"),
        vendor_url("leaflet-markercluster/MarkerCluster.Default.css"),
        vendor_url("leaflet-heat/leaflet-heat.js"),
    )


def geoman_assets() -> tuple[str, str]:
    """The vendored Leaflet-Geoman script and stylesheet."""
    return (
        vendor_url("leaflet-geoman/leaflet-geoman.js"),
        vendor_url("leaflet-geoman/leaflet-geoman.css"),
    )
