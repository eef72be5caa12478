"""Spatial reads of crowd reports: repeats near a point, and the reports inside an area."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.crs import to_utm
from statusmap.gis.crs import to_wgs84
from statusmap.gis.queries.spatial import Predicate
from statusmap.gis.queries.spatial import matching
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models.report import PUBLIC_REPORT_STATUSES


def around(point: Point, metres: float, utm_epsg: int) -> BaseGeometry:
    """A disc of `metres` around a point, measured in the municipality's UTM zone (WGS 84)."""
    return to_wgs84(to_utm(point, utm_epsg).buffer(metres, quad_segs=16), utm_epsg)


def repeats_of(
    session: Session,
    municipality_id: int,
    *,
    kind: ReportKind,
    client_key: str,
    near: BaseGeometry,
    since: datetime,
) -> list[Report]:
    """Reports of this kind from this client since `since` inside `near`, the oldest first.

    One client's recent reports of one kind are a handful at most, found by their index
    (ix_report_client): the place is checked on those in Python, the same on both backends,
    rather than asking the spatial index for every report near the point.
    """
    query = (
        select(Report)
        .where(
            Report.municipality_id == municipality_id,
            Report.kind == kind,
            Report.client_key == client_key,
            Report.created_at >= since,
        )
        .order_by(Report.created_at, Report.id)
    )
    return [report for report in session.scalars(query) if near.covers(report.location)]


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
