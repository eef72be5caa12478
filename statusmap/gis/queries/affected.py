"""Spatial queries for an incident's reach: its vulnerable subscribers and its street names.

Like the address queries, only current addresses count (retired ones are history).
"""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.queries.addresses import AddressKey
from statusmap.gis.queries.addresses import address_order
from statusmap.gis.queries.addresses import current_addresses
from statusmap.gis.queries.spatial import Predicate
from statusmap.gis.queries.spatial import matching
from statusmap.models import Address
from statusmap.models import VulnerableCategory
from statusmap.norwegian import sort_key

# The order categories are listed in: the enum's own, wherever they are listed.
CATEGORY_ORDER = {category: index for index, category in enumerate(VulnerableCategory)}


def _category_then_address(address: Address) -> tuple[int, AddressKey]:
    category = address.vulnerable_category
    rank = CATEGORY_ORDER[category] if category is not None else len(CATEGORY_ORDER)
    return rank, address_order(address)


def vulnerable_in_area(session: Session, municipality_id: int, area: BaseGeometry) -> list[Address]:
    """Current addresses inside an area with a vulnerable subscriber, by category, then address."""
    query = select(Address).where(
        *current_addresses(municipality_id), Address.vulnerable_category.is_not(None)
    )
    found = matching(session, query, Address.location, Predicate.COVERED_BY, area)
    return sorted(found, key=_category_then_address)


def street_names_in_area(session: Session, municipality_id: int, area: BaseGeometry) -> list[str]:
    """The distinct street names of the current addresses inside an area, in Norwegian order."""
    query = select(Address.street).where(*current_addresses(municipality_id)).distinct()
    found = matching(session, query, Address.location, Predicate.COVERED_BY, area)
    # SQLite adds each row's geometry to the SELECT, so DISTINCT alone leaves duplicates there.
    return sorted({street for street in found if street.strip()}, key=sort_key)
