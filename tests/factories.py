"""Factories for test data: small, explicit, and valid unless a test says otherwise."""

from __future__ import annotations

from datetime import timedelta

from shapely.geometry import Point
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.municipalities import MunicipalityInput
from statusmap.municipalities import save_municipality

# Around the Kartverket sample rows in Kristiansand (Korsvik / Randesund), lon/lat.
KRISTIANSAND_BOX = box(8.05, 58.12, 8.12, 58.17)


def make_municipality(
    session: Session,
    slug: str = "kristiansand",
    kommunenummer: str = "4204",
    boundary: BaseGeometry = KRISTIANSAND_BOX,
    utm_epsg: int = 25832,
) -> Municipality:
    """Create a municipality (defaults: a box around the Kartverket sample addresses)."""
    return save_municipality(
        session,
        MunicipalityInput(
            slug=slug,
            kommunenummer=kommunenummer,
            name={"nb": slug.title()},
            boundary=boundary,
            utm_epsg=utm_epsg,
            department={"nb": "Vann og avløp"},
        ),
        actor="test",
    )


def make_incident(
    session: Session,
    municipality: Municipality,
    area: BaseGeometry,
    kind: IncidentKind = IncidentKind.SHUTDOWN,
    status: IncidentStatus = IncidentStatus.ACTIVE,
    title: str = "Testhendelse",
) -> Incident:
    """Create an incident that started an hour ago."""
    now = utcnow()
    return create_incident(
        session,
        municipality,
        IncidentInput(
            kind=kind,
            status=status,
            area=area,
            title={"nb": title},
            starts_at=now - timedelta(hours=1),
            resolved_at=now if status is IncidentStatus.RESOLVED else None,
        ),
        actor="test",
    )


def make_address(
    session: Session,
    municipality: Municipality,
    lon: float,
    lat: float,
    source_id: str,
    dwellings: int = 1,
) -> Address:
    """Create one address at a point."""
    address = Address(
        municipality_id=municipality.id,
        source_id=source_id,
        street="Testveien",
        number=1,
        dwellings=dwellings,
        location=Point(lon, lat),
    )
    session.add(address)
    session.flush()
    return address
