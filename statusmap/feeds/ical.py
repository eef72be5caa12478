"""iCalendar (RFC 5545) of planned works and other incidents announced ahead, via `icalendar`.

Which incidents: every current incident that is planned works or still scheduled, and the
recently resolved ones among them. A resolved event stays, ending when the work really ended:
it happened, so it is not CANCELLED (the lifecycle cannot resolve a plan before it starts; a
plan that moves keeps its UID with a higher SEQUENCE). Times are in UTC, so no VTIMEZONE is
needed; calendar programs show them in the reader's own zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

from icalendar import Calendar
from icalendar import Event

from statusmap.feeds.feed_entries import incident_text
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus

ICAL_MIMETYPE = "text/calendar"
PRODID = "-//statusmap//Driftsmeldinger vann og avløp//NO"


@dataclass(frozen=True)
class CalendarSource:
    """What the calendar says about itself and where its events lead."""

    name: str
    language: str
    authority: str  # host name: UIDs are "incident-<id>@<host>"
    location: str  # the municipality's name


def is_planned(incident: Incident, now: datetime) -> bool:
    """Planned works at any stage, or any incident the public was told of before it starts."""
    return (
        incident.kind is IncidentKind.PLANNED_WORKS
        or incident.status_at(now) is IncidentStatus.SCHEDULED
        or _announced_ahead(incident)
    )


def _announced_ahead(incident: Incident) -> bool:
    published, start = incident.published_at, incident.starts_at
    return published is not None and start is not None and published < start


def calendar(
    incidents: list[Incident],
    source: CalendarSource,
    url_for: Callable[[Incident], str],
    kind_labels: dict[str, str],
) -> bytes:
    """The calendar of the given incidents (is_planned chooses them), as iCalendar bytes.

    Each event's SUMMARY is the kind's label and the title, in the source's language.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", source.name)
    for incident in incidents:
        if incident.starts_at is not None:
            title = f"{kind_labels[incident.kind.value]}: {incident.text('title', source.language)}"
            cal.add_component(_event(incident, source, url_for(incident), title))
    return bytes(cal.to_ical())


def _event(incident: Incident, source: CalendarSource, url: str, title: str) -> Event:
    event = Event()
    event.add("uid", f"incident-{incident.id}@{source.authority}")
    # Without a METHOD, DTSTAMP is when the information last changed (RFC 5545 3.8.7.2).
    event.add("dtstamp", _utc(incident.updated_at))
    event.add("last-modified", _utc(incident.updated_at))
    event.add("sequence", incident.version)
    assert incident.starts_at is not None
    event.add("dtstart", _utc(incident.starts_at))
    end = incident.resolved_at or incident.expected_end
    if end is not None and end > incident.starts_at:
        event.add("dtend", _utc(end))
    event.add("summary", title)
    event.add("description", incident_text(incident, source.language))
    event.add("url", url)
    event.add("location", source.location)
    event.add("status", "CONFIRMED")
    event.add("categories", [incident.kind.value])
    if incident.area is not None:
        point = incident.area.representative_point()
        event.add("geo", (round(point.y, 6), round(point.x, 6)))
    return event


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(microsecond=0)
