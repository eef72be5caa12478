"""The versions of incidents the public saw (every saved version but drafts), without areas.

The CAP feed gives one message per public version; this reads just what that needs (version,
status, when), for many incidents in one query, leaving the revisions' areas unread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import IncidentRevision
from statusmap.models import IncidentStatus


@dataclass(frozen=True)
class PublicVersion:
    """One version of an incident as the public saw it."""

    version: int
    status: IncidentStatus
    at: datetime


def public_versions(
    session: Session, incident_ids: Iterable[int]
) -> dict[int, list[PublicVersion]]:
    """Each incident's public versions, oldest first (an incident with none maps to [])."""
    wanted = sorted(set(incident_ids))
    found: dict[int, list[PublicVersion]] = {incident_id: [] for incident_id in wanted}
    if not wanted:
        return found
    query = (
        select(
            IncidentRevision.incident_id,
            IncidentRevision.version,
            IncidentRevision.status,
            IncidentRevision.at,
        )
        .where(
            IncidentRevision.incident_id.in_(wanted),
            IncidentRevision.status != IncidentStatus.DRAFT,
        )
        .order_by(IncidentRevision.incident_id, IncidentRevision.version)
    )
    for incident_id, version, status, at in session.execute(query):
        found[incident_id].append(PublicVersion(version, status, at))
    return found
