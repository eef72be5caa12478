""" "Am I affected?": the active and planned incidents covering an address or a position."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from shapely.geometry import Point
from sqlalchemy.orm import Session

from statusmap.addresses.search import find_addresses
from statusmap.gis.queries.incidents import incidents_covering_point
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import check_point
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality


@dataclass(frozen=True)
class AffectedAnswer:
    """What covers one point: incidents going on now and planned works not yet begun."""

    point: Point
    address: Address | None
    active: list[Incident] = field(default_factory=list)
    planned: list[Incident] = field(default_factory=list)

    @property
    def affected(self) -> bool:
        """Whether an incident going on now covers the point."""
        return bool(self.active)


@dataclass(frozen=True)
class AddressLookup:
    """A typed address resolved: the answer for one address, or the ones it may mean."""

    answer: AffectedAnswer | None
    candidates: list[Address]  # several (choose one) or none (not found) when answer is None


def point_in_municipality(municipality: Municipality, lon: float, lat: float) -> Point:
    """A position as a point in the municipality; GeometryError saying why it is not one."""
    point = check_point(lon, lat)
    if not municipality.boundary.covers(point):
        raise GeometryError(
            f"The position (longitude {lon:.6f}, latitude {lat:.6f}) is outside "
            f"{municipality.name_in('en')}."
        )
    return point


def affected_at(
    session: Session,
    municipality: Municipality,
    point: Point,
    *,
    now: datetime,
    address: Address | None = None,
) -> AffectedAnswer:
    """The municipality's incidents covering a point: active at now, and planned after it."""
    active = incidents_covering_point(session, municipality.id, point, now=now)
    planned = incidents_covering_point(
        session, municipality.id, point, now=now, statuses=(IncidentStatus.SCHEDULED,)
    )
    return AffectedAnswer(point, address, active, planned)


def affected_address(
    session: Session, municipality: Municipality, text: str, *, now: datetime
) -> AddressLookup:
    """Resolve a typed address; when it means one address, what covers it."""
    found = find_addresses(session, municipality.id, text)
    if len(found) != 1:
        return AddressLookup(None, found)
    (address,) = found
    point = address.location
    assert isinstance(point, Point)
    return AddressLookup(affected_at(session, municipality, point, now=now, address=address), found)
