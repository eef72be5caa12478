"""What taking a report in one municipality needs, read once per change of its public data.

A report is checked against the municipality's boundary and against the incidents that could
explain it. Both change rarely and both bump the municipality's change stamp (changes.py), so
the web layer keeps one `ReportPlace` per municipality and stamp serial, and the hot path asks
the database only what is the client's own (its repeats) and stores the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from statusmap.gis.queries.incidents import public_incident_areas
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import ReportKind
from statusmap.reports.explained import explains


@dataclass(frozen=True)
class KnownIncident:
    """A scheduled or active incident: enough to tell whether it explains a report at a time."""

    id: int
    kind: IncidentKind
    status: IncidentStatus
    starts_at: datetime | None
    area: BaseGeometry  # prepared: covers() is fast

    def active_at(self, now: datetime) -> bool:
        """Active now (a scheduled incident is once its start has passed: Incident.status_at)."""
        if self.status is IncidentStatus.ACTIVE:
            return True
        return self.starts_at is not None and self.starts_at <= now


@dataclass(frozen=True)
class ReportPlace:
    """One municipality as report intake sees it (duck-types the Municipality fields it reads)."""

    id: int
    slug: str
    utm_epsg: int
    boundary: BaseGeometry
    incidents: tuple[KnownIncident, ...]

    def explaining_incident_id(self, point: Point, now: datetime, kind: ReportKind) -> int | None:
        """The first (earliest) incident active at `now` whose area covers the point and whose
        kind explains a report of `kind` (explained.py)."""
        for incident in self.incidents:
            if (
                explains(incident.kind, kind)
                and incident.active_at(now)
                and incident.area.covers(point)
            ):
                return incident.id
        return None


def load_place(session: Session, municipality: Municipality) -> ReportPlace:
    """The municipality's place for report intake, read now (one query for its incidents)."""
    known = []
    for incident_id, kind, status, starts_at, area in public_incident_areas(
        session, municipality.id
    ):
        shapely.prepare(area)
        known.append(KnownIncident(incident_id, kind, status, starts_at, area))
    return ReportPlace(
        municipality.id,
        municipality.slug,
        municipality.utm_epsg,
        municipality.boundary,
        tuple(known),
    )
