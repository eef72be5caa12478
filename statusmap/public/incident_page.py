"""Assemble what one incident's public page shows: its texts, reach, timeline and area map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from statusmap.gis.queries.addresses import AddressCount
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.maps.base import BaseMap
from statusmap.maps.parts import MapParts
from statusmap.maps.public_map import build_public_map
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.public.page import map_zone


@dataclass(frozen=True)
class IncidentPage:
    """Everything the incident page template needs."""

    municipality: Municipality
    incident: Incident
    reach: AddressCount | None  # None when the incident has no area
    map: MapParts
    base: BaseMap
    generated_at: datetime


def build_incident_page(
    session: Session,
    incident: Incident,
    *,
    now: datetime,
    language: str,
    kind_label: dict[str, str],
    status_label: dict[str, str],
    base: BaseMap,
) -> IncidentPage:
    """Count the addresses the incident's area holds and draw the map framing that area."""
    municipality = incident.municipality
    reach = None
    zones = []
    if incident.area is not None:
        reach = count_addresses_in_area(session, municipality.id, incident.area)
        zones.append(map_zone(incident, now, language, kind_label, status_label))
    parts = build_public_map(
        municipality.boundary, zones, base, boundary_label=municipality.name_in(language)
    )
    return IncidentPage(municipality, incident, reach, parts, base, now)
