"""Incidents as Atom entries: the incidents feed (one entry per incident, linking to its page)
and the CAP index (one entry per incident's current CAP message, linking to the alert)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from statusmap.feeds.atom import AtomEntry
from statusmap.feeds.atom import tag_uri
from statusmap.feeds.cap_messages import CapMessage
from statusmap.feeds.cap_profile import CAP_MIMETYPE
from statusmap.models import Incident
from statusmap.models import Municipality


@dataclass(frozen=True)
class EntryLabels:
    """What the request's language calls kinds and statuses (by their values)."""

    language: str
    kinds: dict[str, str]
    statuses: dict[str, str]


def department_name(municipality: Municipality, language: str) -> str:
    """Who writes: the department, with the municipality's name unless it already says it."""
    department, name = municipality.department_in(language), municipality.name_in(language)
    if not department:
        return name
    return department if name in department else f"{department}, {name}"


def incident_id(authority: str, incident: Incident) -> str:
    """The incident's stable tag: URI, the same in every feed and every language."""
    return tag_uri(authority, incident.created_at, f"statusmap:incident:{incident.id}")


def latest_update(incident: Incident, language: str) -> str:
    """The newest timeline entry's text in a language ("" when there is none)."""
    if not incident.updates:
        return ""
    newest = max(incident.updates, key=lambda u: (u.created_at, u.id or 0))
    return newest.body_in(language)


def incident_text(incident: Incident, language: str) -> str:
    """The entry's content: what happened, what to do, why, and the latest timeline entry."""
    latest = latest_update(incident, language)
    fields = ("summary", "advice", "cause")
    parts = [incident.text(name, language) for name in fields] + [latest]
    return "\n\n".join(part for part in parts if part)


def incident_entry(
    incident: Incident, authority: str, url: str, labels: EntryLabels, now: datetime
) -> AtomEntry:
    """One incident as an entry: kind, title and status in the title; the page as its link."""
    kind = labels.kinds[incident.kind.value]
    status = labels.statuses[incident.status_at(now).value]
    return AtomEntry(
        id=incident_id(authority, incident),
        title=f"{kind}: {incident.text('title', labels.language)} ({status})",
        updated=incident.updated_at,
        published=incident.published_at,
        link=url,
        summary=incident.text("summary", labels.language),
        content=incident_text(incident, labels.language),
        categories=((incident.kind.value, kind), (incident.status_at(now).value, status)),
    )


def cap_index_entry(
    incident: Incident,
    message: CapMessage,
    authority: str,
    alert_url: str,
    labels: EntryLabels,
) -> AtomEntry:
    """One incident's current CAP message as an entry of the index, linking to the alert."""
    kind = labels.kinds[incident.kind.value]
    return AtomEntry(
        id=tag_uri(authority, message.sent, f"statusmap:cap:{message.identifier}"),
        title=f"{kind}: {incident.text('title', labels.language)}",
        updated=message.sent,
        published=message.sent,
        link=alert_url,
        link_type=CAP_MIMETYPE,
        summary=incident.text("summary", labels.language),
        categories=((message.msg_type, message.msg_type),),
    )


def incident_entries(
    incidents: list[Incident],
    authority: str,
    url_for: Callable[[Incident], str],
    labels: EntryLabels,
    now: datetime,
) -> list[AtomEntry]:
    """The incidents feed's entries."""
    return [incident_entry(i, authority, url_for(i), labels, now) for i in incidents]
