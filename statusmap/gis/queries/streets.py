"""Spatial queries on the street layer: the streets within a box (a picture's frame)."""

from __future__ import annotations

from shapely.geometry import box
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.queries.spatial import BBox
from statusmap.gis.queries.spatial import Predicate
from statusmap.gis.queries.spatial import matching
from statusmap.models import Street


def streets_meeting_bbox(session: Session, municipality_id: int, bbox: BBox) -> list[Street]:
    """The municipality's streets whose lines meet a box (EPSG:4326), by name (unnamed last)."""
    query = (
        select(Street)
        .where(Street.municipality_id == municipality_id)
        .order_by(Street.name == "", Street.name, Street.id)
    )
    return matching(session, query, Street.geometry, Predicate.INTERSECTS, box(*bbox))
