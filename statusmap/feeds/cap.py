"""One CAP 1.2 alert per incident: its current message, an `info` per language, polygon areas.

The caller hands in the incident, its messages (cap_messages.message_history) and what the
request knows (sender, URLs, labels per language); nothing here reads a request. Areas are the
incident's polygons as "lat,lon" pairs in WGS 84, one `polygon` per part, exterior rings only:
CAP has no holes, so an area with holes is sent as the outline that contains them (the `web`
page shows the exact area).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from statusmap.feeds.cap_messages import CapMessage
from statusmap.feeds.cap_messages import cap_time
from statusmap.feeds.cap_messages import references
from statusmap.feeds.cap_profile import CAP_KINDS
from statusmap.feeds.cap_profile import CAP_LANGUAGES
from statusmap.feeds.cap_profile import CAP_NAMESPACE
from statusmap.feeds.cap_profile import CERTAINTY
from statusmap.feeds.cap_profile import URGENCY
from statusmap.feeds.cap_profile import response_type
from statusmap.feeds.feed_entries import latest_update
from statusmap.models import Incident

# Six decimals of a degree is about 10 cm: more than any alert area needs.
CAP_PRECISION = 6


@dataclass(frozen=True)
class CapLanguage:
    """What one `info` block says that is not the incident's own text, in its language."""

    language: str  # nb, nn or en
    event: str  # the kind, as the page names it
    sender_name: str  # the department and municipality
    area_desc: str


@dataclass(frozen=True)
class CapSender:
    """Who sends, and where residents read more or get in touch."""

    sender: str
    status: str  # Actual or Test (cap_profile.alert_status)
    web: str  # the incident's page
    contact: str
    kommunenummer: str
    note: str = ""


def cap_alert(
    incident: Incident,
    messages: list[CapMessage],
    sender: CapSender,
    languages: list[CapLanguage],
) -> bytes:
    """The incident's current CAP message (the last of messages) as UTF-8 XML."""
    current, earlier = messages[-1], messages[:-1]
    alert = ET.Element(_tag("alert"))
    _add(alert, "identifier", current.identifier)
    _add(alert, "sender", sender.sender)
    _add(alert, "sent", cap_time(current.sent))
    _add(alert, "status", sender.status)
    _add(alert, "msgType", current.msg_type)
    _add(alert, "scope", "Public")
    _add(alert, "note", sender.note)
    _add(alert, "references", references(sender.sender, earlier))
    for language in languages:
        _info(alert, incident, current, sender, language)
    ET.indent(alert)
    return ET.tostring(
        alert, encoding="utf-8", xml_declaration=True, default_namespace=CAP_NAMESPACE
    )


def _info(
    alert: ET.Element,
    incident: Incident,
    message: CapMessage,
    sender: CapSender,
    texts: CapLanguage,
) -> None:
    language, kind, status = texts.language, CAP_KINDS[incident.kind], message.status
    info = ET.SubElement(alert, _tag("info"))
    _add(info, "language", CAP_LANGUAGES[language])
    _add(info, "category", kind.category)
    _add(info, "event", texts.event)
    _add(info, "responseType", response_type(incident.kind, status))
    _add(info, "urgency", URGENCY[status])
    _add(info, "severity", kind.severity)
    _add(info, "certainty", CERTAINTY[status])
    _add(info, "onset", cap_time(incident.starts_at) if incident.starts_at else "")
    _add(info, "expires", cap_time(incident.expected_end) if incident.expected_end else "")
    _add(info, "senderName", texts.sender_name)
    _add(info, "headline", incident.text("title", language))
    _add(info, "description", description(incident, language))
    _add(info, "instruction", incident.text("advice", language))
    _add(info, "web", sender.web)
    _add(info, "contact", sender.contact)
    area = ET.SubElement(info, _tag("area"))
    _add(area, "areaDesc", texts.area_desc)
    for ring in polygons(incident.area):
        _add(area, "polygon", ring)
    geocode = ET.SubElement(area, _tag("geocode"))
    _add(geocode, "valueName", "kommunenummer")
    _add(geocode, "value", sender.kommunenummer)


def description(incident: Incident, language: str) -> str:
    """What happened, why, and the latest timeline entry, as paragraphs."""
    latest = latest_update(incident, language)
    parts = [incident.text("summary", language), incident.text("cause", language), latest]
    return "\n\n".join(part for part in parts if part)


def polygons(area: BaseGeometry | None) -> list[str]:
    """One CAP polygon per part: the closed exterior ring as space-separated "lat,lon" pairs."""
    if area is None:
        return []
    parts = area.geoms if isinstance(area, MultiPolygon) else [area]
    return [
        " ".join(
            f"{lat:.{CAP_PRECISION}f},{lon:.{CAP_PRECISION}f}" for lon, lat in p.exterior.coords
        )
        for p in parts
        if isinstance(p, Polygon) and not p.is_empty
    ]


def _tag(name: str) -> str:
    return f"{{{CAP_NAMESPACE}}}{name}"


def _add(parent: ET.Element, name: str, text: str) -> None:
    """Add an element with text; optional elements with nothing to say are left out."""
    if text:
        ET.SubElement(parent, _tag(name)).text = text
