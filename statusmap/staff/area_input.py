"""The area an editor sends with the incident form: an uploaded file, or GeoJSON from the map."""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from statusmap.gis.validation import parse_geojson
from statusmap.staff.incident_forms import IncidentForm


def read_area(
    form: IncidentForm, max_bytes: int, keep: BaseGeometry | None = None
) -> BaseGeometry | None:
    """The form's area in EPSG:4326 (GeometryError if unusable); `keep` when none was sent."""
    text = (form.area.data or "").strip()
    if not text:
        return keep
    return parse_geojson(text.encode(), max_bytes=max_bytes, notes=[])
