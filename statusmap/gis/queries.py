"""Every spatial query in statusmap, with the PostGIS and the SQLite strategy side by side.

PostGIS evaluates predicates in the database with GiST indexes. SQLite has no spatial functions
here, so it narrows rows with its built-in R*Tree index (migration 0002) and evaluates the exact
predicate in shapely (vectorised). Both use 'covers' semantics: a point on an area's edge is
inside it. Callers never learn which backend runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select
from sqlalchemy import TableClause
from sqlalchemy import column
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import table
from sqlalchemy.orm import Session

from statusmap.engine import is_postgis
from statusmap.gis.storage import SRID
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentStatus

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat

# SQLite's R*Tree indexes (migration 0002), kept in step with their tables by triggers.
_BOX_COLUMNS = ("id", "min_lon", "max_lon", "min_lat", "max_lat")
ADDRESS_RTREE = table("address_rtree", *(column(name) for name in _BOX_COLUMNS))
INCIDENT_RTREE = table("incident_rtree", *(column(name) for name in _BOX_COLUMNS))


def _rtree_ids(rtree: TableClause, bbox: BBox) -> Select[Any]:
    """Ids whose R*Tree box meets bbox (boxes are rounded outwards, so this is a superset).

    As a subquery (id IN ...) it makes SQLite drive the search from the R*Tree; as a join the
    planner may scan the whole municipality and probe the tree row by row.
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    return select(rtree.c.id).where(
        rtree.c.max_lon >= min_lon,
        rtree.c.min_lon <= max_lon,
        rtree.c.max_lat >= min_lat,
        rtree.c.min_lat <= max_lat,
    )


@dataclass(frozen=True)
class AddressCount:
    """How many addresses, dwellings and vulnerable subscribers an area holds."""

    addresses: int
    dwellings: int  # summed over the addresses whose dwelling count is known
    vulnerable: int
    unknown_dwellings: int = 0  # addresses whose dwelling count is unknown

    @property
    def dwellings_known(self) -> bool:
        """Whether the dwelling total covers every address."""
        return self.unknown_dwellings == 0


def _postgis(session: Session) -> bool:
    return is_postgis(session.get_bind())


def _incidents(municipality_id: int, statuses: Sequence[IncidentStatus]) -> Select[Incident]:
    return (
        select(Incident)
        .where(Incident.municipality_id == municipality_id, Incident.status.in_(statuses))
        .order_by(Incident.starts_at, Incident.id)
    )


def incidents_covering_point(
    session: Session,
    municipality_id: int,
    point: Point,
    statuses: Sequence[IncidentStatus] = (IncidentStatus.ACTIVE,),
) -> list[Incident]:
    """Return the municipality's incidents (default: active ones) whose area covers a point."""
    query = _incidents(municipality_id, statuses)
    if _postgis(session):
        query = query.where(func.ST_Covers(Incident.area, from_shape(point, srid=SRID)))
        return list(session.scalars(query))
    query = query.where(Incident.id.in_(_rtree_ids(INCIDENT_RTREE, (point.x, point.y) * 2)))
    return [i for i in session.scalars(query) if i.area is not None and i.area.covers(point)]


def incidents_in_bbox(
    session: Session, municipality_id: int, bbox: BBox, statuses: Sequence[IncidentStatus]
) -> list[Incident]:
    """Return the municipality's incidents in the given statuses whose area meets a bbox."""
    query = _incidents(municipality_id, statuses)
    if _postgis(session):
        envelope = func.ST_MakeEnvelope(*bbox, SRID)
        return list(session.scalars(query.where(func.ST_Intersects(Incident.area, envelope))))
    query = query.where(Incident.id.in_(_rtree_ids(INCIDENT_RTREE, bbox)))
    window = box(*bbox)
    return [i for i in session.scalars(query) if i.area is not None and i.area.intersects(window)]


def _covered_rows(
    session: Session, municipality_id: int, area: BaseGeometry, *columns: Any
) -> list[Any]:
    """SQLite strategy: rows (id, *columns) of addresses covered by area.

    The R*Tree narrows to the area's bounding box; shapely decides the rest.
    """
    rows = session.execute(
        select(Address.id, Address.lon, Address.lat, *columns).where(
            Address.id.in_(_rtree_ids(ADDRESS_RTREE, area.bounds)),
            Address.municipality_id == municipality_id,
        )
    ).all()
    if not rows:
        return []
    lons = np.fromiter((r[1] for r in rows), dtype=float, count=len(rows))
    lats = np.fromiter((r[2] for r in rows), dtype=float, count=len(rows))
    shapely.prepare(area)
    inside = np.asarray(shapely.covers(area, shapely.points(lons, lats)), dtype=bool)
    return [rows[i] for i in np.flatnonzero(inside).tolist()]


def _address_ids_in(session: Session, municipality_id: int, area: BaseGeometry) -> list[int]:
    """Return ids of the municipality's addresses covered by area (either strategy)."""
    if _postgis(session):
        return list(
            session.scalars(
                select(Address.id).where(
                    Address.municipality_id == municipality_id,
                    func.ST_Covers(from_shape(area, srid=SRID), Address.location),
                )
            )
        )
    return [int(row[0]) for row in _covered_rows(session, municipality_id, area)]


def addresses_in_area(session: Session, municipality_id: int, area: BaseGeometry) -> list[Address]:
    """List the municipality's addresses inside an area, sorted by street, number and letter."""
    ids = _address_ids_in(session, municipality_id, area)
    if not ids:
        return []
    addresses: list[Address] = []
    for start in range(0, len(ids), 5000):  # stay under bound-parameter limits
        chunk = ids[start : start + 5000]
        addresses.extend(session.scalars(select(Address).where(Address.id.in_(chunk))))
    return sorted(addresses, key=lambda a: (a.street, a.number or 0, a.letter, a.id))


def count_addresses_in_area(
    session: Session, municipality_id: int, area: BaseGeometry
) -> AddressCount:
    """Count addresses, dwellings and vulnerable subscribers inside an area."""
    if _postgis(session):
        row = session.execute(
            select(
                func.count(Address.id),
                func.coalesce(func.sum(Address.dwellings), 0),
                func.count(Address.vulnerable_category),
                func.count(Address.dwellings),
            ).where(
                Address.municipality_id == municipality_id,
                func.ST_Covers(from_shape(area, srid=SRID), Address.location),
            )
        ).one()
        total, dwellings, vulnerable, known = (int(value) for value in row)
        return AddressCount(total, dwellings, vulnerable, unknown_dwellings=total - known)
    rows = _covered_rows(
        session, municipality_id, area, Address.dwellings, Address.vulnerable_category
    )
    return AddressCount(
        addresses=len(rows),
        dwellings=sum(int(row[3]) for row in rows if row[3] is not None),
        vulnerable=sum(1 for row in rows if row[4] is not None),
        unknown_dwellings=sum(1 for row in rows if row[3] is None),
    )


def addresses_in_bbox(
    session: Session, municipality_id: int, bbox: BBox, limit: int = 1000
) -> list[Address]:
    """Return up to limit of the municipality's addresses inside a bbox (edges included)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    query = select(Address).where(Address.municipality_id == municipality_id)
    if _postgis(session):
        envelope = func.ST_MakeEnvelope(*bbox, SRID)
        query = query.where(func.ST_Covers(envelope, Address.location))
    else:
        query = query.where(
            Address.id.in_(_rtree_ids(ADDRESS_RTREE, bbox)),
            # R*Tree boxes are rounded outwards; the exact edges are checked on the row itself.
            Address.lon.between(min_lon, max_lon),
            Address.lat.between(min_lat, max_lat),
        )
    return list(session.scalars(query.order_by(Address.id).limit(limit)))
