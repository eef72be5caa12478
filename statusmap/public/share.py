"""What sharing an incident needs: its picture (streets within the frame only) and its post."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from statusmap.gis.queries.affected import street_names_in_area
from statusmap.gis.queries.streets import streets_meeting_bbox
from statusmap.incidents.share_text import share_text
from statusmap.kinds import KIND_STYLES
from statusmap.maps.share_banner import ShareTexts
from statusmap.maps.share_image import ShareScene
from statusmap.maps.share_image import render_share_image
from statusmap.maps.share_image import share_frame
from statusmap.models import Incident
from statusmap.models import Municipality

DEFAULT_STREETS_CREDIT = "© Kartverket"  # where an import named no source


def incident_share_image(
    session: Session, municipality: Municipality, incident: Incident, texts: ShareTexts
) -> bytes:
    """The incident's PNG: its area (or, without one, the municipality) over the streets."""
    focus = incident.area if incident.area is not None else municipality.boundary
    frame = share_frame(focus, municipality.utm_epsg)
    streets = streets_meeting_bbox(session, municipality.id, frame.wgs84_bbox())
    credit = municipality.streets_attribution or DEFAULT_STREETS_CREDIT
    scene = ShareScene(
        area=incident.area,
        style=KIND_STYLES[incident.kind],
        utm_epsg=municipality.utm_epsg,
        boundary=municipality.boundary,
        streets=streets,
    )
    return render_share_image(scene, replace(texts, attribution=credit))


def incident_share_text(
    session: Session,
    incident: Incident,
    *,
    language: str,
    kind_label: str,
    url: str,
    now: datetime,
) -> str:
    """The incident's social media post, naming the streets of the addresses in its area."""
    streets: list[str] = []
    if incident.area is not None:
        streets = street_names_in_area(session, incident.municipality_id, incident.area)
    return share_text(
        incident, language=language, kind_label=kind_label, url=url, now=now, streets=streets
    )
