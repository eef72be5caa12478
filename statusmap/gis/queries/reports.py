"""Spatial reads of crowd reports: repeats near a point, and the reports inside an area."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.crs import to_utm
from statusmap.gis.queries.spatial import Predicate
from statusmap.gis.queries.spatial import matching
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models.report import PUBLIC_REPORT_STATUSES


def repeats_of(
    session: Session,
    municipality_id: int,
    *,
    kind: ReportKind,
    client_key: str,
    point: Point,
    metres: float,
    utm_epsg: int,
    since: datetime,
) -> list[int]:
    """Ids of this client's reports of this kind since `since` within `metres` of the point
    (measured in the municipality's UTM zone), the oldest first.

    One client's recent reports of one kind are a handful at most, found by their index
    (ix_report_client): the distance is checked on those in Python, the same on both backends,
    and only when there are any (a first report costs one indexed read and no geometry work).
    """
    query = (
        select(Report.id, Report.location)
        .where(
            Report.municipality_id == municipality_id,
            Report.kind == kind,
            Report.client_key == client_key,
            Report.created_at >= since,
        )
        .order_by(Report.created_at, Report.id)
    )
    rows = session.execute(query).all()
    if not rows:
        return []
    here = to_utm(point, utm_epsg)
    return [row[0] for row in rows if to_utm(row[1], utm_epsg).distance(here) <= metres]


def reports_in_area(
    session: Session,
    municipality_id: int,
    area: BaseGeometry,
    *,
    since: datetime,
    statuses: Sequence[ReportStatus],
) -> list[Report]:
    """The municipality's reports in these statuses made since `since` inside an area."""
    query = (
        select(Report)
        .where(
            Report.municipality_id == municipality_id,
            Report.status.in_(statuses),
            Report.created_at >= since,
        )
        .order_by(Report.created_at, Report.id)
    )
    return matching(session, query, Report.location, Predicate.COVERED_BY, area)


def public_report_points(
    session: Session, municipality_id: int, *, since: datetime, until: datetime
) -> list[tuple[ReportKind, float, float, str]]:
    """(kind, lon, lat, reporter) of the municipality's public reports (new, linked) made in a
    window; the reporter is the client's keyed hash, or the report itself when it has none.

    No spatial predicate: the generalisation (reports/cells.py) reads every point of the window
    and places it on the grid in Python, so both backends give the very same cells.
    """
    query = (
        select(Report.kind, Report.location, Report.client_key, Report.id)
        .where(
            Report.municipality_id == municipality_id,
            Report.status.in_(PUBLIC_REPORT_STATUSES),
            Report.created_at >= since,
            Report.created_at <= until,
        )
        .order_by(Report.id)
    )
    found = []
    for kind, point, client, report_id in session.execute(query):
        assert isinstance(point, Point)
        found.append((kind, point.x, point.y, client or f"report-{report_id}"))
    return found
