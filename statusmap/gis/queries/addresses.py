"""Spatial queries on addresses: which addresses an area holds, listed or counted.

Retired addresses (no longer in the register) are kept for history but never listed or counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from shapely.geometry import Point
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement
from sqlalchemy import String
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import type_coerce
from sqlalchemy.orm import Session

from statusmap.gis.queries.spatial import BBox
from statusmap.gis.queries.spatial import Predicate
from statusmap.gis.queries.spatial import matching
from statusmap.gis.queries.spatial import postgis
from statusmap.gis.queries.spatial import postgis_condition
from statusmap.gis.queries.spatial import sqlite_matching_columns
from statusmap.models import Address
from statusmap.norwegian import sort_key

CHUNK = 5000  # ids per IN (...) list: stays under both backends' bound-parameter limits


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


NameKey = tuple[tuple[int, ...], str]  # statusmap.norwegian.sort_key
AddressKey = tuple[NameKey, int, NameKey, int]


def address_order(address: Address) -> AddressKey:
    """Norwegian address order: street (Z, Æ, Ø, Å), number, letter."""
    return sort_key(address.street), address.number or 0, sort_key(address.letter), address.id


def current_addresses(municipality_id: int) -> tuple[ColumnElement[bool], ...]:
    """The conditions of a municipality's addresses still in the register (not retired)."""
    return Address.municipality_id == municipality_id, Address.retired_at.is_(None)


def address_ids_in_area(session: Session, municipality_id: int, area: BaseGeometry) -> list[int]:
    """Ids of the municipality's current addresses covered by area."""
    query = select(Address.id).where(*current_addresses(municipality_id))
    return matching(session, query, Address.location, Predicate.COVERED_BY, area)


def addresses_in_area(session: Session, municipality_id: int, area: BaseGeometry) -> list[Address]:
    """List the municipality's current addresses inside an area, by street, number and letter.

    Streets in Norwegian alphabetical order (Z, Æ, Ø, Å), not by code point (Z, Å, Æ, Ø).
    """
    ids = address_ids_in_area(session, municipality_id, area)
    addresses: list[Address] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        addresses.extend(session.scalars(select(Address).where(Address.id.in_(chunk))))
    return sorted(addresses, key=address_order)


def count_addresses_in_area(
    session: Session, municipality_id: int, area: BaseGeometry
) -> AddressCount:
    """Count current addresses, dwellings and vulnerable subscribers inside an area."""
    if postgis(session):
        row = session.execute(
            select(
                func.count(Address.id),
                func.coalesce(func.sum(Address.dwellings), 0),
                func.count(Address.vulnerable_category),
                func.count(Address.dwellings),
            ).where(
                *current_addresses(municipality_id),
                postgis_condition(Address.location, Predicate.COVERED_BY, area),
            )
        ).one()
        total, dwellings, vulnerable, known = (int(value) for value in row)
        return AddressCount(total, dwellings, vulnerable, unknown_dwellings=total - known)
    return _count_on_sqlite(session, municipality_id, area)


def _count_on_sqlite(session: Session, municipality_id: int, area: BaseGeometry) -> AddressCount:
    """SQLite: the count from the matching rows' columns (no Row objects kept, no per-row enum)."""
    # The category as plain text: only whether it is set counts, so no enum conversion per row.
    query = select(Address.dwellings, type_coerce(Address.vulnerable_category, String)).where(
        *current_addresses(municipality_id)
    )
    per_address, categories = sqlite_matching_columns(
        session, query, Address.location, Predicate.COVERED_BY, area
    )
    known = [n for n in per_address.tolist() if n is not None]
    return AddressCount(
        addresses=len(per_address),
        dwellings=sum(known),
        vulnerable=sum(1 for category in categories.tolist() if category is not None),
        unknown_dwellings=len(per_address) - len(known),
    )


def addresses_in_bbox(
    session: Session, municipality_id: int, bbox: BBox, limit: int = 1000
) -> list[Address]:
    """Return up to limit of the municipality's current addresses inside a bbox (edges included)."""
    query = select(Address).where(*current_addresses(municipality_id)).order_by(Address.id)
    return matching(session, query, Address.location, Predicate.COVERED_BY, box(*bbox), limit=limit)


def street_names(session: Session, municipality_id: int) -> list[str]:
    """The distinct street names of the municipality's current addresses, in Norwegian order."""
    query = select(Address.street).where(*current_addresses(municipality_id)).distinct()
    return sorted({street for street in session.scalars(query) if street.strip()}, key=sort_key)


def address_points_on_streets(
    session: Session, municipality_id: int, streets: list[str]
) -> list[Point]:
    """The locations of the municipality's current addresses on any of the named streets."""
    points: list[Point] = []
    for start in range(0, len(streets), CHUNK):
        query = select(Address.location).where(
            *current_addresses(municipality_id), Address.street.in_(streets[start : start + CHUNK])
        )
        points.extend(cast(Point, point) for point in session.scalars(query))
    return points
