"""Addresses by what people type: a street's search key, whole or begun, and a house number.

Keys are street_key() values (statusmap/norwegian.py): lower-case letters and digits only, so a
key never holds a LIKE or GLOB wildcard. PostgreSQL matches a begun key with LIKE 'key%' (the
index has pattern operators); SQLite with GLOB 'key*', which is case-sensitive and so uses the
index (its LIKE ignores ASCII case and would not). Both answer in the same order: rows are
sorted in Python, in Norwegian address order, never by the database's collation.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy import String
from sqlalchemy import cast
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.queries.addresses import address_order
from statusmap.gis.queries.addresses import current_addresses
from statusmap.gis.queries.spatial import postgis
from statusmap.models import Address

# Rows read for suggestions before sorting: a begun key of two letters may match thousands.
SUGGESTION_ROWS = 2000


def addresses_on_street(
    session: Session, municipality_id: int, key: str, number: int | None, *, limit: int
) -> list[Address]:
    """Current addresses whose street has this key (and this number, if given), in order."""
    query = select(Address).where(*current_addresses(municipality_id), Address.search_key == key)
    if number is not None:
        query = query.where(Address.number == number)
    return sorted(session.scalars(query), key=address_order)[:limit]


def addresses_on_streets_beginning(
    session: Session, municipality_id: int, prefixes: list[str], number: str, *, limit: int
) -> list[Address]:
    """Current addresses whose street key begins with one of prefixes and whose number begins
    with the digits of number (any number if empty): exact street and number first, then in
    Norwegian address order."""
    if not prefixes:
        return []
    query = select(Address).where(*current_addresses(municipality_id), _begins(session, prefixes))
    if number:
        query = query.where(cast(Address.number, String).like(f"{int(number)}%"))
    rows = session.scalars(query.order_by(Address.id).limit(SUGGESTION_ROWS)).all()

    def rank(address: Address) -> tuple[bool, bool, object]:
        exact_number = bool(number) and address.number == int(number)
        return address.search_key not in prefixes, not exact_number, address_order(address)

    return sorted(rows, key=rank)[:limit]


def _begins(session: Session, prefixes: list[str]) -> ColumnElement[bool]:
    if postgis(session):
        return or_(*(Address.search_key.like(f"{prefix}%") for prefix in prefixes))
    return or_(*(Address.search_key.op("GLOB")(f"{prefix}*") for prefix in prefixes))
