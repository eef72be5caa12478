"""Reads of incidents for the public page and the feeds."""

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
    """What the public sees: active now, scheduled ahead, and recently resolved."""

    active: list[Incident]
    scheduled: list[Incident]
    resolved: list[Incident]

    @property
    def current(self) -> list[Incident]:
        """Active and scheduled incidents: what the map shows."""
        return self.active + self.scheduled


def public_incidents(
    session: Session, municipality_id: int, *, now: datetime, recent_days: int
) -> PublicIncidents:
    """Return the municipality's public incidents, drafts never included."""
    base = (
        select(Incident)
        .where(Incident.municipality_id == municipality_id)
        .options(selectinload(Incident.updates))
    )
    active = session.scalars(
        base.where(Incident.status == IncidentStatus.ACTIVE).order_by(
            Incident.starts_at.desc(), Incident.id
        )
    ).all()
    scheduled = session.scalars(
        base.where(Incident.status == IncidentStatus.SCHEDULED).order_by(
            Incident.starts_at, Incident.id
        )
    ).all()
    resolved = session.scalars(
        base.where(
            Incident.status == IncidentStatus.RESOLVED,
            Incident.resolved_at >= now - timedelta(days=recent_days),
        ).order_by(Incident.resolved_at.desc(), Incident.id)
    ).all()
    return PublicIncidents(list(active), list(scheduled), list(resolved))
