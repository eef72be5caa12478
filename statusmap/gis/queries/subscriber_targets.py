"""Spatial queries for notifications: the confirmed subscribers with an address inside an area.

`subscribers_inside` is a SELECT (one row per subscriber, however many of their addresses lie
inside) for the outbox's bulk INSERT ... SELECT, so 50,000 recipients never become Python
objects. PostGIS tests the addresses in SQL (GiST); SQLite finds them with the R*Tree and
shapely (as every address query does) and hands their ids back to SQL as one JSON array
(`json_each`), which keeps under the bound-parameter limit at any size.
Retired addresses never count; a subscriber is vulnerable when flagged themselves or when one
of their addresses inside is a vulnerable one (a nursing home, a kindergarten).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement
from sqlalchemy import Integer
from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.queries.addresses import address_ids_in_area
from statusmap.gis.queries.addresses import current_addresses
from statusmap.gis.queries.spatial import Predicate
from statusmap.gis.queries.spatial import postgis
from statusmap.gis.queries.spatial import postgis_condition
from statusmap.models import Address
from statusmap.models import Subscriber
from statusmap.models import Subscription

Inside = Select[*tuple[Any, ...]]  # (subscriber_id, vulnerable: 0 or 1)


def _address_inside(
    session: Session, municipality_id: int, area: BaseGeometry
) -> ColumnElement[bool]:
    """The condition that an address row lies inside the area (edges included)."""
    if postgis(session):
        return postgis_condition(Address.location, Predicate.COVERED_BY, area)
    ids = address_ids_in_area(session, municipality_id, area)
    listed = func.json_each(bindparam(None, json.dumps(ids))).table_valued("value")
    return Address.id.in_(select(listed.c.value))


def subscribers_inside(session: Session, municipality_id: int, area: BaseGeometry | None) -> Inside:
    """Confirmed subscribers with a current address inside the area, and whether vulnerable."""
    vulnerable = func.max(
        case(
            (
                or_(
                    Address.vulnerable_category.is_not(None),
                    Subscriber.vulnerable_category.is_not(None),
                ),
                1,
            ),
            else_=0,
        )
    )
    query = (
        select(Subscriber.id.label("subscriber_id"), vulnerable.label("vulnerable"))
        .join(Subscription, Subscription.subscriber_id == Subscriber.id)
        .join(Address, Address.id == Subscription.address_id)
        .where(
            Subscriber.municipality_id == municipality_id,
            Subscriber.confirmed_at.is_not(None),
            *current_addresses(municipality_id),
        )
        .group_by(Subscriber.id)
    )
    if area is None:
        return query.where(Address.id.is_(None))  # no area: nobody
    return query.where(_address_inside(session, municipality_id, area))


@dataclass(frozen=True)
class Reach:
    """How many subscribers (and of them vulnerable) and messages per channel an area reaches."""

    subscribers: int = 0
    vulnerable: int = 0
    sms: int = 0
    voice: int = 0
    email: int = 0

    @property
    def messages(self) -> int:
        return self.sms + self.voice + self.email


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)


def reach_of(
    session: Session,
    municipality_id: int,
    area: BaseGeometry | None,
    *,
    vulnerable_only: bool = False,
) -> Reach:
    """The subscribers an announcement to this area reaches, and its messages by channel."""
    inside = subscribers_inside(session, municipality_id, area).subquery()
    query = select(
        func.count(),
        _flag(inside.c.vulnerable == 1),
        _flag(Subscriber.wants_sms & Subscriber.phone.is_not(None)),
        _flag(Subscriber.wants_voice & Subscriber.phone.is_not(None)),
        _flag(Subscriber.wants_email & Subscriber.email.is_not(None)),
    ).join_from(inside, Subscriber, Subscriber.id == inside.c.subscriber_id)
    if vulnerable_only:
        query = query.where(inside.c.vulnerable == 1)
    row = session.execute(query).one()
    return Reach(*(int(value or 0) for value in row))
