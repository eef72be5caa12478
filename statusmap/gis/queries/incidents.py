"""Spatial queries on incidents: which incidents cover a point or meet a box, as of a moment.

Statuses are the ones the public sees at `now` (Incident.status_at): a scheduled incident counts
as active once its start has passed, whether or not anyone has touched it since.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shapely.geometry import MultiPoint
from shapely.geometry import Point
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.queries.spatial import BBox
from statusmap.gis.queries.spatial import Predicate
from statusmap.gis.queries.spatial import matching
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus


def _incidents(
    municipality_id: int, statuses: Sequence[IncidentStatus], now: datetime
) -> Select[Incident]:
    return (
        select(Incident)
        .where(Incident.municipality_id == municipality_id, Incident.in_status_at(statuses, now))
        .order_by(Incident.starts_at, Incident.id)
    )


def incidents_covering_point(
    session: Session,
    municipality_id: int,
    point: Point,
    *,
    now: datetime,
    statuses: Sequence[IncidentStatus] = (IncidentStatus.ACTIVE,),
) -> list[Incident]:
    """The municipality's incidents (default: active at `now`) whose area covers a point."""
    query = _incidents(municipality_id, statuses, now)
    return matching(session, query, Incident.area, Predicate.COVERS, point)


def incidents_in_bbox(
    session: Session,
    municipality_id: int,
    bbox: BBox,
    statuses: Sequence[IncidentStatus],
    *,
    now: datetime,
) -> list[Incident]:
    """The municipality's incidents in the given statuses at `now` whose area meets a bbox."""
    query = _incidents(municipality_id, statuses, now)
    return matching(session, query, Incident.area, Predicate.INTERSECTS, box(*bbox))


def ids_covering_any_point(
    session: Session, query: Select[int], points: Sequence[Point]
) -> list[int]:
    """The ids of a query of Incident.id whose area covers at least one of the points (edges
    included), in the query's order."""
    if not points:
        return []
    # A point meets an area exactly when the area covers it: one test against all the points.
    return matching(session, query, Incident.area, Predicate.INTERSECTS, MultiPoint(points))


def public_incident_areas(
    session: Session, municipality_id: int
) -> list[tuple[int, IncidentKind, IncidentStatus, datetime | None, BaseGeometry]]:
    """Every scheduled or active incident with an area: (id, kind, status, starts_at, area).

    For keeping in memory and testing points against in Python (reports.places), so that the
    hot path of taking a report asks the database nothing about incidents.
    """
    columns = (Incident.id, Incident.kind, Incident.status, Incident.starts_at, Incident.area)
    query = select(*columns).where(
        Incident.municipality_id == municipality_id,
        Incident.status.in_((IncidentStatus.SCHEDULED, IncidentStatus.ACTIVE)),
        Incident.area.is_not(None),
    )
    rows = session.execute(query.order_by(Incident.starts_at, Incident.id))
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows if row[4] is not None]
