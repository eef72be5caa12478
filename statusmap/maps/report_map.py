"""The staff reports map: the boundary and current incidents for reference, with the vendored
clustering and heat plugins (and Geoman, for selecting by area) loaded on this instance;
static/js/reports-layer.js draws the points.
"""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from statusmap.maps.base import BaseMap
from statusmap.maps.base import new_map
from statusmap.maps.editor_map import EditorAssets
from statusmap.maps.editor_map import EditorMap
from statusmap.maps.editor_map import ReferenceZone
from statusmap.maps.editor_map import ReportLayerAssets
from statusmap.maps.editor_map import _add_reference
from statusmap.maps.editor_map import _feature
from statusmap.maps.editor_map import _view
from statusmap.maps.editor_map import load_report_layer
from statusmap.maps.parts import render_parts
from statusmap.maps.public_map import add_boundary
from statusmap.maps.public_map import light_boundary


def build_report_map(
    boundary: BaseGeometry,
    references: list[ReferenceZone],
    base: BaseMap,
    assets: ReportLayerAssets,
    geoman: EditorAssets | None = None,
) -> EditorMap:
    """The map the reports layer is drawn on, framed on the municipality; with Geoman, staff
    can select the reports inside a drawn rectangle or outline (static/js/reports-layer.js)."""
    m = new_map(base)
    if geoman is not None:  # before the map is made, so the map gets its `pm`
        m.default_js = [*m.default_js, ("leaflet_geoman", geoman.geoman_js)]
        m.default_css = [*m.default_css, ("leaflet_geoman_css", geoman.geoman_css)]
    load_report_layer(m, assets)
    add_boundary(m, _feature(light_boundary(boundary), "boundary"))
    for zone in references:
        _add_reference(m, zone)
    m.fit_bounds(_view(boundary))
    return EditorMap(render_parts(m), base)
