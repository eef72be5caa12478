"""The CAP messages an incident has given, one per public version, read from its history.

The first version the public saw is an Alert; each later public version is an Update that
references every earlier message; a resolved version is a Cancel of them (a first version that
is already resolved is an Alert: there is nothing to cancel). Drafts were never public and give
no message. Identifiers are stable: `<prefix>.<incident id>.<version>`, so a message is named the
same whenever the feed is rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from statusmap.incidents.public_history import PublicVersion
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.oslo_time import OSLO


@dataclass(frozen=True)
class CapMessage:
    """One message of an incident: what it is called, when it went out, and what kind it is."""

    identifier: str
    sent: datetime
    msg_type: str  # Alert, Update or Cancel
    version: int
    status: IncidentStatus


def cap_time(value: datetime) -> str:
    """A CAP dateTime: Norwegian time with its offset, to the second (CAP forbids "Z")."""
    return value.astimezone(OSLO).isoformat(timespec="seconds")


def identifier(prefix: str, incident_id: int, version: int) -> str:
    """The stable identifier of an incident's message at one public version."""
    return f"{prefix}.{incident_id}.{version}"


def message_history(
    incident: Incident, history: list[PublicVersion], prefix: str
) -> list[CapMessage]:
    """Every message of the incident, oldest first; the last one is its current message."""
    public: list[tuple[int, IncidentStatus, datetime]] = [
        (v.version, v.status, v.at) for v in history if v.status is not IncidentStatus.DRAFT
    ]
    public.sort(key=lambda saved: saved[0])
    if not public or public[-1][0] != incident.version:
        # History from before revisions were kept: the incident as it is now is its message.
        sent = incident.updated_at if public else (incident.published_at or incident.updated_at)
        public.append((incident.version, incident.status, sent))
    messages: list[CapMessage] = []
    for version, status, at in public:
        if not messages:
            kind = "Alert"
        elif status is IncidentStatus.RESOLVED:
            kind = "Cancel"
        else:
            kind = "Update"
        name = identifier(prefix, incident.id, version)
        messages.append(CapMessage(name, at, kind, version, status))
    return messages


def references(sender: str, earlier: list[CapMessage]) -> str:
    """CAP references: "sender,identifier,sent" of each earlier message, space-separated."""
    return " ".join(f"{sender},{m.identifier},{cap_time(m.sent)}" for m in earlier)
