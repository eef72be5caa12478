"""Reads of incidents for the public page and the feeds, as of a moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from statusmap.models import Incident
from statusmap.models import IncidentStatus


@dataclass(frozen=True)
class PublicIncidents:
    """What the public sees at `now`: active, scheduled ahead, and recently resolved."""

    now: datetime
    active: list[Incident]
    scheduled: list[Incident]
    resolved: list[Incident]

    @property
    def current(self) -> list[Incident]:
        """Active and scheduled incidents: what the map shows."""
        return self.active + self.scheduled


def public_incidents(
    session: Session,
    municipality_id: int,
    *,
    now: datetime,
    recent_days: int,
    include_resolved: bool = True,
) -> PublicIncidents:
    """The municipality's public incidents at `now` (status_at), drafts never included.

    A scheduled incident whose start has passed is active; resolved ones stay for recent_days.
    """
    base = (
        select(Incident)
        .where(Incident.municipality_id == municipality_id)
        .options(selectinload(Incident.updates))
    )
    current = session.scalars(
        base.where(
            Incident.in_status_at((IncidentStatus.ACTIVE, IncidentStatus.SCHEDULED), now)
        ).order_by(Incident.starts_at, Incident.id)
    ).all()
    active = [i for i in current if i.status_at(now) is IncidentStatus.ACTIVE]
    active.sort(key=lambda i: i.id)
    active.sort(key=lambda i: i.starts_at or now, reverse=True)  # the newest first
    scheduled = [i for i in current if i.status_at(now) is IncidentStatus.SCHEDULED]
    resolved: list[Incident] = []
    if include_resolved:
        resolved = list(
            session.scalars(
                base.where(
                    Incident.status == IncidentStatus.RESOLVED,
                    Incident.resolved_at >= now - timedelta(days=recent_days),
                ).order_by(Incident.resolved_at.desc(), Incident.id)
            )
        )
    return PublicIncidents(now, active, scheduled, resolved)


def public_incident(session: Session, municipality_id: int, incident_id: int) -> Incident | None:
    """One of the municipality's incidents as the public may see it: None for a draft, for an
    incident of another municipality and for one that does not exist."""
    incident = session.get(Incident, incident_id)
    if incident is None or incident.municipality_id != municipality_id:
        return None
    return None if incident.status is IncidentStatus.DRAFT else incident
