"""Assemble what a municipality's public page shows: incidents, their reach, and the map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from statusmap.gis.queries.addresses import AddressCount
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.incidents.queries import PublicIncidents
from statusmap.incidents.queries import public_incidents
from statusmap.maps.base import BaseMap
from statusmap.maps.parts import MapParts
from statusmap.maps.public_map import MapZone
from statusmap.maps.public_map import build_public_map
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality


@dataclass(frozen=True)
class PublicPage:
    """Everything the public page template needs."""

    municipality: Municipality
    incidents: PublicIncidents
    reach: dict[int, AddressCount]
    map: MapParts
    base: BaseMap
    generated_at: datetime


def build_public_page(
    session: Session,
    municipality: Municipality,
    *,
    now: datetime,
    language: str,
    kind_label: dict[str, str],
    status_label: dict[str, str],
    base: BaseMap,
    recent_days: int,
) -> PublicPage:
    """Collect the municipality's public incidents, count who they reach, and draw the map."""
    incidents = public_incidents(session, municipality.id, now=now, recent_days=recent_days)
    reach = {
        i.id: count_addresses_in_area(session, municipality.id, i.area)
        for i in incidents.active + incidents.scheduled
        if i.area is not None
    }
    zones = [
        map_zone(i, now, language, kind_label, status_label)
        for i in incidents.current
        if i.area is not None
    ]
    parts = build_public_map(
        municipality.boundary, zones, base, boundary_label=municipality.name_in(language)
    )
    return PublicPage(municipality, incidents, reach, parts, base, now)


def map_zone(
    incident: Incident,
    now: datetime,
    language: str,
    kind_label: dict[str, str],
    status_label: dict[str, str],
) -> MapZone:
    """The incident's area as the public map draws it, labelled in the page's language."""
    assert incident.area is not None
    status = incident.status_at(now)
    return MapZone(
        incident_id=incident.id,
        kind=incident.kind,
        area=incident.area,
        label=kind_label[incident.kind.value],
        title=incident.text("title", language),
        status_label=status_label[status.value],
        scheduled=status is IncidentStatus.SCHEDULED,
    )
