"""RFC 7946 GeoJSON: lon/lat in EPSG:4326, right-hand rule rings, no crs member."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Street

# Seven decimals of a degree is about 1 cm: what the staff map editor saves, so a zone comes out
# of the feeds with the vertices it was drawn with. RFC 7946 section 11.2 suggests 6 (10 cm) as
# a rule of thumb against false precision; one more keeps drawn vertices exactly, for 10 % more
# bytes in coordinates.
PRECISION = 7


def rfc7946_geometry(geometry: BaseGeometry) -> dict[str, Any]:
    """Return a GeoJSON geometry with counter-clockwise exteriors and clockwise holes."""
    geometry = shapely.set_precision(geometry, 10**-PRECISION, mode="pointwise")
    if isinstance(geometry, Polygon):
        geometry = orient(geometry, sign=1.0)
    elif isinstance(geometry, MultiPolygon):
        geometry = MultiPolygon([orient(p, sign=1.0) for p in geometry.geoms])
    return dict(mapping(geometry))


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def incident_feature(
    incident: Incident,
    language: str,
    url: str,
    kind_label: str,
    status_label: str,
    now: datetime,
) -> dict[str, Any]:
    """Return one incident as a GeoJSON Feature: status as of now, texts in one language."""
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": rfc7946_geometry(incident.area) if incident.area is not None else None,
        "properties": {
            "kind": incident.kind.value,
            "kind_label": kind_label,
            "status": incident.status_at(now).value,
            "status_label": status_label,
            "language": language,
            "title": incident.text("title", language),
            "summary": incident.text("summary", language),
            "advice": incident.text("advice", language),
            "cause": incident.text("cause", language),
            "titles": dict(incident.title),
            "starts_at": _iso(incident.starts_at),
            "expected_end": _iso(incident.expected_end),
            "resolved_at": _iso(incident.resolved_at),
            "updated_at": _iso(incident.updated_at),
            "version": incident.version,
            "url": url,
        },
    }


def feature_collection(
    incidents: list[Incident],
    language: str,
    *,
    now: datetime,
    url_for: Callable[[Incident], str],
    kind_label: Callable[[Incident], str],
    status_label: Callable[[IncidentStatus], str],
) -> dict[str, Any]:
    """Return incidents as an RFC 7946 FeatureCollection (no crs member: WGS 84 is implied)."""
    features = [
        incident_feature(
            i, language, url_for(i), kind_label(i), status_label(i.status_at(now)), now
        )
        for i in incidents
    ]
    return {"type": "FeatureCollection", "features": features}


def streets_collection(streets: list[Street]) -> dict[str, Any]:
    """The street layer as an RFC 7946 FeatureCollection: each street's name and lines."""
    features = [
        {
            "type": "Feature",
            "id": street.id,
            "geometry": rfc7946_geometry(street.geometry),
            "properties": {"name": street.name},
        }
        for street in streets
    ]
    return {"type": "FeatureCollection", "features": features}
